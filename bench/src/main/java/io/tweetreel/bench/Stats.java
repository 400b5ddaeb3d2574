package io.tweetreel.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of a sample of durations in milliseconds. */
record Stats(int n, double p50, double p95, double mean) {
    static Stats of(List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new Stats(sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.95), mean);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
