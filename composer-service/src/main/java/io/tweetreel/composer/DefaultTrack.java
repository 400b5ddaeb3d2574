package io.tweetreel.composer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The background music bundled in the jar ({@code audio/default-track.m4a}: a 30 s soft chord pad made with
 * ffmpeg by {@code composer-service/tools/make-default-track.sh}, -16 LUFS, no licence attached), and the
 * choice between it and {@code AUDIO_PATH}. ffmpeg needs a file, so the resource is copied out once at start-up.
 */
public final class DefaultTrack {

    public static final String RESOURCE = "/audio/default-track.m4a";
    public static final String FILE_NAME = "default-track.m4a";

    private DefaultTrack() {}

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
     * Copies the bundled track to {@code directory/default-track.m4a}, creating the directory, and returns
     * that path. Safe to call from several services in one JVM or on one machine at once: the file is written
     * under a unique name and moved into place.
     */
    public static Path install(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(FILE_NAME);
        Path partial = Files.createTempFile(directory, FILE_NAME, ".partial");
        try (InputStream in = DefaultTrack.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " is missing from the classpath");
            }
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }
}
