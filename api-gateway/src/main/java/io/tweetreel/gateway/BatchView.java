package io.tweetreel.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.JobView;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A batch as the API shows it: how many items are in each state, and each item in item order with its
 * {@code status}, {@code progress}, {@code currentStep} and, as in the job JSON, {@code result} when completed and
 * {@code error} when failed; plus the batch's {@code metadata} and {@code createdAt}.
 */
@JsonPropertyOrder({
    "batchId",
    "total",
    "pending",
    "processing",
    "completed",
    "failed",
    "canceled",
    "createdAt",
    "metadata",
    "jobs"
})
public record BatchView(
        String batchId,
        int total,
        int pending,
        int processing,
        int completed,
        int failed,
        int canceled,
        Instant createdAt,
        Map<String, String> metadata,
        List<Item> jobs) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"jobId", "status", "progress", "currentStep", "result", "error"})
    public record Item(
            String jobId, String status, int progress, String currentStep, JobView.Result result, JobView.Error error) {
        static Item of(String jobId, JobStatus status) {
            JobView job = JobView.of(jobId, status);
            return new Item(jobId, job.status(), job.progress(), job.currentStep(), job.result(), job.error());
        }
    }

    /** @param statuses each item's status in item order (an item no table knows yet counts as pending) */
    static BatchView of(String batchId, BatchSummary batch, List<JobStatus> statuses) {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        List<Item> items = new java.util.ArrayList<>(statuses.size());
        for (int i = 0; i < statuses.size(); i++) {
            JobStatus status = statuses.get(i);
            counts.merge(status.getStatus(), 1, Integer::sum);
            items.add(Item.of(batch.jobIds().get(i), status));
        }
        return new BatchView(
                batchId,
                statuses.size(),
                counts.getOrDefault(JobState.pending, 0),
                counts.getOrDefault(JobState.processing, 0),
                counts.getOrDefault(JobState.completed, 0),
                counts.getOrDefault(JobState.failed, 0),
                counts.getOrDefault(JobState.canceled, 0),
                batch.createdAt(),
                batch.metadata(),
                List.copyOf(items));
    }

    /** The status an item has before any table knows it: pending since the batch was accepted. */
    static JobStatus unseen(BatchSummary batch) {
        return JobStatuses.pending(batch.createdAt());
    }

    boolean allFinal() {
        return completed + failed + canceled == total;
    }
}
