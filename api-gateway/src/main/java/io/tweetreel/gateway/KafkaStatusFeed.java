package io.tweetreel.gateway;

import io.tweetreel.core.KafkaClientSettings;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StatusFeed} on a plain consumer that reads every partition of {@code videos.status} from its end
 * (no consumer group: every gateway instance sees every update, so an event stream never needs forwarding).
 * Committed updates only; a value is decoded only when someone listens to its job.
 */
public final class KafkaStatusFeed implements StatusFeed, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaStatusFeed.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

    private final Topic<String, JobStatus> topic;
    private final Properties props;
    private final Map<String, List<Consumer<JobStatus>>> listeners = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean assigned;

    public KafkaStatusFeed(KafkaClientSettings kafka, Topic<String, JobStatus> topic, String clientId) {
        this.topic = topic;
        props = kafka.properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-status-feed");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        thread = new Thread(this::run, "status-feed");
        thread.setDaemon(true);
    }

    public KafkaStatusFeed start() {
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        thread.start();
        return this;
    }

    /** True once it reads every partition. */
    public boolean isReady() {
        return assigned && thread.isAlive();
    }

    @Override
    public Subscription subscribe(String jobId, Consumer<JobStatus> listener) {
        listeners.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(jobId, (k, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    private void run() {
        Deserializer<JobStatus> values = topic.valueSerde().deserializer();
        long nextRefresh = 0;
        try {
            while (running) {
                try {
                    if (System.nanoTime() >= nextRefresh) {
                        assignAll();
                        nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        dispatch(record, values);
                    }
                } catch (WakeupException e) {
                    // close() wants the loop to look at running again
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    log.warn("status feed: {}; retrying", e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** (Re)assigns every partition of the topic; partitions added later start from their beginning. */
    private void assignAll() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        if (partitions.isEmpty() || consumer.assignment().containsAll(partitions)) {
            return;
        }
        boolean first = consumer.assignment().isEmpty();
        List<TopicPartition> added = partitions.stream()
                .filter(p -> !consumer.assignment().contains(p))
                .toList();
        consumer.assign(partitions);
        if (first) {
            consumer.seekToEnd(partitions);
        } else {
            consumer.seekToBeginning(added);
        }
        assigned = true;
        log.info("status feed reads {} partitions of {}", partitions.size(), topic.name());
    }

    private void dispatch(ConsumerRecord<String, byte[]> record, Deserializer<JobStatus> values) {
        List<Consumer<JobStatus>> interested = record.key() == null ? null : listeners.get(record.key());
        if (interested == null || record.value() == null) {
            return;
        }
        JobStatus status;
        try {
            status = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            log.warn("status feed skipped an unreadable update of {}: {}", record.key(), e.toString());
            return;
        }
        for (Consumer<JobStatus> listener : interested) {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                log.warn("status listener of {} failed: {}", record.key(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
