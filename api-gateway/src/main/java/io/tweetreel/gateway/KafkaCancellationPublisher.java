package io.tweetreel.gateway;

import io.tweetreel.schemas.JobCancellation;
import io.tweetreel.schemas.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
        JobCancellation cancellation = JobCancellation.newBuilder()
                .setRequestedAt(clock.instant())
                .setBatchId(batchId)
                .build();
        try {
            producer.send(new ProducerRecord<>(topic.name(), jobId, cancellation))
                    .get(WAIT_FOR_ACK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // RuntimeException: the value could not be encoded (schema registry unreachable) or the send timed out
            log.warn("cancel of job {} not written: {}", jobId, e.toString());
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
