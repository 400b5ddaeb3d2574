package io.tweetreel.gateway;

import java.time.Duration;

/**
 * Another gateway instance did not answer at all (connection refused, no answer in time): unlike its 503, which
 * says it is alive but not ready, this may mean it is gone. A lookup then asks a standby replica of the key's
 * partition instead of waiting for the group to notice ({@link JobStatusStore}).
 */
public final class PeerUnreachableException extends TemporarilyUnavailableException {
    public PeerUnreachableException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}
