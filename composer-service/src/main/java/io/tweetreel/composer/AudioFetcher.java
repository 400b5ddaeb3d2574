package io.tweetreel.composer;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.http.AddressPolicy;
import io.tweetreel.core.http.SafeHttpClient;
import io.tweetreel.core.http.SafeHttpException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a request's {@code audioUrl} into the job's workspace and checks that it is audio: through the SSRF-guarded
 * {@link SafeHttpClient} (http/https only, every address and redirect checked, at most {@link #MAX_BYTES} bytes and
 * {@link #DEFAULT_TIMEOUT} for the whole exchange), then a short ffmpeg decode of its first audio stream, with only
 * local files and plain audio containers allowed ({@link ReelAudio#FETCHED_FORMATS}).
 *
 * <p>A track that cannot be used fails the job with {@link #FAILURE_CODE}, never silently the default music. The
 * message says what kind of failure it was, never the address a host resolved to (a user must not be able to map a
 * network through it). Timeouts, broken connections and 5xx/408/429 answers are tried again ({@link #ATTEMPTS} in
 * all, with a doubling pause) before the job fails.
 *
 * <p>Thread-safe; share one instance.
 */
public final class AudioFetcher {
    public static final String FAILURE_CODE = "AUDIO_FAILED";
    public static final long MAX_BYTES = 20L * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    static final int MAX_REDIRECTS = 3;
    static final int ATTEMPTS = 3;
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    /** The decode check reads this much of the track: enough to know it is audio, cheap for a long file. */
    static final int CHECK_SECONDS = 3;

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, String> REQUEST_HEADERS = Map.of(
            "User-Agent", "tweet-reel-composer/1.0",
            "Accept", "audio/*;q=0.9,application/octet-stream;q=0.5");
    private static final Logger log = LoggerFactory.getLogger(AudioFetcher.class);

    private final SafeHttpClient http;
    private final Path ffmpeg;
    private final int attempts;
    private final Duration firstPause;

    /**
     * @param allowPrivateHosts {@code COMPOSER_ALLOW_PRIVATE_AUDIO_HOSTS}: also allow loopback and private addresses
     *                          (tests serving audio from 127.0.0.1); off in production
     */
    public AudioFetcher(boolean allowPrivateHosts, Path ffmpeg) {
        this(
                SafeHttpClient.builder()
                        .addressPolicy(allowPrivateHosts ? AddressPolicy.PUBLIC_AND_PRIVATE : AddressPolicy.PUBLIC_ONLY)
                        .timeout(DEFAULT_TIMEOUT)
                        .maxBytes(MAX_BYTES)
                        .maxRedirects(MAX_REDIRECTS)
                        .build(),
                ffmpeg,
                ATTEMPTS,
                FIRST_PAUSE);
    }

    AudioFetcher(SafeHttpClient http, Path ffmpeg, int attempts, Duration firstPause) {
        this.http = http;
        this.ffmpeg = ffmpeg;
        this.attempts = attempts;
        this.firstPause = firstPause;
    }

    /**
     * Fetches {@code url} to {@code target} and checks it decodes as audio.
     *
     * @throws JobFailure  {@link #FAILURE_CODE}: the track cannot be used (after retries, for transient failures)
     * @throws IOException the machine failed (disk, ffmpeg missing); worth retrying the job
     */
    public ReelAudio fetch(String url, Path target) throws JobFailure, IOException {
        byte[] body = download(url.strip());
        Files.write(target, body);
        requireAudio(target);
        return ReelAudio.fetched(target);
    }

    private byte[] download(String url) throws JobFailure, InterruptedIOException {
        Duration pause = firstPause;
        for (int attempt = 1; ; attempt++) {
            String problem;
            boolean retryable;
            try {
                SafeHttpClient.Response response = http.get(url, REQUEST_HEADERS);
                if (response.status() == 200) {
                    return response.body();
                }
                problem = "the server answered HTTP " + response.status();
                retryable = response.status() >= 500 || response.status() == 408 || response.status() == 429;
            } catch (SafeHttpException e) {
                problem = describe(e.reason());
                retryable = e.reason() == SafeHttpException.Reason.TIMEOUT
                        || e.reason() == SafeHttpException.Reason.IO_ERROR;
            }
            if (!retryable || attempt >= attempts) {
                String tries = attempt > 1 ? " (" + attempt + " attempts)" : "";
                throw new JobFailure(FAILURE_CODE, "Audio failed: audioUrl could not be fetched: " + problem + tries);
            }
            log.warn("audioUrl attempt {} failed, retrying in {} ms: {}", attempt, pause.toMillis(), problem);
            sleep(pause);
            pause = pause.multipliedBy(2);
        }
    }

    /** What went wrong, in words for the user: the kind of failure, no host or address. */
    static String describe(SafeHttpException.Reason reason) {
        return switch (reason) {
            case INVALID_URL -> "not a valid URL";
            case SCHEME_NOT_ALLOWED -> "only http and https are allowed";
            case UNRESOLVABLE_HOST -> "the host name does not resolve";
            case ADDRESS_NOT_ALLOWED -> "the host is not a public address";
            case TOO_MANY_REDIRECTS -> "more than " + MAX_REDIRECTS + " redirects";
            case TOO_LARGE -> "the file is larger than " + MAX_BYTES / (1024 * 1024) + " MB";
            case TIMEOUT -> "no complete answer within " + DEFAULT_TIMEOUT.toSeconds() + " s";
            case IO_ERROR -> "the connection failed";
        };
    }

    /**
     * Decodes the first seconds of the file's first audio stream; it must yield samples. A few damaged frames are
     * let through (ffmpeg skips them, as players do); a file that is not audio yields none or fails to open.
     */
    private void requireAudio(Path file) throws JobFailure, IOException {
        Path samples = file.resolveSibling(file.getFileName() + ".check.raw");
        Path errors = file.resolveSibling(file.getFileName() + ".check.log");
        List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-v", "error"));
        command.addAll(ReelAudio.fetched(file).inputOptions());
        command.addAll(List.of("-i", file.toString(), "-map", "0:a:0", "-t", String.valueOf(CHECK_SECONDS)));
        command.addAll(List.of("-ac", "1", "-ar", "8000", "-f", "s16le", "-y", samples.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(errors.toFile())
                .start();
        try {
            if (!process.waitFor(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the audio decode check did not finish within " + CHECK_TIMEOUT);
            }
            boolean decoded = process.exitValue() == 0 && Files.isRegularFile(samples) && Files.size(samples) > 0;
            if (!decoded) {
                log.warn(
                        "audioUrl does not decode as audio: {}",
                        Files.readString(errors).strip());
                throw new JobFailure(FAILURE_CODE, "Audio failed: the file at audioUrl does not decode as audio");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("audio decode check interrupted");
            interrupted.initCause(e);
            throw interrupted;
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(samples);
            Files.deleteIfExists(errors);
        }
    }

    private static void sleep(Duration pause) throws InterruptedIOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("audioUrl retry interrupted");
            interrupted.initCause(e);
            throw interrupted;
        }
    }
}
