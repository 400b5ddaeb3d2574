package io.tweetreel.bench;

import java.util.ArrayList;
import java.util.List;

/** The soak's jobs per minute of the run: how many ended in it, and the latency of those that completed. */
final class SoakMinutes {
    private SoakMinutes() {}

    /**
     * How one submitted job ended, as the client saw it.
     *
     * @param endedAtMs when the client saw it final, in ms since the soak started
     * @param latencyMs from its first submission attempt to then
     */
    record Outcome(String jobId, long endedAtMs, double latencyMs, boolean completed) {}

    /** One minute of the run: {@code minute} 0 is the first. Latencies are NaN in a minute nothing completed. */
    record Minute(int minute, int completed, int failed, double p50Ms, double p99Ms) {}

    /**
     * Buckets the ended jobs by the minute they ended in; every minute from 0 to the last one that holds a job, or
     * to {@code atLeastMinutes - 1}, is listed, so a minute nothing completed in shows as a zero, not a gap.
     */
    static List<Minute> of(List<Outcome> outcomes, int atLeastMinutes) {
        int last = atLeastMinutes - 1;
        for (Outcome o : outcomes) {
            last = Math.max(last, minuteOf(o.endedAtMs()));
        }
        List<List<Double>> latencies = new ArrayList<>();
        int[] failed = new int[last + 1];
        for (int m = 0; m <= last; m++) {
            latencies.add(new ArrayList<>());
        }
        for (Outcome o : outcomes) {
            int m = minuteOf(o.endedAtMs());
            if (o.completed()) {
                latencies.get(m).add(o.latencyMs());
            } else {
                failed[m]++;
            }
        }
        List<Minute> minutes = new ArrayList<>();
        for (int m = 0; m <= last; m++) {
            List<Double> sorted = latencies.get(m);
            sorted.sort(null);
            minutes.add(new Minute(
                    m, sorted.size(), failed[m], Stats.percentile(sorted, 0.50), Stats.percentile(sorted, 0.99)));
        }
        return minutes;
    }

    private static int minuteOf(long ms) {
        return (int) Math.max(0, ms / 60_000);
    }
}
