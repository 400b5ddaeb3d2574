package io.tweetreel.bench;

import io.tweetreel.composer.ComposeException;
import io.tweetreel.composer.ComposedReel;
import io.tweetreel.composer.FfmpegBinaries;
import io.tweetreel.composer.ReelComposer;
import io.tweetreel.composer.ReelProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline {@link ReelComposer} is measured against: the usual {@code ffmpeg -loop 1 -i card.png -i audio
 * ... -preset medium}, which makes ffmpeg decode the PNG and scale, convert and fade a fresh copy for every
 * output frame.
 *
 * <p>Everything else matches {@link ReelComposer} (fit to 1080x1920, BT.709 yuv420p, 30 fps, CRF 23, same
 * fades, AAC 128k, faststart, audio looped and cut, the filter chains taken from {@link ReelComposer} itself),
 * so a comparison isolates the input loop and the preset.
 */
public final class NaiveReelComposer {

    public static final String DEFAULT_PRESET = "medium";

    private final FfmpegBinaries binaries;
    private final ReelProbe probe;
    private final String preset;

    public NaiveReelComposer(FfmpegBinaries binaries) {
        this(binaries, DEFAULT_PRESET);
    }

    /** @param preset the x264 preset; {@code veryfast} isolates the cost of {@code -loop 1} alone */
    public NaiveReelComposer(FfmpegBinaries binaries, String preset) {
        this.binaries = binaries;
        this.probe = new ReelProbe(binaries);
        this.preset = preset;
    }

    /** The full command line, executable first. */
    public List<String> command(Path cardPng, Path audio, int durationSeconds, Path outputMp4) {
        List<String> command = new ArrayList<>(List.of(
                binaries.ffmpeg().toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-loop",
                "1",
                "-i",
                cardPng.toAbsolutePath().toString(),
                "-stream_loop",
                "-1",
                "-i",
                audio.toAbsolutePath().toString(),
                "-map",
                "0:v:0",
                "-map",
                "1:a:0",
                "-vf",
                ReelComposer.fittedStill("") + "," + ReelComposer.videoFades(durationSeconds),
                "-af",
                ReelComposer.audioChain("", durationSeconds),
                "-c:v",
                "libx264",
                "-preset",
                preset,
                "-crf",
                "23",
                "-pix_fmt",
                "yuv420p",
                "-r",
                String.valueOf(ReelComposer.FRAME_RATE),
                "-colorspace",
                "bt709",
                "-color_primaries",
                "bt709",
                "-color_trc",
                "bt709",
                "-color_range",
                "tv",
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                "-movflags",
                "+faststart",
                "-map_metadata",
                "-1",
                "-t",
                String.valueOf(durationSeconds),
                "-f",
                "mp4"));
        command.add(outputMp4.toAbsolutePath().toString());
        return command;
    }

    /**
     * Runs {@link #command} and measures the result.
     *
     * @throws ComposeException with ffmpeg's error output when it fails
     */
    public ComposedReel compose(Path cardPng, Path audio, int durationSeconds, Path outputMp4)
            throws ComposeException, IOException {
        Process process = new ProcessBuilder(command(cardPng, audio, durationSeconds, outputMp4))
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                Files.deleteIfExists(outputMp4);
                throw new ComposeException(
                        "Video composition failed: " + output.strip().replace('\n', ' '));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Naive composition interrupted");
        }
        return probe.measure(outputMp4);
    }
}
