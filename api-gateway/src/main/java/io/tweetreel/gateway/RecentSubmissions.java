package io.tweetreel.gateway;

import io.tweetreel.schemas.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs this instance accepted in the last minutes. It bridges the moment between the commit of a new job and
 * its arrival in the status table (which may be on another instance): a GET right after the POST answers
 * {@code pending} instead of 404, and a retried POST with the same Idempotency-Key is recognised at once.
 * Bounded in size and age; the tables are the truth after that.
 */
public final class RecentSubmissions {
    public record Submission(String jobId, RequestSummary request, JobStatus pending, Instant acceptedAt) {}

    private final Clock clock;
    private final Duration keepFor;
    private final int capacity;
    private final LinkedHashMap<String, Submission> byJobId = new LinkedHashMap<>();

    public RecentSubmissions(Clock clock, Duration keepFor, int capacity) {
        this.clock = clock;
        this.keepFor = keepFor;
        this.capacity = capacity;
    }

    public synchronized void add(Submission submission) {
        byJobId.remove(submission.jobId());
        byJobId.put(submission.jobId(), submission);
        evict();
    }

    public synchronized Optional<Submission> find(String jobId) {
        evict();
        return Optional.ofNullable(byJobId.get(jobId));
    }

    public synchronized void clear() {
        byJobId.clear();
    }

    public synchronized int size() {
        evict();
        return byJobId.size();
    }

    private void evict() {
        Instant oldest = clock.instant().minus(keepFor);
        var entries = byJobId.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Submission> eldest = entries.next();
            if (byJobId.size() > capacity || eldest.getValue().acceptedAt().isBefore(oldest)) {
                entries.remove();
            } else {
                break; // insertion order = age order
            }
        }
    }
}
