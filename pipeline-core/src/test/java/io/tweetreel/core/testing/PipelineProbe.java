package io.tweetreel.core.testing;

import static org.awaitility.Awaitility.await;

import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topic;
import io.tweetreel.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A test's view of the real pipeline topics: publishes events with the registry serdes and records, per job,
 * everything that arrives on the topics it watches (read committed, as a downstream service sees them).
 */
public final class PipelineProbe implements AutoCloseable {
    private final String bootstrapServers;
    private final Topics topics;
    private final Map<String, List<Object>> byTopicAndJob = new ConcurrentHashMap<>();
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    public PipelineProbe(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.topics = Topics.withRegistry(registryUrl);
    }

    public Topics topics() {
        return topics;
    }

    /** Starts recording {@code topic} from its beginning (a fresh group reading from the earliest offset). */
    public <V> PipelineProbe watch(Topic<String, V> topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                p, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        Thread reader = new Thread(
                () -> {
                    try (consumer) {
                        while (running.get()) {
                            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                                byTopicAndJob
                                        .computeIfAbsent(
                                                topic.name() + "/" + r.key(), k -> new CopyOnWriteArrayList<>())
                                        .add(r.value());
                            }
                        }
                    } catch (RuntimeException e) {
                        if (running.get()) {
                            throw e;
                        }
                    }
                },
                "probe-" + topic.name());
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
        return this;
    }

    public <V> void publish(Topic<String, V> topic, String jobId, V value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                p, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), jobId, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("publish to " + topic + " failed", e);
        }
    }

    public void publishRaw(String topic, byte[] key, byte[] value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                p,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("publish to " + topic + " failed", e);
        }
    }

    /** Everything seen so far on {@code topic} for {@code jobId}, in arrival order. */
    @SuppressWarnings("unchecked")
    public <V> List<V> seen(Topic<String, V> topic, String jobId) {
        return (List<V>) List.copyOf(byTopicAndJob.getOrDefault(topic.name() + "/" + jobId, List.of()));
    }

    /** Waits for the first value on {@code topic} for {@code jobId}. */
    public <V> V awaitFirst(Topic<String, V> topic, String jobId, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !seen(topic, jobId).isEmpty());
        return seen(topic, jobId).get(0);
    }

    /** Waits until the job's status stream reaches completed or failed, and returns every status seen. */
    public List<JobStatus> awaitFinalStatus(String jobId, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> seen(topics.status(), jobId).stream()
                        .anyMatch(s -> s.getStatus().name().equals("completed")
                                || s.getStatus().name().equals("failed")));
        return seen(topics.status(), jobId);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread reader : readers) {
            reader.join(5_000);
        }
    }
}
