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
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BatchCancelWriter} on a plain acknowledged producer (no transaction: each cancellation stands on its own,
 * and a repeated one changes nothing). All records are sent at once, then awaited together.
 */
public final class KafkaBatchCancelWriter implements BatchCancelWriter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaBatchCancelWriter.class);
    private static final Duration WAIT_FOR_ACKS = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final Topic<String, JobCancellation> topic;
    private final KafkaProducer<String, JobCancellation> producer;
    private final Clock clock;

    public KafkaBatchCancelWriter(
            String bootstrapServers, Topic<String, JobCancellation> topic, String clientId, Clock clock) {
        this.topic = topic;
        this.clock = clock;
        this.producer = new KafkaProducer<>(
                AnsweringProducerSettings.of(bootstrapServers, clientId),
                new StringSerializer(),
                topic.valueSerde().serializer());
    }

    @Override
    public void cancel(String batchId, List<String> jobIds) {
        JobCancellation cancellation = JobCancellation.newBuilder()
                .setRequestedAt(clock.instant())
                .setBatchId(batchId)
                .build();
        List<Future<RecordMetadata>> sent = new ArrayList<>(jobIds.size());
        long deadline = System.nanoTime() + WAIT_FOR_ACKS.toNanos();
        try {
            for (String jobId : jobIds) {
                sent.add(producer.send(new ProducerRecord<>(topic.name(), jobId, cancellation)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("cancellations of batch {} not acknowledged: {}", batchId, e.toString());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static TemporarilyUnavailableException unavailable() {
        return new TemporarilyUnavailableException(
                "the batch could not be canceled right now; try again shortly", RETRY_AFTER);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
