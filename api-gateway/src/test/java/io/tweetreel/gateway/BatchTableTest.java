package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch table in the gateway's topology, against {@link TopologyTestDriver}. */
class BatchTableTest {
    private static final String BATCH = "0b9f3a52-3f0e-4c1e-9d7a-2b6c1e4f8a10";

    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private TopologyTestDriver driver;
    private TestInputTopic<String, VideoBatch> batches;
    private KeyValueStore<String, BatchSummary> table;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gateway-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                JobStatusTopology.build(
                        topics,
                        Duration.ofMinutes(5),
                        new FakeQueuePositions(),
                        new FiledVideoRemover(new InMemoryObjectStore(), "videos", Runnable::run),
                        new SimpleMeterRegistry()),
                props);
        batches = driver.createInputTopic(
                Topics.VIDEOS_BATCHES,
                new StringSerializer(),
                topics.batches().valueSerde().serializer());
        table = driver.getKeyValueStore(BatchTable.STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aBatchIsKeptByIdWithItsItemsInOrderAndTheFingerprintFromItsHeader() {
        List<String> jobIds = BatchIds.itemJobIds(BATCH, 3);
        VideoBatch batch = VideoBatch.newBuilder()
                .setJobIds(jobIds)
                .setWebhookUrl("https://hooks.example/b")
                .setMetadata(Map.of("campaign", "spring"))
                .setCreatedAt(Instant.parse("2026-11-28T10:00:00Z"))
                .build();
        RecordHeaders headers = new RecordHeaders();
        headers.add(BatchTable.FINGERPRINT_HEADER, "abc123".getBytes(StandardCharsets.US_ASCII));

        batches.pipeInput(new TestRecord<>(BATCH, batch, headers));

        BatchSummary stored = table.get(BATCH);
        assertThat(stored.jobIds()).containsExactlyElementsOf(jobIds);
        assertThat(stored.fingerprint()).isEqualTo("abc123");
        assertThat(stored.hasWebhook()).isTrue();
        assertThat(stored.metadata()).containsEntry("campaign", "spring");
        assertThat(stored.createdAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(BatchSummary.fromJson(stored.toJson())).isEqualTo(stored);
    }

    @Test
    void aBatchWrittenWithoutAFingerprintIsKeptWithoutOneAndATombstoneRemovesIt() {
        batches.pipeInput(
                BATCH,
                VideoBatch.newBuilder()
                        .setJobIds(List.of(BatchIds.itemJobId(BATCH, 0)))
                        .setCreatedAt(Instant.parse("2026-11-28T10:00:00Z"))
                        .build());
        assertThat(table.get(BATCH).fingerprint()).isNull();
        assertThat(table.get(BATCH).hasWebhook()).isFalse();

        batches.pipeInput(BATCH, (VideoBatch) null);
        assertThat(table.get(BATCH)).isNull();
    }
}
