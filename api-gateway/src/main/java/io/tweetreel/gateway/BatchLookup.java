package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.schemas.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/batches/{batchId}}: the batch from the batch table (or from {@link RecentBatches} moments after
 * it was accepted here), each item's status through the job lookup ({@link JobLookup}), so an item shows exactly
 * what {@code GET /api/jobs/{jobId}} shows. Another API key's batch answers 404 exactly as an unknown one, here
 * and on every batch endpoint ({@link #batch(String, Caller)}).
 */
public final class BatchLookup {
    private final BatchQueries queries;
    private final RecentBatches recent;
    private final JobLookup jobs;

    public BatchLookup(BatchQueries queries, RecentBatches recent, JobLookup jobs) {
        this.queries = queries;
        this.recent = recent;
        this.jobs = jobs;
    }

    /** What is kept of the batch; empty when nobody knows it. */
    public Optional<BatchSummary> batch(String batchId) {
        Optional<BatchSummary> accepted = recent.find(batchId);
        return accepted.isPresent() ? accepted : queries.batch(batchId);
    }

    /** The batch if the caller may see it: empty for an unknown batch and for another key's. */
    public Optional<BatchSummary> batch(String batchId, Caller caller) {
        return batch(batchId).filter(batch -> caller.owns(batch.keyId()));
    }

    /** Each item's status now, in item order. */
    public List<JobStatus> statuses(BatchSummary batch) {
        List<JobStatus> statuses = new ArrayList<>(batch.jobIds().size());
        for (String jobId : batch.jobIds()) {
            statuses.add(jobs.current(jobId).orElseGet(() -> BatchView.unseen(batch)));
        }
        return statuses;
    }

    public BatchView view(String batchId, BatchSummary batch) {
        return BatchView.of(batchId, batch, statuses(batch));
    }

    public void handle(Context ctx) {
        String batchId = batchId(ctx);
        BatchSummary batch = batch(batchId, Caller.of(ctx))
                .orElseThrow(() -> notFound(batchId).toException());
        ctx.header("Cache-Control", "no-store").json(view(batchId, batch));
    }

    static String batchId(Context ctx) {
        return JobIds.parse(ctx.pathParam("batchId"))
                .orElseThrow(() -> Problem.of(400, "a batch id is a UUID such as 123e4567-e89b-42d3-a456-426614174000")
                        .toException());
    }

    static Problem notFound(String batchId) {
        return Problem.of(404, "no batch with id " + batchId);
    }
}
