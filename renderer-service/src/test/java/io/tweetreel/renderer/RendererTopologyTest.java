package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.JobTracker;
import io.tweetreel.core.RetrySettings;
import io.tweetreel.core.StageRuntime;
import io.tweetreel.core.StageTopology;
import io.tweetreel.core.testing.RequestRuleCases;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
        assertThat(failed.value.getError().getCode()).isEqualTo(CardRendering.INVALID_REQUEST);
        assertThat(failed.value.getError().getMessage()).contains(bad.statedAs());
        assertThat(failed.value.getError().getStep()).isEqualTo(JobStep.generating_screenshot);
        assertThat(statuses.isEmpty()).isTrue();
        assertThat(screenshots.isEmpty()).isTrue();
    }
}
