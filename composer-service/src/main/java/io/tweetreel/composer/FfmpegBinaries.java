package io.tweetreel.composer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ffmpeg and ffprobe executables the composer runs, checked once at start-up so that a misconfigured
 * machine refuses to start instead of failing every job.
 *
 * @param ffmpeg  the ffmpeg executable
 * @param ffprobe the ffprobe executable next to it
 */
public record FfmpegBinaries(Path ffmpeg, Path ffprobe) {

    /** The environment variable the service reads the location from; named in every start-up error. */
    public static final String ENV_VAR = "FFMPEG_PATH";

    /** Where Debian's {@code ffmpeg} package installs both tools. */
    public static final Path DEFAULT_HOME = Path.of("/usr/bin");

    private static final List<String> REQUIRED_ENCODERS = List.of("libx264", "aac");

    /**
     * Finds and checks ffmpeg and ffprobe.
     *
     * @param home the directory holding {@code ffmpeg} and {@code ffprobe}; the path of the ffmpeg executable
     *             itself is accepted too, since that is what people tend to put in {@value #ENV_VAR}
     * @throws IllegalStateException naming the path and {@value #ENV_VAR} when either tool is missing, not
     *                               executable, does not run, or lacks the libx264 or aac encoder
     */
    public static FfmpegBinaries locate(Path home) {
        if (home == null) {
            home = DEFAULT_HOME;
        }
        Path dir = Files.isRegularFile(home) ? home.toAbsolutePath().getParent() : home.toAbsolutePath();
        FfmpegBinaries binaries = new FfmpegBinaries(dir.resolve("ffmpeg"), dir.resolve("ffprobe"));
        requireExecutable(binaries.ffmpeg);
        requireExecutable(binaries.ffprobe);
        String encoders = run(binaries.ffmpeg, "-hide_banner", "-encoders");
        for (String encoder : REQUIRED_ENCODERS) {
            if (!encoders.matches("(?s).*\\s" + encoder + "\\s.*")) {
                throw new IllegalStateException(binaries.ffmpeg + " has no " + encoder + " encoder; install an ffmpeg"
                        + " built with it (Debian's ffmpeg package is) and point " + ENV_VAR + " at its directory");
            }
        }
        run(binaries.ffprobe, "-hide_banner", "-version");
        return binaries;
    }

    private static void requireExecutable(Path executable) {
        if (!Files.exists(executable)) {
            throw new IllegalStateException(executable + " not found: install ffmpeg (e.g. apt-get install ffmpeg)"
                    + " or set " + ENV_VAR + " to the directory holding ffmpeg and ffprobe");
        }
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new IllegalStateException(executable + " is not an executable file; set " + ENV_VAR
                    + " to the directory holding ffmpeg and ffprobe");
        }
    }

    private static String run(Path executable, String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try (InputStream out = process.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(executable + " did not answer within 30 s; check " + ENV_VAR);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(executable + " " + String.join(" ", args) + " exited with "
                        + process.exitValue() + ": " + output.strip() + " (check " + ENV_VAR + ")");
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot run " + executable + " (check " + ENV_VAR + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking " + executable, e);
        }
    }
}
