package io.tweetreel.gateway;

import io.tweetreel.core.KafkaClientSettings;
import io.tweetreel.schemas.Topic;
import io.tweetreel.schemas.WebhookAction;
import io.tweetreel.schemas.WebhookCommand;
import java.time.Clock;
import java.util.List;

/**
 * {@link WebhookCommands} on an {@link AckedProducer}: a command is one record on its own (nothing to commit with
 * it), and sending it twice only makes the notifier send the same event (same webhook-id) twice.
 */
public final class KafkaWebhookCommands implements WebhookCommands, AutoCloseable {
    private final AckedProducer<String, WebhookCommand> producer;
    private final Clock clock;

    public KafkaWebhookCommands(
            KafkaClientSettings kafka, Topic<String, WebhookCommand> topic, String clientId, Clock clock) {
        this.clock = clock;
        this.producer = new AckedProducer<>(
                kafka, topic, clientId, "the redelivery could not be requested right now; try again shortly");
    }

    @Override
    public void redeliver(String jobId) {
        WebhookCommand command = WebhookCommand.newBuilder()
                .setAction(WebhookAction.redeliver)
                .setRequestedAt(clock.instant())
                .build();
        producer.sendAll(List.of(jobId), command, "redeliver command for job " + jobId);
    }

    @Override
    public void close() {
        producer.close();
    }
}
