package io.tweetreel.core;

import io.tweetreel.schemas.JobError;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.VideoStored;
import java.time.Instant;
import java.util.Objects;

/** The status updates of the job model, so every stage writes them the same way. */
public final class JobStatuses {
    private JobStatuses() {}

    /** Progress at which each step starts (the seed's numbers). */
    public static int startProgress(JobStep step) {
        return switch (step) {
            case queued -> 0;
            case generating_screenshot -> 20;
            case composing_video -> 60;
            case saving_file -> 80;
            case completed -> 100;
        };
    }

    public static JobStatus pending(Instant now) {
        return base(JobState.pending, JobStep.queued, 0, now).setCreatedAt(now).build();
    }

    public static JobStatus processing(JobStep step, int progress, Instant now) {
        return base(JobState.processing, step, progress, now).build();
    }

    public static JobStatus started(JobStep step, Instant now) {
        return processing(step, startProgress(step), now);
    }

    public static JobStatus failed(JobStep step, String code, String message, Instant now) {
        return base(JobState.failed, step, startProgress(step), now)
                .setError(JobError.newBuilder()
                        .setCode(code)
                        .setMessage(message)
                        .setStep(step)
                        .build())
                .build();
    }

    /** The final state of a job stopped on request: where it stopped, no result, no error. */
    public static JobStatus canceled(JobStep step, int progress, Instant now) {
        return base(JobState.canceled, step, progress, now).build();
    }

    public static JobStatus completed(VideoStored stored, Instant now) {
        JobResult result = JobResult.newBuilder()
                .setFilename(stored.getFilename())
                .setDownloadUrl(stored.getDownloadUrl())
                .setExpiresAt(stored.getExpiresAt())
                .setFileSize(stored.getFileSize())
                .setDuration(stored.getDurationSeconds())
                .setResolution(stored.getResolution())
                .build();
        return base(JobState.completed, JobStep.completed, 100, now)
                .setJobResult(result)
                .build();
    }

    public static boolean isFinal(JobStatus status) {
        return status.getStatus() == JobState.completed
                || status.getStatus() == JobState.failed
                || status.getStatus() == JobState.canceled;
    }

    /**
     * Merges an update into what is known of a job, monotonically: a final state never changes, progress never
     * goes backwards, createdAt is the first one seen, the owning key id is never lost. Duplicates and reordering between producers therefore
     * cannot regress a job.
     */
    public static JobStatus merge(JobStatus known, JobStatus update) {
        if (known == null) {
            return update.getCreatedAt() != null
                    ? update
                    : JobStatus.newBuilder(update)
                            .setCreatedAt(update.getUpdatedAt())
                            .build();
        }
        JobStatus merged = mergeState(known, update);
        // the owning key is set once, by the gateway's pending status, and whatever arrives first keeps it
        String keyId = known.getKeyId() != null ? known.getKeyId() : update.getKeyId();
        return Objects.equals(merged.getKeyId(), keyId)
                ? merged
                : JobStatus.newBuilder(merged).setKeyId(keyId).build();
    }

    private static JobStatus mergeState(JobStatus known, JobStatus update) {
        if (isFinal(known)) {
            return known;
        }
        Instant createdAt = known.getCreatedAt() != null ? known.getCreatedAt() : update.getCreatedAt();
        if (!isFinal(update) && update.getProgress() < known.getProgress()) {
            return known;
        }
        if (update.getCreatedAt() != null
                && createdAt != null
                && update.getCreatedAt().isBefore(createdAt)) {
            createdAt = update.getCreatedAt();
        }
        return JobStatus.newBuilder(update).setCreatedAt(createdAt).build();
    }

    private static JobStatus.Builder base(JobState state, JobStep step, int progress, Instant now) {
        return JobStatus.newBuilder()
                .setStatus(state)
                .setCurrentStep(step)
                .setProgress(progress)
                .setUpdatedAt(now)
                .setCreatedAt(null)
                .setJobResult(null)
                .setError(null);
    }
}
