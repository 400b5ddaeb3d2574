package io.tweetreel.gateway;

import io.tweetreel.schemas.ApiKey;
import java.time.Instant;

/**
 * The per-key limits on creating jobs: a token bucket ({@code ratePerMinute}, {@code burst}) and a quota per UTC day
 * ({@code jobsPerDay}). A job costs 1, a batch its item count.
 */
public interface KeyLimits {
    /** Takes {@code cost} from the key's bucket and day when both allow it; otherwise takes nothing. */
    Admission admit(ApiKey key, int cost);

    /** The key's state as it stands, for the headers of an answer that creates nothing; takes nothing. */
    Admission peek(ApiKey key);

    enum Outcome {
        ALLOWED,
        RATE_LIMITED,
        QUOTA_EXCEEDED
    }

    /**
     * One answer of the limits, also the JSON of the internal route between gateway instances.
     *
     * @param limit             the key's {@code ratePerMinute} ({@code RateLimit-Limit})
     * @param remaining         whole tokens left in the bucket, never below 0 ({@code RateLimit-Remaining})
     * @param resetSeconds      until the bucket is full again ({@code RateLimit-Reset})
     * @param retryAfterSeconds when refused, until a retry can pass ({@code Retry-After}); 0 when allowed
     * @param quotaResetAt      when the key's day ends: the next midnight UTC
     */
    record Admission(
            Outcome outcome,
            int limit,
            long remaining,
            long resetSeconds,
            long retryAfterSeconds,
            Instant quotaResetAt) {
        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }
}
