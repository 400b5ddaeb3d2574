package io.tweetreel.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tweetreel.schemas.JobError;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job as the HTTP API shows it (the seed's shape): {@code result} only when completed, {@code error} only
 * when failed, instants in ISO-8601 UTC. The Avro field {@code jobResult} is called {@code result} here. The
 * gateway answers lookups with it and the notifier sends it in webhooks, so both show the same JSON.
 * {@code metadata} is the request's, keys sorted, shown when the caller knows it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "jobId",
    "status",
    "progress",
    "currentStep",
    "result",
    "error",
    "createdAt",
    "updatedAt",
    "metadata"
})
public record JobView(
        String jobId,
        String status,
        int progress,
        String currentStep,
        Result result,
        Error error,
        Instant createdAt,
        Instant updatedAt,
        Map<String, String> metadata) {

    @JsonPropertyOrder({"filename", "downloadUrl", "expiresAt", "fileSize", "duration", "resolution"})
    public record Result(
            String filename,
            String downloadUrl,
            Instant expiresAt,
            long fileSize,
            double duration,
            String resolution) {}

    @JsonPropertyOrder({"code", "message", "step"})
    public record Error(String code, String message, String step) {}

    /** Without metadata. */
    public static JobView of(String jobId, JobStatus status) {
        return of(jobId, status, null);
    }

    /** With the request's {@code metadata} (null: not shown). */
    public static JobView of(String jobId, JobStatus status, Map<String, String> metadata) {
        JobResult r = status.getJobResult();
        JobError e = status.getError();
        Instant updatedAt = status.getUpdatedAt();
        Instant createdAt = status.getCreatedAt() != null ? status.getCreatedAt() : updatedAt;
        return new JobView(
                jobId,
                status.getStatus().name(),
                status.getProgress(),
                status.getCurrentStep().name(),
                r == null
                        ? null
                        : new Result(
                                r.getFilename(),
                                r.getDownloadUrl(),
                                r.getExpiresAt(),
                                r.getFileSize(),
                                r.getDuration(),
                                r.getResolution()),
                e == null
                        ? null
                        : new Error(
                                e.getCode(),
                                e.getMessage(),
                                e.getStep() == null ? null : e.getStep().name()),
                createdAt,
                updatedAt,
                metadata == null ? null : Collections.unmodifiableMap(new TreeMap<>(metadata)));
    }
}
