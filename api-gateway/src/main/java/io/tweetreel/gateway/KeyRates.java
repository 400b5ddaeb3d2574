package io.tweetreel.gateway;

import io.tweetreel.schemas.ApiKey;

/**
 * The limits a bucket enforces: the key's own, or a share of them ({@link #shareOf}) when an instance has to decide
 * alone. {@code limit} is what {@code RateLimit-Limit} shows: the key's {@code ratePerMinute}, also for a share.
 * Travels as JSON to the instance that owns the key, so it enforces the limits the asking instance knows.
 */
public record KeyRates(int limit, double perMinute, double burst, long jobsPerDay) {
    public static KeyRates of(ApiKey key) {
        return new KeyRates(key.getRatePerMinute(), key.getRatePerMinute(), key.getBurst(), key.getJobsPerDay());
    }

    /**
     * What one of {@code instances} instances may accept on its own, so that all of them together stay within the
     * key's limits: rate, burst and day divided evenly (the day rounded down, so the sum never exceeds it).
     */
    public KeyRates shareOf(int instances) {
        int n = Math.max(1, instances);
        return new KeyRates(limit, perMinute / n, burst / n, jobsPerDay / n);
    }

    double perSecond() {
        return perMinute / 60.0;
    }
}
