package io.tweetreel.core;

import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import java.time.Duration;

/**
 * How long and how often transient failures (object store down, browser crash, timeouts) are retried before a
 * job fails. The default keeps trying for 90 s with exponential backoff from 500 ms to 10 s.
 */
public record RetrySettings(Duration initialDelay, Duration maxDelay, Duration retryFor) {
    public static RetrySettings forDuration(Duration retryFor) {
        return new RetrySettings(Duration.ofMillis(500), Duration.ofSeconds(10), retryFor);
    }

    /**
     * A policy, still open for listeners, that retries any exception except a {@link JobFailure}, which is final
     * by definition.
     */
    public <T> RetryPolicyBuilder<T> policyBuilder() {
        var builder = RetryPolicy.<T>builder()
                .handle(Exception.class)
                .abortOn(JobFailure.class)
                .withMaxRetries(-1)
                .withMaxDuration(retryFor.isZero() ? Duration.ofMillis(1) : retryFor);
        if (initialDelay.compareTo(maxDelay) < 0) {
            builder.withBackoff(initialDelay, maxDelay);
        } else {
            builder.withDelay(initialDelay);
        }
        if (retryFor.isZero()) {
            builder.withMaxRetries(0);
        }
        return builder;
    }
}
