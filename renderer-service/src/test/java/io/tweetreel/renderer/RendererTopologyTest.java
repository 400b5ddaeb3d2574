package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.JobTracker;
import io.tweetreel.core.RequestRules;
import io.tweetreel.core.RetrySettings;
import io.tweetreel.core.StageRuntime;
import io.tweetreel.core.StageTopology;
import io.tweetreel.core.testing.RequestRuleCases;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.JobWarning;
import io.tweetreel.schemas.MediaItem;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.PostMetrics;
import io.tweetreel.schemas.QuotedPost;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VerifiedBadge;
import io.tweetreel.schemas.VideoRequested;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The renderer's topology with its real work ({@link CardRendering}) and Avro records, fed the shared table of bad
 * requests as if published straight to {@code videos.requested}: each fails its job with {@code INVALID_REQUEST}
 * and the message the gateway gives the same value in its 400 (SharedRequestRulesOverHttpTest).
 */
class RendererTopologyTest {
    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private TopologyTestDriver driver;
    private TestInputTopic<String, VideoRequested> requested;
    private TestOutputTopic<String, ScreenshotReady> screenshots;
    private TestOutputTopic<String, JobStatus> statuses;

    @BeforeEach
    void start(@TempDir Path workDir) {
        StageRuntime runtime = new StageRuntime(
                (jobId, status) -> {},
                new JobTracker("renderer", new SimpleMeterRegistry()),
                new RetrySettings(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(50)),
                Clock.systemUTC());
        // no browser and no object store: a request the rules refuse must never get as far as either
        CardRendering work = new CardRendering(null, null, "work", workDir, Clock.systemUTC());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "renderer-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(StageTopology.build(RendererTopology.definition(topics), work, runtime), props);
        requested = driver.createInputTopic(
                Topics.VIDEOS_REQUESTED,
                new StringSerializer(),
                topics.requested().valueSerde().serializer());
        screenshots = driver.createOutputTopic(
                Topics.VIDEOS_SCREENSHOT,
                topics.screenshot().keySerde().deserializer(),
                topics.screenshot().valueSerde().deserializer());
        statuses = driver.createOutputTopic(
                Topics.VIDEOS_STATUS,
                topics.status().keySerde().deserializer(),
                topics.status().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static List<RequestRuleCases.Case> cases() {
        return RequestRuleCases.onTheWire().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadValueFailsTheJobWithTheSharedMessage(RequestRuleCases.Case bad) {
        String jobId = UUID.randomUUID().toString();
        requested.pipeInput(jobId, bad.record());

        var failed = statuses.readKeyValue();
        assertThat(failed.key).isEqualTo(jobId);
        assertThat(failed.value.getStatus()).isEqualTo(JobState.failed);
        assertThat(failed.value.getError().getCode()).isEqualTo(RequestRules.INVALID_REQUEST);
        assertThat(failed.value.getError().getMessage()).contains(bad.statedAs());
        assertThat(failed.value.getError().getStep()).isEqualTo(JobStep.generating_screenshot);
        assertThat(statuses.isEmpty()).isTrue();
        assertThat(screenshots.isEmpty()).isTrue();
    }

    @Test
    void theRendersWarningsGoOnTheJobStatusAndAWarningFreeRenderWritesNone() {
        JobWarning warning = JobWarning.newBuilder()
                .setCode(CardImages.MEDIA_UNAVAILABLE)
                .setMessage("the image's server did not answer 200 OK")
                .setField("media[1].url")
                .build();
        ScreenshotReady.Builder screenshot = ScreenshotReady.newBuilder()
                .setScreenshotKey("jobs/x/card.png")
                .setWidth(1080)
                .setHeight(1920)
                .setRenderedAt(Instant.parse("2026-12-01T15:04:00Z"));

        JobStatus status = RendererTopology.warningStatus(
                screenshot.setWarnings(List.of(warning)).build());
        JobStatus none =
                RendererTopology.warningStatus(screenshot.setWarnings(List.of()).build());

        assertThat(status.getStatus()).isEqualTo(JobState.processing);
        assertThat(status.getCurrentStep()).isEqualTo(JobStep.generating_screenshot);
        assertThat(status.getProgress()).isEqualTo(20);
        assertThat(status.getWarnings()).singleElement().satisfies(w -> {
            assertThat(w.getCode()).isEqualTo("MEDIA_UNAVAILABLE");
            assertThat(w.getMessage()).isEqualTo("the image's server did not answer 200 OK");
            assertThat(w.getField()).isEqualTo("media[1].url");
        });
        assertThat(none).as("not forwarded: the status topic keeps what it has").isNull();
    }

    @Test
    void everyNewFieldOfTheRequestReachesTheCard() {
        VideoRequested request = VideoRequested.newBuilder()
                .setTweetBody("body")
                .setProfileName("Ada")
                .setUsername("ada")
                .setTheme(Theme.dim)
                .setVerified(VerifiedBadge.gold)
                .setMedia(List.of(new MediaItem("https://example.com/a.png", "alt a")))
                .setQuote(new QuotedPost(
                        "quoted",
                        "Q",
                        "q",
                        null,
                        VerifiedBadge.grey,
                        List.of(new MediaItem("https://example.com/q.png", null))))
                .setPostedAt(Instant.parse("2026-12-01T15:04:00Z"))
                .setTimeZone("Europe/Berlin")
                .setLocale("de-DE")
                .setMetrics(new PostMetrics(1L, 2L, 3L, null, 5L))
                .setReplyTo("grace")
                .setAccentColor("#F91880")
                .setFormats(List.of("16:9", "1:1"))
                .build();

        CardRequest card = CardRendering.cardRequest(request);

        assertThat(card.theme()).isEqualTo(Theme.dim);
        assertThat(card.verified()).isEqualTo(VerifiedBadge.gold);
        assertThat(card.media()).containsExactly(new CardRequest.Media("https://example.com/a.png", "alt a"));
        assertThat(card.quote().verified()).isEqualTo(VerifiedBadge.grey);
        assertThat(card.quote().media())
                .extracting(CardRequest.Media::url)
                .containsExactly("https://example.com/q.png");
        assertThat(card.postedAt()).isEqualTo(Instant.parse("2026-12-01T15:04:00Z"));
        assertThat(card.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(card.locale()).isEqualTo(Locale.GERMANY);
        assertThat(card.metrics()).isEqualTo(new CardRequest.Metrics(1L, 2L, 3L, null, 5L));
        assertThat(card.replyTo()).isEqualTo("grace");
        assertThat(card.accentColor()).isEqualTo("#F91880");
        assertThat(card.formats()).containsExactly(ReelFormat.LANDSCAPE, ReelFormat.SQUARE);

        CardRequest old = CardRendering.cardRequest(VideoRequested.newBuilder()
                .setTweetBody("b")
                .setProfileName("A")
                .setUsername("a")
                .build());
        assertThat(old.formats()).containsExactly(ReelFormat.PORTRAIT);
        assertThat(old.locale()).isEqualTo(Locale.ENGLISH);
        assertThat(old.timeZone()).isEqualTo(java.time.ZoneOffset.UTC);
        assertThat(old.media()).isEmpty();
        assertThat(old.quote()).isNull();
    }
}
