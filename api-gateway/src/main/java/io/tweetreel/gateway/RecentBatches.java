package io.tweetreel.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Batches this instance accepted in the last minutes, as {@link RecentSubmissions} is for jobs: a GET right after
 * the POST finds the batch before the batch table has it, and a retried POST with the same Idempotency-Key is
 * recognised at once. Bounded in size and age.
 */
public final class RecentBatches {
    private record Accepted(BatchSummary batch, Instant acceptedAt) {}

    private final Clock clock;
    private final Duration keepFor;
    private final int capacity;
    private final LinkedHashMap<String, Accepted> byBatchId = new LinkedHashMap<>();

    public RecentBatches(Clock clock, Duration keepFor, int capacity) {
        this.clock = clock;
        this.keepFor = keepFor;
        this.capacity = capacity;
    }

    public synchronized void add(String batchId, BatchSummary batch) {
        byBatchId.remove(batchId);
        byBatchId.put(batchId, new Accepted(batch, clock.instant()));
        evict();
    }

    public synchronized Optional<BatchSummary> find(String batchId) {
        evict();
        return Optional.ofNullable(byBatchId.get(batchId)).map(Accepted::batch);
    }

    public synchronized void clear() {
        byBatchId.clear();
    }

    private void evict() {
        Instant oldest = clock.instant().minus(keepFor);
        var entries = byBatchId.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Accepted> eldest = entries.next();
            if (byBatchId.size() > capacity || eldest.getValue().acceptedAt().isBefore(oldest)) {
                entries.remove();
            } else {
                break; // insertion order = age order
            }
        }
    }
}
