package io.tweetreel.gateway;

import io.tweetreel.schemas.JobCancellation;
import io.tweetreel.schemas.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CancellationPublisher} on a plain idempotent producer: a cancel is one record on its own (nothing to commit
 * with it), so it needs no transaction.
 */
public final class KafkaCancellationPublisher implements CancellationPublisher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaCancellationPublisher.class);
    private static final Duration WAIT_FOR_ACK = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final Topic<String, JobCancellation> topic;
    private final KafkaProducer<String, JobCancellation> producer;
    private final Clock clock;

    public KafkaCancellationPublisher(
            String bootstrapServers, Topic<String, JobCancellation> topic, String clientId, Clock clock) {
        this.topic = topic;
        this.clock = clock;
        this.producer = new KafkaProducer<>(
                AnsweringProducerSettings.of(bootstrapServers, clientId),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    @Override
    public void cancel(String jobId, String batchId) {
        cancelAll(batchId, List.of(jobId));
    }

    /** Sends every record at once, then awaits their acknowledgements together (a batch's 500 in one round). */
    @Override
    public void cancelAll(String batchId, List<String> jobIds) {
        JobCancellation cancellation = JobCancellation.newBuilder()
                .setRequestedAt(clock.instant())
                .setBatchId(batchId)
                .build();
        List<Future<RecordMetadata>> sent = new ArrayList<>(jobIds.size());
        long deadline = System.nanoTime() + WAIT_FOR_ACK.toNanos();
        try {
            for (String jobId : jobIds) {
                sent.add(producer.send(new ProducerRecord<>(topic.name(), jobId, cancellation)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // RuntimeException: the value could not be encoded (schema registry unreachable) or the send timed out
            log.warn("cancel of {} not written: {}", batchId != null ? "batch " + batchId : jobIds, e.toString());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static TemporarilyUnavailableException unavailable() {
        return new TemporarilyUnavailableException(
                "the cancel could not be written right now; try again shortly", RETRY_AFTER);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
