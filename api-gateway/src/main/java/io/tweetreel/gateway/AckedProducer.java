package io.tweetreel.gateway;

import io.tweetreel.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain idempotent producer of one topic for writes an HTTP client waits on ({@link AnsweringProducerSettings}):
 * each call returns once every in-sync replica has its records, or throws {@link TemporarilyUnavailableException}
 * (503, try again in {@link #RETRY_AFTER}) when Kafka does not take them in time. No transaction: for records that
 * stand on their own and are harmless to write twice.
 */
final class AckedProducer<K, V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AckedProducer.class);
    private static final Duration WAIT_FOR_ACK = Duration.ofSeconds(10);
    /** Kafka's answer to a write that was not taken in time is usually back within a couple of seconds. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final Topic<K, V> topic;
    private final KafkaProducer<K, V> producer;
    private final String refusal;

    /** @param refusal what the client is told when the records are not taken */
    AckedProducer(String bootstrapServers, Topic<K, V> topic, String clientId, String refusal) {
        this.topic = topic;
        this.refusal = refusal;
        this.producer = new KafkaProducer<>(
                AnsweringProducerSettings.of(bootstrapServers, clientId),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    /**
     * Sends {@code value} under every one of {@code keys} at once, then awaits their acknowledgements together (a
     * batch's 500 in one round).
     *
     * @param what names the records in the warning logged when they are not written
     */
    void sendAll(Collection<K> keys, V value, String what) {
        long deadline = System.nanoTime() + WAIT_FOR_ACK.toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>(keys.size());
        try {
            for (K key : keys) {
                acks.add(producer.send(new ProducerRecord<>(topic.name(), key, value)));
            }
        } catch (RuntimeException e) {
            // the value could not be encoded (schema registry unreachable) or the send timed out
            log.warn("{} not written: {}", what, e.toString());
            throw unavailable(refusal);
        }
        awaitAll(acks, deadline, refusal, e -> log.warn("{} not written: {}", what, e.toString()));
    }

    /**
     * Sends one record and awaits its acknowledgement; returns where it was written, so a reader of the topic on this
     * instance can be awaited ({@link io.tweetreel.core.ApiKeyDirectory#awaitRead}).
     *
     * @param what names the record in the warning logged when it is not written
     */
    RecordMetadata send(K key, V value, String what) {
        long deadline = System.nanoTime() + WAIT_FOR_ACK.toNanos();
        Future<RecordMetadata> ack;
        try {
            ack = producer.send(new ProducerRecord<>(topic.name(), key, value));
        } catch (RuntimeException e) {
            log.warn("{} not written: {}", what, e.toString());
            throw unavailable(refusal);
        }
        awaitAll(List.of(ack), deadline, refusal, e -> log.warn("{} not written: {}", what, e.toString()));
        try {
            return ack.get(); // done: awaitAll returned
        } catch (ExecutionException e) {
            throw unavailable(refusal); // not reached: awaitAll threw for a failed write
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(refusal);
        }
    }

    /**
     * Waits until {@code deadlineNanos} ({@link System#nanoTime()}) for every one of {@code writes}. When one fails
     * or is not done by then, tells {@code onFailure} why and throws {@link TemporarilyUnavailableException} with
     * {@code refusal}; an interrupted wait throws it too (keeping the interrupt).
     */
    static void awaitAll(
            List<? extends Future<?>> writes, long deadlineNanos, String refusal, Consumer<Exception> onFailure) {
        try {
            for (Future<?> write : writes) {
                write.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            onFailure.accept(e);
            throw unavailable(refusal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(refusal);
        }
    }

    static TemporarilyUnavailableException unavailable(String refusal) {
        return new TemporarilyUnavailableException(refusal, RETRY_AFTER);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
