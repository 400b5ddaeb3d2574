package io.tweetreel.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tweetreel.core.JobFailure;
import io.tweetreel.core.RequestRules;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.http.AddressPolicy;
import io.tweetreel.core.http.SafeHttpClient;
import io.tweetreel.schemas.MusicChoice;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoComposed;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reel's sound through the composer's work ({@link ReelComposing}, real ffmpeg, a folder for the object store):
 * each job's choice of {@code music} or {@code audioUrl} (served from loopback), leveled to -16 LUFS, silence for
 * {@code none}, and {@code AUDIO_FAILED} for every track that cannot be used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReelSoundTest {
    static final String BUCKET = "work";
    static final int SECONDS = 4;
    static final String LOOPBACK = InetAddress.getLoopbackAddress().getHostAddress();

    Path dir;
    FolderObjectStore store;
    ReelComposer composer;
    Map<MusicChoice, Path> tracks;
    ReelComposing composing;
    ReelComposing publicOnly;
    HttpServer server;
    Path card;
    final AtomicInteger flakyCalls = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        dir = tmp;
        card = Media.card(dir.resolve("card.png"), 1080, 1920);
        store = new FolderObjectStore(dir.resolve("store"));
        tracks = BundledMusic.resolveAll(null, dir.resolve("audio"));
        composer = new ReelComposer(Media.FFMPEG_HOME, tracks.get(MusicChoice.DEFAULT));
        Path ffmpeg = composer.binaries().ffmpeg();
        // short pauses between attempts keep the retry tests quick; production waits 1 s, then 2 s
        AudioFetcher loopbackFetcher = new AudioFetcher(client(AddressPolicy.PUBLIC_AND_PRIVATE), ffmpeg, 3, ms(20));
        AudioFetcher publicFetcher = new AudioFetcher(client(AddressPolicy.PUBLIC_ONLY), ffmpeg, 3, ms(20));
        composing = composing(loopbackFetcher);
        publicOnly = composing(publicFetcher);

        // loud: white noise (about -8 LUFS); quiet: a soft chord with sharp plucks (about -26 LUFS, peaks 15 dB
        // above that), so leveling lifts it by about 10 dB and the limiter has to hold its peaks
        byte[] loud = audio("loud.m4a", "anoisesrc=color=white:amplitude=0.6:duration=3:seed=7");
        byte[] quiet = audio(
                "quiet.mp3",
                "aevalsrc='0.02*sin(2*PI*262*t)+0.015*sin(2*PI*330*t)+0.012*sin(2*PI*392*t)"
                        + "+0.4*sin(2*PI*523*t)*exp(-25*mod(t,0.5))':s=44100:d=3");
        byte[] png = Files.readAllBytes(card);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/loud.m4a", e -> send(e, 200, loud));
        server.createContext("/quiet.mp3", e -> send(e, 200, quiet));
        server.createContext("/card.png", e -> send(e, 200, png));
        server.createContext("/page.html", e -> send(e, 200, "<!doctype html><p>not music</p>".getBytes()));
        server.createContext("/missing.mp3", e -> send(e, 404, "gone".getBytes()));
        server.createContext("/flaky.m4a", e -> {
            if (flakyCalls.incrementAndGet() <= 2) {
                send(e, 503, "busy".getBytes());
            } else {
                send(e, 200, loud);
            }
        });
        server.createContext("/huge.mp3", e -> {
            // 21 MB: the declared length alone is over the cap
            e.sendResponseHeaders(200, AudioFetcher.MAX_BYTES + 1024 * 1024);
            try (OutputStream out = e.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent < AudioFetcher.MAX_BYTES + 1024 * 1024; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException clientLeft) {
                // the fetcher hangs up as soon as it reads Content-Length
            }
        });
        server.start();
    }

    @AfterAll
    void stop() {
        server.stop(0);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static SafeHttpClient client(AddressPolicy policy) {
        return SafeHttpClient.builder()
                .addressPolicy(policy)
                .timeout(Duration.ofSeconds(10))
                .maxBytes(AudioFetcher.MAX_BYTES)
                .build();
    }

    private ReelComposing composing(AudioFetcher fetcher) {
        return new ReelComposing(
                composer, new Soundtracks(tracks, fetcher), store, BUCKET, dir.resolve("work"), Clock.systemUTC());
    }

    private byte[] audio(String name, String source) throws IOException {
        Path file = dir.resolve(name);
        Media.ffmpeg("-f", "lavfi", "-i", source, "-ac", "2", "-b:a", "128k", file.toString());
        return Files.readAllBytes(file);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String url(String path) {
        return "http://" + LOOPBACK + ":" + server.getAddress().getPort() + path;
    }

    /** Runs one job through the composer's work and returns its reel. */
    private Path compose(ReelComposing work, String music, String audioUrl) throws Exception {
        String jobId = UUID.randomUUID().toString();
        store.put(BUCKET, ObjectLayout.cardKey(jobId), card, "image/png", Map.of());
        ScreenshotReady screenshot = ScreenshotReady.newBuilder()
                .setScreenshotKey(ObjectLayout.cardKey(jobId))
                .setWidth(1080)
                .setHeight(1920)
                .setDurationSeconds(SECONDS)
                .setRenderedAt(Instant.now())
                .setMusic(music)
                .setAudioUrl(audioUrl)
                .build();
        VideoComposed composed = work.process(new StageJob<>(jobId, screenshot, progress -> {}));
        return store.file(BUCKET, composed.getVideoKey());
    }

    private static double integratedLufs(Path media) {
        return ebur128(media, "I:\\s+(-?[0-9.]+) LUFS");
    }

    private static double truePeakDbfs(Path media) {
        return ebur128(media, "Peak:\\s+(-?[0-9.]+|-inf) dBFS");
    }

    /** A figure of ffmpeg's ebur128 summary of the first audio stream. */
    private static double ebur128(Path media, String figure) {
        String log = Media.ffmpegStderr(
                "-nostats",
                "-loglevel",
                "info",
                "-i",
                media.toString(),
                "-map",
                "0:a:0",
                "-af",
                "ebur128=peak=true",
                "-f",
                "null",
                "-");
        Matcher value = Pattern.compile(figure).matcher(log.substring(log.lastIndexOf("Summary:")));
        assertThat(value.find()).as(log).isTrue();
        return value.group(1).equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(value.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/loud.m4a", "/quiet.mp3"})
    void anAudioUrlIsFetchedAndLeveledToMinus16Lufs(String path) throws Exception {
        double source = integratedLufs(dir.resolve(path.substring(1)));
        Path reel = compose(composing, null, url(path));

        double lufs = integratedLufs(reel);
        System.out.printf("%s: source %.1f LUFS, reel %.1f LUFS%n", path, source, lufs);
        assertThat(Math.abs(source + 16))
                .as("the source is far from the target")
                .isGreaterThan(5);
        assertThat(lufs).isCloseTo(-16.0, within(1.0));
        // the quiet track's plucks would clip after its gain: the limiter holds them (AAC may overshoot a little)
        assertThat(truePeakDbfs(reel)).isLessThan(-0.5);
        assertThat(Media.probe(reel, "a:0")).containsEntry("codec_name", "aac").containsEntry("channels", "2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "calm", "upbeat", "cinematic"})
    void everyBundledTrackComesOutAtMinus16Lufs(String music) throws Exception {
        Path reel = compose(composing, music, null);

        assertThat(integratedLufs(reel)).isCloseTo(-16.0, within(1.0));
    }

    @Test
    void theMoodsAreDifferentMusic() {
        List<MusicChoice> moods =
                List.of(MusicChoice.DEFAULT, MusicChoice.CALM, MusicChoice.UPBEAT, MusicChoice.CINEMATIC);
        List<double[]> samples = new ArrayList<>();
        for (MusicChoice mood : moods) {
            samples.add(Media.monoSamples(tracks.get(mood)));
        }
        for (int a = 0; a < moods.size(); a++) {
            for (int b = a + 1; b < moods.size(); b++) {
                // the same music gives a difference of 0; two unrelated tracks of one loudness about 1.4x either
                double difference = rmsOfDifference(samples.get(a), samples.get(b), 1, 20);
                assertThat(difference)
                        .as("%s vs %s", moods.get(a), moods.get(b))
                        .isGreaterThan(0.7 * Media.rms(samples.get(a), 1, 20));
            }
        }
    }

    private static double rmsOfDifference(double[] a, double[] b, double fromSeconds, double toSeconds) {
        int from = (int) (fromSeconds * Media.SAMPLE_RATE);
        int to = (int) (toSeconds * Media.SAMPLE_RATE);
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum / (to - from));
    }

    @Test
    void musicNoneGivesASilentStereoAacTrack() throws Exception {
        Path reel = compose(composing, "none", null);

        Map<String, String> audio = Media.probe(reel, "a:0");
        assertThat(audio)
                .containsEntry("codec_name", "aac")
                .containsEntry("channels", "2")
                .containsEntry("sample_rate", "48000");
        assertThat(Double.parseDouble(audio.get("duration"))).isCloseTo(SECONDS, within(0.1));
        double peak = 0;
        for (double sample : Media.monoSamples(reel)) {
            peak = Math.max(peak, Math.abs(sample));
        }
        assertThat(peak).as("peak, where -60 dBFS is 0.001").isLessThanOrEqualTo(0.001);
    }

    @Test
    void transientServerErrorsAreTriedAgain() throws Exception {
        flakyCalls.set(0);
        Path reel = compose(composing, null, url("/flaky.m4a"));

        assertThat(flakyCalls).hasValue(3);
        assertThat(integratedLufs(reel)).isCloseTo(-16.0, within(1.0));
    }

    @Test
    void unusableAudioUrlsFailTheJobWithAudioFailed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> expected = Map.of(
                url("/missing.mp3"),
                "HTTP 404",
                "http://" + LOOPBACK + ":" + closedPort + "/track.mp3",
                "the connection failed (3 attempts)",
                url("/card.png"),
                "does not decode as audio",
                url("/page.html"),
                "does not decode as audio",
                url("/huge.mp3"),
                "larger than 20 MB",
                "ftp://example.com/track.mp3",
                "only http and https");
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            assertThatThrownBy(() -> compose(composing, null, entry.getKey()))
                    .as(entry.getKey())
                    .isInstanceOfSatisfying(JobFailure.class, failure -> {
                        assertThat(failure.code()).isEqualTo("AUDIO_FAILED");
                        assertThat(failure.getMessage())
                                .startsWith("Audio failed: ")
                                .contains(entry.getValue())
                                .doesNotContain(LOOPBACK);
                    });
        }
    }

    @Test
    void withoutThePrivateHostSwitchALoopbackUrlIsRefusedWithoutSayingWhy() {
        assertThatThrownBy(() -> compose(publicOnly, null, url("/loud.m4a")))
                .isInstanceOfSatisfying(JobFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo("AUDIO_FAILED");
                    assertThat(failure.getMessage())
                            .isEqualTo("Audio failed: audioUrl could not be fetched: the host is not a public address");
                });
    }

    @Test
    void anUnknownMusicNameOrBothFieldsFailAsAnInvalidRequest() {
        assertThatThrownBy(() -> compose(composing, "jazz", null)).isInstanceOfSatisfying(JobFailure.class, failure -> {
            assertThat(failure.code()).isEqualTo("INVALID_REQUEST");
            // the field message a 400 from the gateway gives for the same request
            assertThat(failure.getMessage())
                    .isEqualTo(RequestRules.describe(List.of(RequestRules.unknownMusic())))
                    .contains("music", "\"calm\", \"upbeat\"");
        });
        assertThatThrownBy(() -> compose(composing, "calm", url("/loud.m4a")))
                .isInstanceOfSatisfying(JobFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo("INVALID_REQUEST");
                    assertThat(failure.getMessage()).contains("music", "either music or audioUrl");
                });
    }

    /**
     * A configured track is measured once per reel length; a user's track for every job. Also prints the figure for
     * the note: what fetching, checking and measuring a short audioUrl track adds to a job.
     */
    @Test
    void aConfiguredTrackIsMeasuredOncePerLengthAndAUsersTrackForEveryJob() throws Exception {
        compose(composing, null, null); // the default track is now measured for this length, if it was not yet
        int runs = 3;
        long defaultNanos = 0;
        long urlNanos = 0;
        for (int i = 0; i < runs; i++) {
            long passes = composer.loudness().passes();
            long started = System.nanoTime();
            compose(composing, null, null);
            long middle = System.nanoTime();
            assertThat(composer.loudness().passes())
                    .as("passes of a default job")
                    .isEqualTo(passes);
            compose(composing, null, url("/loud.m4a"));
            urlNanos += System.nanoTime() - middle;
            defaultNanos += middle - started;
            assertThat(composer.loudness().passes())
                    .as("passes of an audioUrl job")
                    .isEqualTo(passes + 1);
        }
        System.out.printf(
                "compose time of a %d s reel, mean of %d: default music %d ms, audioUrl %d ms (+%d ms)%n",
                SECONDS,
                runs,
                defaultNanos / runs / 1_000_000,
                urlNanos / runs / 1_000_000,
                (urlNanos - defaultNanos) / runs / 1_000_000);
    }
}
