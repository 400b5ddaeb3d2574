package io.tweetreel.notifier;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Where {@link NotifierTopology} hands the attempts that are due: {@link WebhookSender} in production, a fake in
 * topology tests.
 */
@FunctionalInterface
public interface WebhookDispatcher {

    /**
     * Starts one attempt in the background unless its endpoint, or the notifier as a whole, has as many attempts in
     * flight as allowed; then it returns {@code false} and the caller tries again later. {@code whenDone} is called
     * exactly once for an accepted message, on a sender thread.
     */
    boolean trySend(Message message, Consumer<Attempt> whenDone);

    /**
     * One attempt to deliver an event: the same id and body on every attempt, so the same event for the receiver.
     *
     * @param keyId the API key whose webhook secret signs it; null for the notifier's own secret
     */
    record Message(String jobId, int attempt, String webhookId, String url, String body, String keyId) {}

    /** How an attempt went. */
    enum Result {
        /** A 2xx answer within the timeout. */
        DELIVERED,
        /** Another status, no answer in time, a refused or reset connection: worth trying again later. */
        RETRYABLE,
        /** The URL is invalid or its address refused by the SSRF policy: trying again would not help. */
        PERMANENT
    }

    /**
     * The outcome of one attempt of {@code message}.
     *
     * @param statusCode the receiver's HTTP status, null without an answer
     * @param error      why it failed, null when delivered
     */
    record Attempt(
            Message message, Result result, Integer statusCode, String error, Instant startedAt, Instant finishedAt) {
        public Duration duration() {
            return Duration.between(startedAt, finishedAt);
        }
    }
}
