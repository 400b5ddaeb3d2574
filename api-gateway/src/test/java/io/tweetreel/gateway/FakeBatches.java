package io.tweetreel.gateway;

import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.VideoBatch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The batch side of the gateway's Kafka in memory: the batch table, the batch publisher and the cancellation
 * writer. Statuses go to {@link FakeJobs}' status table, as they go to {@code videos.status}.
 */
final class FakeBatches implements BatchQueries, BatchPublisher, CancellationPublisher {
    record Published(String batchId, VideoBatch batch, String fingerprint, List<Item> items) {}

    record Canceled(String batchId, String jobId) {}

    private final FakeJobs jobs;
    final Map<String, BatchSummary> table = new ConcurrentHashMap<>();
    final List<Published> published = new CopyOnWriteArrayList<>();
    final List<Canceled> canceled = new CopyOnWriteArrayList<>();
    /** true: a written cancellation becomes the item's canceled status, as the gateway's status table does */
    volatile boolean cancelBecomesStatus = true;

    FakeBatches(FakeJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public Optional<BatchSummary> batch(String batchId) {
        return Optional.ofNullable(table.get(batchId));
    }

    @Override
    public void publish(String batchId, VideoBatch batch, String fingerprint, List<Item> items) {
        published.add(new Published(batchId, batch, fingerprint, items));
        if (jobs.tableFollowsPublisher) {
            table.put(batchId, BatchSummary.of(batch, fingerprint));
            items.forEach(item -> jobs.update(item.jobId(), item.pending()));
        }
    }

    @Override
    public void cancel(String jobId, String batchId) {
        canceled.add(new Canceled(batchId, jobId));
        JobStatus known = jobs.table.get(jobId);
        if (cancelBecomesStatus && (known == null || !JobStatuses.isFinal(known))) {
            jobs.update(
                    jobId,
                    JobStatuses.canceled(
                            known == null ? io.tweetreel.schemas.JobStep.queued : known.getCurrentStep(),
                            known == null ? 0 : known.getProgress(),
                            Instant.now()));
        }
    }

    void clear() {
        table.clear();
        published.clear();
        canceled.clear();
        cancelBecomesStatus = true;
    }
}
