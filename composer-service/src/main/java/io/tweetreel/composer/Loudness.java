package io.tweetreel.composer;

import io.tweetreel.composer.ReelAudio.Leveling;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Levels every reel's sound to {@value #TARGET_LUFS} LUFS, so reels sound alike whatever track they use: a fast
 * audio-only ffmpeg pass measures the exact sound the reel will carry (the track looped or cut to the reel's
 * length, with its fades: {@link ReelComposer#audioChain}) with {@code ebur128}, and the encode then applies one
 * linear gain ({@code volume}), plus a limiter only when that gain would push the true peak above
 * {@value #PEAK_CEILING_DBFS} dBFS. One gain keeps the track's own dynamics, where {@code loudnorm}'s dynamic mode
 * would pump.
 *
 * <p>A configured track's measurement is kept per (track, duration): after the first reel of a length, leveling it
 * costs nothing. Thread-safe.
 */
final class Loudness {
    static final double TARGET_LUFS = -16.0;
    static final double PEAK_CEILING_DBFS = -1.0;
    /** ebur128's floor: a track this quiet is silence, and no gain makes it music. */
    static final double SILENCE_LUFS = -70.0;
    /** A whisper of a track is lifted at most this much: beyond it, the noise floor would be the music. */
    static final double MAX_GAIN_DB = 40.0;

    private static final Logger LOG = LoggerFactory.getLogger(Loudness.class);
    private static final Pattern INTEGRATED = Pattern.compile("\\bI:\\s+(-?[0-9.]+|-inf) LUFS");
    private static final Pattern TRUE_PEAK = Pattern.compile("\\bPeak:\\s+(-?[0-9.]+|-inf) dBFS");
    private static final Pattern CONTEXT = Pattern.compile("^\\[[^\\]]*@ 0x[0-9a-fA-F]+\\]\\s*");

    private final Path ffmpeg;
    private final Duration timeout;
    private final Map<CacheKey, Leveling> configured = new ConcurrentHashMap<>();
    private final AtomicLong passes = new AtomicLong();

    private record CacheKey(Path track, int durationSeconds) {}

    Loudness(Path ffmpeg, Duration timeout) {
        this.ffmpeg = ffmpeg;
        this.timeout = timeout;
    }

    /** {@code audio} with its leveling for a reel of {@code durationSeconds}; measured unless known already. */
    ReelAudio level(ReelAudio audio, int durationSeconds) throws ComposeException, IOException {
        if (audio.isLeveled()) {
            return audio;
        }
        if (audio.origin() != ReelAudio.Origin.CONFIGURED) {
            return audio.leveled(measure(audio, durationSeconds));
        }
        CacheKey key = new CacheKey(audio.track(), durationSeconds);
        Leveling known = configured.get(key);
        if (known == null) {
            // two first jobs of a length may both measure; they find the same answer
            known = measure(audio, durationSeconds);
            configured.put(key, known);
        }
        return audio.leveled(known);
    }

    /**
     * Measures the reel's sound and works out its gain. When the gain needs the limiter, the sound is measured once
     * more through gain and limiter: holding down the peaks takes loudness off a spiky track (a few dB for sharp
     * plucks), and the shortfall is made up with more gain before the limiter.
     *
     * @throws ComposeException ffmpeg could not decode the track (permanent)
     * @throws IOException      ffmpeg could not run, timed out, or was interrupted
     */
    Leveling measure(ReelAudio audio, int durationSeconds) throws ComposeException, IOException {
        long started = System.nanoTime();
        Leveling leveling = leveling(measurement(audio, durationSeconds, Leveling.NONE));
        if (leveling.limit()) {
            Measurement limited = measurement(audio, durationSeconds, leveling);
            if (limited.lufs() > SILENCE_LUFS) {
                leveling = new Leveling(clampGain(leveling.gainDb() + TARGET_LUFS - limited.lufs()), true);
            }
        }
        LOG.debug(
                "Measured {} for {} s in {} ms: {}",
                audio.track().getFileName(),
                durationSeconds,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                leveling);
        return leveling;
    }

    /** Integrated loudness (LUFS) and true peak (dBFS) of what ebur128 measured. */
    record Measurement(double lufs, double truePeakDbfs) {}

    /** One audio-only pass over the reel's sound, with {@code leveling} applied, through ebur128. */
    private Measurement measurement(ReelAudio audio, int durationSeconds, Leveling leveling)
            throws ComposeException, IOException {
        List<String> command = new ArrayList<>(
                List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+info"));
        command.addAll(audio.inputOptions());
        command.addAll(List.of("-stream_loop", "-1", "-i", audio.track().toString()));
        command.addAll(List.of(
                "-filter_complex",
                // framelog=verbose: the per-frame lines stay out of the log; the summary is printed at info
                ReelComposer.audioChain("[0:a:0]", durationSeconds) + leveling.filters()
                        + ",ebur128=peak=true:framelog=verbose",
                "-f",
                "null",
                "-"));
        passes.incrementAndGet();
        return parse(run(command));
    }

    /** Measuring ffmpeg runs so far (tests check that a configured track is measured once per length). */
    long passes() {
        return passes.get();
    }

    /** The gain for a measured sound: to the target, unless the sound is silence. */
    static Leveling leveling(Measurement measured) {
        if (measured.lufs() <= SILENCE_LUFS) {
            return Leveling.NONE;
        }
        double gain = clampGain(TARGET_LUFS - measured.lufs());
        return new Leveling(gain, measured.truePeakDbfs() + gain > PEAK_CEILING_DBFS);
    }

    private static double clampGain(double gainDb) {
        return Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, gainDb));
    }

    /** ffmpeg's ebur128 summary (the last one in the log: ffmpeg may set the graph up twice). */
    static Measurement parse(String log) throws ComposeException {
        int summary = log.lastIndexOf("Summary:");
        Matcher integrated = INTEGRATED.matcher(log);
        Matcher peak = TRUE_PEAK.matcher(log);
        if (summary < 0 || !integrated.find(summary) || !peak.find(summary)) {
            throw new ComposeException("Audio loudness could not be measured: ffmpeg printed no ebur128 summary");
        }
        return new Measurement(decibels(integrated.group(1)), decibels(peak.group(1)));
    }

    private static double decibels(String value) {
        return value.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(value);
    }

    private String run(List<String> command) throws ComposeException, IOException {
        // the log goes to a file, not a pipe: reading a pipe would block past the timeout on an ffmpeg that hangs
        Path logFile = Files.createTempFile("loudness-", ".log");
        Process process = null;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("Audio loudness measurement did not finish within " + timeout);
            }
            String log = Files.readString(logFile, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                List<String> errors = log.lines()
                        .filter(line -> line.contains("[error]") || line.contains("[fatal]"))
                        .map(line -> CONTEXT.matcher(line.replaceAll("\\[(error|fatal)\\]\\s*", ""))
                                .replaceAll("")
                                .strip())
                        .distinct()
                        .toList();
                if (errors.isEmpty()) {
                    throw new IOException("ffmpeg ended with exit code " + process.exitValue() + " while measuring"
                            + " loudness, without an error line");
                }
                throw new ComposeException("Audio could not be decoded: " + String.join("; ", errors));
            }
            return log;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("Audio loudness measurement interrupted");
            interrupted.initCause(e);
            throw interrupted;
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(logFile);
        }
    }
}
