package io.tweetreel.gateway;

import io.tweetreel.schemas.Topic;
import io.tweetreel.schemas.WebhookAction;
import io.tweetreel.schemas.WebhookCommand;
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
 * {@link WebhookCommands} on a plain idempotent producer: a command is one record on its own (nothing to commit
 * with it), and sending it twice only makes the notifier send the same event (same webhook-id) twice.
 */
public final class KafkaWebhookCommands implements WebhookCommands, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaWebhookCommands.class);
    private static final Duration WAIT_FOR_ACK = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final Topic<String, WebhookCommand> topic;
    private final KafkaProducer<String, WebhookCommand> producer;
    private final Clock clock;

    public KafkaWebhookCommands(
            String bootstrapServers, Topic<String, WebhookCommand> topic, String clientId, Clock clock) {
        this.topic = topic;
        this.clock = clock;
        this.producer = new KafkaProducer<>(
                AnsweringProducerSettings.of(bootstrapServers, clientId),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    @Override
    public void redeliver(String jobId) {
        WebhookCommand command = WebhookCommand.newBuilder()
                .setAction(WebhookAction.redeliver)
                .setRequestedAt(clock.instant())
                .build();
        try {
            producer.send(new ProducerRecord<>(topic.name(), jobId, command))
                    .get(WAIT_FOR_ACK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // RuntimeException: the value could not be encoded (schema registry unreachable) or the send timed out
            log.warn("redeliver command for job {} not written: {}", jobId, e.toString());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static TemporarilyUnavailableException unavailable() {
        return new TemporarilyUnavailableException(
                "the redelivery could not be requested right now; try again " + "shortly", RETRY_AFTER);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
