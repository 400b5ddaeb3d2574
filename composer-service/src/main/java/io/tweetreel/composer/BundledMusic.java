package io.tweetreel.composer;

import io.tweetreel.schemas.MusicChoice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.Map;

/**
 * The music bundled in the jar, and the choice between its default track and {@code AUDIO_PATH}: the default
 * ({@code audio/default-track.m4a}: a 30 s soft chord pad made by {@code composer-service/tools/make-default-track.sh})
 * and the moods of {@link MusicChoice} ({@code calm}, {@code upbeat}, {@code cinematic}, made by
 * {@code tools/make-mood-track.sh}), installed the same way. Every track is made with ffmpeg alone (no licence
 * attached) and is -16 LUFS. ffmpeg needs files, so the resources are copied out once at start-up.
 */
public final class BundledMusic {

    public static final String RESOURCE = MusicChoice.DEFAULT.resource();
    public static final String FILE_NAME = "default-track.m4a";

    private BundledMusic() {}

    /**
     * The track to use: {@code audioPath} when set (checked later by {@link ReelComposer}), otherwise the
     * bundled track copied into {@code directory}.
     *
     * @param audioPath the value of {@code AUDIO_PATH}; {@code null} or blank means unset
     * @throws IllegalStateException when the bundled track cannot be copied out
     */
    public static Path resolve(String audioPath, Path directory) {
        if (audioPath != null && !audioPath.isBlank()) {
            return Path.of(audioPath.strip());
        }
        try {
            return install(directory);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException(
                    "Cannot copy the bundled default track to " + directory + " (set " + ReelComposer.AUDIO_ENV_VAR
                            + " to an audio file instead): " + e.getMessage(),
                    e);
        }
    }

    /**
     * Every bundled track but {@link MusicChoice#NONE}, copied into {@code directory}, with {@code audioPath} (when
     * set) in place of the default track.
     *
     * @throws IllegalStateException when a bundled track cannot be copied out (a jar without it, a full disk): the
     *                               service must not start and fail every job that asks for that track
     */
    public static Map<MusicChoice, Path> resolveAll(String audioPath, Path directory) {
        Map<MusicChoice, Path> tracks = new EnumMap<>(MusicChoice.class);
        tracks.put(MusicChoice.DEFAULT, resolve(audioPath, directory));
        for (MusicChoice choice : MusicChoice.values()) {
            if (choice != MusicChoice.DEFAULT && choice != MusicChoice.NONE) {
                try {
                    tracks.put(choice, install(choice, directory));
                } catch (IOException | UncheckedIOException e) {
                    throw new IllegalStateException(
                            "Cannot copy the bundled track " + choice.label() + " to " + directory + ": "
                                    + e.getMessage(),
                            e);
                }
            }
        }
        return Map.copyOf(tracks);
    }

    /** Copies the bundled default track; see {@link #install(MusicChoice, Path)}. */
    public static Path install(Path directory) throws IOException {
        return install(MusicChoice.DEFAULT, directory);
    }

    /**
     * Copies the bundled track of {@code choice} to {@code directory} under its resource's file name, creating the
     * directory, and returns that path. Safe to call from several services in one JVM or on one machine at once:
     * the file is written under a unique name and moved into place.
     */
    public static Path install(MusicChoice choice, Path directory) throws IOException {
        String resource = choice.resource();
        if (resource == null) {
            throw new IllegalArgumentException(choice.label() + " has no track");
        }
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        Files.createDirectories(directory);
        Path target = directory.resolve(fileName);
        Path partial = Files.createTempFile(directory, fileName, ".partial");
        try (InputStream in = BundledMusic.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is missing from the classpath");
            }
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }
}
