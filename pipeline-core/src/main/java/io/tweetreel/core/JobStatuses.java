package io.tweetreel.core;

import io.tweetreel.schemas.CaptionFiles;
import io.tweetreel.schemas.CaptionLinks;
import io.tweetreel.schemas.JobError;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.JobWarning;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.ReelOutput;
import io.tweetreel.schemas.StatusWarning;
import io.tweetreel.schemas.StoredOutput;
import io.tweetreel.schemas.VideoStored;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

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

    /**
     * A step's start carrying what the job did without so far: the status table adds the warnings to the job's
     * (it keeps the union), whatever the job's progress by then.
     */
    public static JobStatus started(JobStep step, List<JobWarning> warnings, Instant now) {
        return base(JobState.processing, step, startProgress(step), now)
                .setWarnings(statusWarnings(warnings))
                .build();
    }

    /** A stage's warnings as the status states them (the same three fields). */
    public static List<StatusWarning> statusWarnings(List<JobWarning> warnings) {
        return warnings.stream()
                .map(w -> StatusWarning.newBuilder()
                        .setCode(w.getCode())
                        .setMessage(w.getMessage())
                        .setField(w.getField())
                        .build())
                .collect(Collectors.toCollection(ArrayList::new));
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

    /**
     * The final status of a filed job: the seed-shaped fields describe the first format, {@code outputs} lists
     * every format. A v1 record (no outputs) filed one 9:16 reel without a poster: that one output. A record before
     * v3 filed no captions: they are null.
     */
    public static JobStatus completed(VideoStored stored, Instant now) {
        List<ReelOutput> outputs = new ArrayList<>();
        for (StoredOutput output : stored.getOutputs()) {
            outputs.add(ReelOutput.newBuilder()
                    .setFormat(output.getFormat())
                    .setFilename(output.getFilename())
                    .setDownloadUrl(output.getDownloadUrl())
                    .setFileSize(output.getFileSize())
                    .setDuration(output.getDurationSeconds())
                    .setResolution(output.getResolution())
                    .setPosterUrl(output.getPosterUrl())
                    .setCaptions(links(output.getCaptions()))
                    .build());
        }
        if (outputs.isEmpty()) {
            outputs.add(ReelOutput.newBuilder()
                    .setFormat(ReelFormat.DEFAULT.label())
                    .setFilename(stored.getFilename())
                    .setDownloadUrl(stored.getDownloadUrl())
                    .setFileSize(stored.getFileSize())
                    .setDuration(stored.getDurationSeconds())
                    .setResolution(stored.getResolution())
                    .setPosterUrl(null)
                    .build());
        }
        JobResult result = JobResult.newBuilder()
                .setFilename(stored.getFilename())
                .setDownloadUrl(stored.getDownloadUrl())
                .setExpiresAt(stored.getExpiresAt())
                .setFileSize(stored.getFileSize())
                .setDuration(stored.getDurationSeconds())
                .setResolution(stored.getResolution())
                .setPosterUrl(stored.getPosterUrl())
                .setOutputs(outputs)
                .setCaptions(links(stored.getCaptions()))
                .build();
        return base(JobState.completed, JobStep.completed, 100, now)
                .setJobResult(result)
                .build();
    }

    private static CaptionLinks links(CaptionFiles files) {
        return files == null ? null : new CaptionLinks(files.getVtt(), files.getSrt());
    }

    public static boolean isFinal(JobStatus status) {
        return status.getStatus() == JobState.completed
                || status.getStatus() == JobState.failed
                || status.getStatus() == JobState.canceled;
    }

    /**
     * Merges an update into what is known of a job, monotonically: a final state never changes, progress never
     * goes backwards, createdAt is the first one seen, the owning key id is never lost. Duplicates and reordering
     * between producers therefore cannot regress a job. The warnings are the union of both sides' (first seen
     * first), even from an update that is otherwise ignored: a stage states them with its output, which may reach
     * the table after a later stage's progress or the final state.
     */
    public static JobStatus merge(JobStatus known, JobStatus update) {
        if (known == null) {
            JobStatus first = update.getCreatedAt() != null
                    ? update
                    : JobStatus.newBuilder(update)
                            .setCreatedAt(update.getUpdatedAt())
                            .build();
            return withWarnings(first, union(List.of(), update.getWarnings()));
        }
        JobStatus merged = mergeState(known, update);
        // the owning key is set once, by the gateway's pending status, and whatever arrives first keeps it
        String keyId = known.getKeyId() != null ? known.getKeyId() : update.getKeyId();
        if (!Objects.equals(merged.getKeyId(), keyId)) {
            merged = JobStatus.newBuilder(merged).setKeyId(keyId).build();
        }
        return withWarnings(merged, union(known.getWarnings(), update.getWarnings()));
    }

    private static JobStatus withWarnings(JobStatus status, List<StatusWarning> warnings) {
        return status.getWarnings().equals(warnings)
                ? status
                : JobStatus.newBuilder(status).setWarnings(warnings).build();
    }

    /** Both lists' warnings, each code + field + message once, in first-seen order. */
    private static List<StatusWarning> union(List<StatusWarning> first, List<StatusWarning> second) {
        Map<List<String>, StatusWarning> distinct = new LinkedHashMap<>();
        for (List<StatusWarning> warnings : List.of(first, second)) {
            for (StatusWarning warning : warnings) {
                distinct.putIfAbsent(
                        Arrays.asList(warning.getCode(), warning.getField(), warning.getMessage()), warning);
            }
        }
        return new ArrayList<>(distinct.values());
    }

    private static JobStatus mergeState(JobStatus known, JobStatus update) {
        boolean ignored = isFinal(known) || (!isFinal(update) && update.getProgress() < known.getProgress());
        JobStatus kept = ignored ? known : update;
        // createdAt is the earliest any producer stated, even from an update otherwise ignored: the gateway's
        // pending may reach a table after a stage's progress, when the job was first seen by its request's record
        // time (a millisecond or more after the gateway's clock)
        Instant createdAt = earliest(known.getCreatedAt(), update.getCreatedAt());
        return Objects.equals(kept.getCreatedAt(), createdAt)
                ? kept
                : JobStatus.newBuilder(kept).setCreatedAt(createdAt).build();
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return b.isBefore(a) ? b : a;
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
