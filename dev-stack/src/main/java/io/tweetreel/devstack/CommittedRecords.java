package io.tweetreel.devstack;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts a topic's records per key as a {@code read_committed} reader sees the whole topic: how the fault tests and
 * the soak tell a job whose output was committed twice (a zombie's late commit) from one committed once.
 */
public final class CommittedRecords {
    private CommittedRecords() {}

    /**
     * Records per key (UTF-8) on {@code topic}, read from its beginning to the end offsets it had when reading began.
     *
     * @throws IllegalStateException when the end is not reached {@code within} (e.g. an open transaction holds the
     *     last stable offset back): a partial count would hide duplicates
     */
    public static Map<String, Integer> perKey(StackEndpoints stack, String topic, Duration within) {
        Map<String, Object> props = new HashMap<>(stack.kafkaClientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + within.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " was not read to its end within " + within);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null) {
                        counts.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }
}
