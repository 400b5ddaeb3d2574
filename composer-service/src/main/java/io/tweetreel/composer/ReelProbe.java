package io.tweetreel.composer;

import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.Stream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Measures media files with ffprobe. */
public final class ReelProbe {

    private final Path ffprobe;

    public ReelProbe(FfmpegBinaries binaries) {
        this.ffprobe = binaries.ffprobe();
    }

    /**
     * Measures a composed reel: container duration, file size and the size of its first video stream.
     *
     * @throws IOException when the file cannot be read or has no video stream
     */
    public ComposedReel measure(Path mp4) throws IOException {
        FFprobeResult result = probe(mp4);
        Stream video =
                firstStream(result, StreamType.VIDEO).orElseThrow(() -> new IOException(mp4 + " has no video stream"));
        Double duration = result.getFormat().getProbeData().getDouble("duration");
        if (duration == null) {
            throw new IOException("ffprobe reported no duration for " + mp4);
        }
        return new ComposedReel(duration, Files.size(mp4), video.getWidth(), video.getHeight());
    }

    /**
     * Whether ffprobe finds an audio stream in the file; used to refuse a broken {@code AUDIO_PATH} at start-up.
     *
     * @throws IOException when ffprobe cannot read the file at all
     */
    public boolean hasAudio(Path file) throws IOException {
        return firstStream(probe(file), StreamType.AUDIO).isPresent();
    }

    /** Streams and format of any media file, as Jaffree parses them. */
    public FFprobeResult probe(Path file) throws IOException {
        try {
            return new FFprobe(ffprobe)
                    .setInput(file.toAbsolutePath())
                    .setShowStreams(true)
                    .setShowFormat(true)
                    .execute();
        } catch (JaffreeException e) {
            throw new IOException("ffprobe could not read " + file + ": " + FfmpegErrorLines.describe(e), e);
        }
    }

    private static Optional<Stream> firstStream(FFprobeResult result, StreamType type) {
        return result.getStreams().stream()
                .filter(s -> s.getCodecType() == type)
                .findFirst();
    }
}
