package io.tweetreel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.JobTracker;
import io.tweetreel.core.RetrySettings;
import io.tweetreel.core.StageRuntime;
import io.tweetreel.core.StageTopology;
import io.tweetreel.core.StatusEmitter;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoStored;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class StorageTopologyTest {
    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private final Instant expires = Instant.parse("2026-11-29T10:00:00Z");

    private TopologyTestDriver driver(io.tweetreel.core.StageWork<VideoComposed, VideoStored> work) {
        StageRuntime runtime = new StageRuntime(
                StatusEmitter.NONE,
                new JobTracker("storage", new SimpleMeterRegistry()),
                new RetrySettings(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(50)),
                Clock.systemUTC());
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "storage-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(StageTopology.build(StorageTopology.definition(topics), work, runtime), p);
    }

    private static VideoComposed composed(String jobId) {
        return VideoComposed.newBuilder()
                .setVideoKey(ObjectLayout.videoKey(jobId))
                .setDurationSeconds(5.0)
                .setFileSize(1000)
                .setWidth(1080)
                .setHeight(1920)
                .setComposedAt(Instant.now())
                .build();
    }

    @Test
    void storedVideoCompletesTheJobWithTheResult() {
        try (var driver = driver(job -> VideoStored.newBuilder()
                .setFilename("2026-11-28_" + "b".repeat(32) + ".mp4")
                .setDownloadUrl("http://localhost:3000/download/2026-11-28_" + "b".repeat(32) + ".mp4")
                .setExpiresAt(expires)
                .setFileSize(1000)
                .setDurationSeconds(5.0)
                .setResolution("1080x1920")
                .setStoredAt(Instant.now())
                .build())) {
            String jobId = UUID.randomUUID().toString();
            driver.createInputTopic(
                            Topics.VIDEOS_COMPOSED,
                            topics.composed().keySerde().serializer(),
                            topics.composed().valueSerde().serializer())
                    .pipeInput(jobId, composed(jobId));
            var stored = driver.createOutputTopic(
                            Topics.VIDEOS_STORED,
                            topics.stored().keySerde().deserializer(),
                            topics.stored().valueSerde().deserializer())
                    .readKeyValue();
            JobStatus status = driver.createOutputTopic(
                            Topics.VIDEOS_STATUS,
                            topics.status().keySerde().deserializer(),
                            topics.status().valueSerde().deserializer())
                    .readValue();
            assertThat(stored.key).isEqualTo(jobId);
            assertThat(status.getStatus()).isEqualTo(JobState.completed);
            assertThat(status.getProgress()).isEqualTo(100);
            assertThat(status.getJobResult().getFilename()).isEqualTo(stored.value.getFilename());
            assertThat(status.getJobResult().getExpiresAt()).isEqualTo(expires);
        }
    }

    @Test
    void storeThatNeverComesBackFailsTheJobWithStorageFailed() {
        try (var driver = driver(job -> {
            throw new IOException("Failed to save file: Connection refused");
        })) {
            String jobId = UUID.randomUUID().toString();
            driver.createInputTopic(
                            Topics.VIDEOS_COMPOSED,
                            topics.composed().keySerde().serializer(),
                            topics.composed().valueSerde().serializer())
                    .pipeInput(jobId, composed(jobId));
            JobStatus status = driver.createOutputTopic(
                            Topics.VIDEOS_STATUS,
                            topics.status().keySerde().deserializer(),
                            topics.status().valueSerde().deserializer())
                    .readValue();
            assertThat(status.getStatus()).isEqualTo(JobState.failed);
            assertThat(status.getError().getCode()).isEqualTo("STORAGE_FAILED");
            assertThat(status.getError().getMessage()).isEqualTo("Failed to save file: Connection refused");
        }
    }
}
