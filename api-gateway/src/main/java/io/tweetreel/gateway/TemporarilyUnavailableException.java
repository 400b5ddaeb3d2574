package io.tweetreel.gateway;

import java.time.Duration;

/**
 * The gateway's Kafka side cannot do it right now (a rebalance moves the tables, a broker is slow or away); the
 * same call may work shortly. Over HTTP it becomes 503 with {@code Retry-After} (see {@link GatewayApp}).
 */
public class TemporarilyUnavailableException extends RuntimeException {
    private final transient Duration retryAfter;

    public TemporarilyUnavailableException(String message, Duration retryAfter) {
        super(message, null, false, false); // an expected condition: no stack trace to fill or log
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
