package io.tweetreel.gateway;

import io.tweetreel.core.KafkaClientSettings;
import io.tweetreel.core.WholeTopicReader;
import io.tweetreel.core.WholeTopicReader.From;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StatusFeed} on a {@link WholeTopicReader} of {@code videos.status} from its end (no consumer group: every
 * gateway instance sees every update, so an event stream never needs forwarding). Committed updates only; a value
 * is decoded only when someone listens to its job.
 */
public final class KafkaStatusFeed implements StatusFeed, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaStatusFeed.class);

    private final Deserializer<JobStatus> values;
    private final Map<String, List<Consumer<JobStatus>>> listeners = new ConcurrentHashMap<>();
    private final WholeTopicReader reader;

    public KafkaStatusFeed(KafkaClientSettings kafka, Topic<String, JobStatus> topic, String clientId) {
        this.values = topic.valueSerde().deserializer();
        this.reader = new WholeTopicReader(
                kafka, topic.name(), clientId + "-status-feed", From.END, Duration.ofMillis(500), this::dispatch);
    }

    public KafkaStatusFeed start() {
        reader.start();
        return this;
    }

    /** True once it reads every partition. */
    public boolean isReady() {
        return reader.isReading();
    }

    @Override
    public Subscription subscribe(String jobId, Consumer<JobStatus> listener) {
        listeners.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(jobId, (k, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
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
        reader.close();
    }
}
