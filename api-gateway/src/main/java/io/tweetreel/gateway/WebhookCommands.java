package io.tweetreel.gateway;

/** Instructions to the notifier about a job's webhook, on {@code videos.webhook-commands}. */
public interface WebhookCommands {
    /**
     * Asks for the job's final event to be sent again now. Returns once the command is written; throws
     * {@link TemporarilyUnavailableException} when Kafka does not take it in time.
     */
    void redeliver(String jobId);
}
