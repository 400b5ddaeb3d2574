package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.HangingTransactionGuard;
import io.tweetreel.devstack.EmbeddedKafka;
import io.tweetreel.devstack.HangingTransactions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction that hangs on a partition (its records written, its coordinator gone on without a marker) is
 * found and aborted within the transaction timeout plus one check interval, and the records behind it become
 * readable; a transaction that is merely long, and that its coordinator still owns, is left alone.
 */
class HangingTransactionGuardTest {
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static String bootstrap;
    static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka(dir.resolve("kafka"), 0, 0);
        bootstrap = kafka.start();
        admin = newAdmin();
    }

    private static Admin newAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void aHangingTransactionIsAbortedAndThePartitionIsReadableAgain() throws Exception {
        TopicPartition tp = createTopic("guard.hanging");
        long hangingOffset = HangingTransactions.plant(
                kafka, tp, 987_654L, "lost-job", "in a transaction nobody will end".getBytes(StandardCharsets.UTF_8));
        produce(tp, "next-job", "written after the hanging one");
        assertThat(stableOffset(tp))
                .as("the hanging record holds the last stable offset")
                .isEqualTo(hangingOffset);
        assertThat(readCommitted(tp, Duration.ofSeconds(2)))
                .as("nothing readable behind it")
                .isEmpty();

        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        long planted = System.nanoTime();
        try (HangingTransactionGuard guard = new HangingTransactionGuard(
                        newAdmin(), () -> List.of(tp), TRANSACTION_TIMEOUT, INTERVAL, Clock.systemUTC(), metrics)
                .start()) {
            await().atMost(TRANSACTION_TIMEOUT.plus(INTERVAL).plusSeconds(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> metrics.counter("tweetreel.hanging.transactions.aborted")
                                    .count()
                            == 1.0);
            long tookMs = (System.nanoTime() - planted) / 1_000_000;
            assertThat(tookMs)
                    .as("found no earlier than the transaction timeout")
                    .isGreaterThanOrEqualTo(TRANSACTION_TIMEOUT.toMillis());
            assertThat(guard.isHealthy()).isTrue();
        }
        assertThat(stableOffset(tp))
                .as("last stable offset caught up with the high watermark")
                .isEqualTo(highWatermark(tp));
        assertThat(readCommitted(tp, Duration.ofSeconds(10)))
                .extracting(ConsumerRecord::value)
                .containsExactly("written after the hanging one");
    }

    @Test
    void aLongTransactionItsCoordinatorStillOwnsIsLeftAlone() throws Exception {
        TopicPartition tp = createTopic("guard.long");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "guard-long-transaction",
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        120_000),
                new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), "job", "still being written"))
                    .get(30, TimeUnit.SECONDS);

            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            try (HangingTransactionGuard guard = new HangingTransactionGuard(
                    newAdmin(), () -> List.of(tp), TRANSACTION_TIMEOUT, INTERVAL, Clock.systemUTC(), metrics)) {
                await().atMost(Duration.ofSeconds(20)).pollInterval(INTERVAL).until(() -> {
                    assertThat(guard.check()).isEmpty();
                    return metrics.get("tweetreel.partitions.blocked.by.open.transaction")
                                            .gauge()
                                            .value()
                                    == 1.0
                            && ((List<?>) guard.status().get("openTransactions")).size() == 1;
                });
                // well past the guard's timeout: still open, never aborted
                await().pollDelay(TRANSACTION_TIMEOUT.plus(INTERVAL))
                        .atMost(TRANSACTION_TIMEOUT.plusSeconds(10))
                        .until(() -> guard.check().isEmpty());
                assertThat(metrics.counter("tweetreel.hanging.transactions.aborted")
                                .count())
                        .isZero();
            }

            producer.commitTransaction();
        }
        assertThat(readCommitted(tp, Duration.ofSeconds(10)))
                .extracting(ConsumerRecord::value)
                .containsExactly("still being written");
    }

    private static TopicPartition createTopic(String name) throws Exception {
        admin.createTopics(Set.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        TopicPartition tp = new TopicPartition(name, 0);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> highWatermark(tp) == 0);
        return tp;
    }

    private static void produce(TopicPartition tp, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), key, value))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static long highWatermark(TopicPartition tp) throws Exception {
        return offset(tp, IsolationLevel.READ_UNCOMMITTED);
    }

    private static long stableOffset(TopicPartition tp) throws Exception {
        return offset(tp, IsolationLevel.READ_COMMITTED);
    }

    private static long offset(TopicPartition tp, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(tp)
                .offset();
    }

    private static List<ConsumerRecord<String, String>> readCommitted(TopicPartition tp, Duration wait) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
            long end = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (!records.isEmpty() && consumer.position(tp) >= safeStable(tp)) {
                    break;
                }
            }
            return records;
        }
    }

    private static long safeStable(TopicPartition tp) {
        try {
            return stableOffset(tp);
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }
}
