package io.tweetreel.gateway;

import io.tweetreel.gateway.KeyLimits.Admission;
import io.tweetreel.gateway.KeyLimits.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * One instance's token buckets and day counts, per key id.
 * <ul>
 *   <li>Bucket: holds up to {@code burst} tokens, refilled at {@code ratePerMinute / 60} per second. A request
 *       costing n passes when the bucket holds at least {@code min(n, burst)} tokens and then takes all n, so the
 *       bucket may go below zero: a batch bigger than the burst passes once, and the key then waits until the debt
 *       is refilled. Over time the accepted rate is the key's rate, whatever the request sizes.</li>
 *   <li>Day: at most {@code jobsPerDay} per UTC day. What this instance counted is compared with {@link DailyUsage},
 *       the count that survives a restart or a move of the key to another instance, and the higher one counts.</li>
 * </ul>
 * A refused request takes nothing. The limits are passed on every call, so a changed key applies at once.
 */
public final class TokenBuckets {
    private static final class Bucket {
        double tokens;
        long atMillis;
    }

    private record DayCount(LocalDate day, long jobs) {}

    private final Clock clock;
    private final DailyUsage usage;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final Map<String, DayCount> days = new HashMap<>();

    public TokenBuckets(Clock clock, DailyUsage usage) {
        this.clock = clock;
        this.usage = usage;
    }

    public synchronized Admission admit(String keyId, KeyRates rates, int cost) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Bucket bucket = refilled(keyId, rates, now);
        DayCount counted = days.get(keyId);
        long usedToday = Math.max(
                counted != null && counted.day().equals(today) ? counted.jobs() : 0, usage.jobsOn(keyId, today));
        if (usedToday + cost > rates.jobsPerDay()) {
            Instant midnight = nextMidnight(today);
            return answer(Outcome.QUOTA_EXCEEDED, bucket, rates, now, secondsUntil(now, midnight));
        }
        double needed = Math.min(cost, rates.burst());
        if (bucket.tokens < needed) {
            long retryAfter = Math.max(1, ceilSeconds((needed - bucket.tokens) / rates.perSecond()));
            return answer(Outcome.RATE_LIMITED, bucket, rates, now, retryAfter);
        }
        bucket.tokens -= cost;
        days.put(keyId, new DayCount(today, usedToday + cost));
        return answer(Outcome.ALLOWED, bucket, rates, now, 0);
    }

    public synchronized Admission peek(String keyId, KeyRates rates) {
        Instant now = clock.instant();
        return answer(Outcome.ALLOWED, refilled(keyId, rates, now), rates, now, 0);
    }

    /** Forgets every bucket and count, e.g. once this instance no longer decides for a key. */
    public synchronized void forget(String keyId) {
        buckets.remove(keyId);
        days.remove(keyId);
    }

    private Bucket refilled(String keyId, KeyRates rates, Instant now) {
        Bucket bucket = buckets.get(keyId);
        long nowMillis = now.toEpochMilli();
        if (bucket == null) {
            bucket = new Bucket();
            bucket.tokens = rates.burst();
            bucket.atMillis = nowMillis;
            buckets.put(keyId, bucket);
            return bucket;
        }
        double elapsedSeconds = Math.max(0, nowMillis - bucket.atMillis) / 1000.0;
        bucket.tokens = Math.min(rates.burst(), bucket.tokens + elapsedSeconds * rates.perSecond());
        bucket.atMillis = nowMillis;
        return bucket;
    }

    private static Admission answer(Outcome outcome, Bucket bucket, KeyRates rates, Instant now, long retryAfter) {
        long remaining = (long) Math.floor(Math.max(0, bucket.tokens));
        long reset = ceilSeconds((rates.burst() - bucket.tokens) / rates.perSecond());
        Instant midnight = nextMidnight(LocalDate.ofInstant(now, ZoneOffset.UTC));
        return new Admission(outcome, rates.limit(), remaining, reset, retryAfter, midnight);
    }

    static Instant nextMidnight(LocalDate today) {
        return today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static long secondsUntil(Instant now, Instant then) {
        return Math.max(1, (Duration.between(now, then).toMillis() + 999) / 1000);
    }

    /** Whole seconds, rounded up (a rounding error of the refill does not add a second); 0 for nothing to wait. */
    private static long ceilSeconds(double seconds) {
        if (seconds <= 0) {
            return 0;
        }
        return (long) Math.ceil(seconds - 1e-9);
    }
}
