package io.tweetreel.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tweetreel.schemas.CaptionLinks;
import io.tweetreel.schemas.JobError;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.ReelOutput;
import io.tweetreel.schemas.StatusWarning;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job as the HTTP API shows it (the seed's shape): {@code result} only when completed, {@code error} only
 * when failed, instants in ISO-8601 UTC. The Avro field {@code jobResult} is called {@code result} here. The
 * gateway answers lookups with it and the notifier sends it in webhooks, so both show the same JSON.
 * {@code metadata} is the request's, keys sorted, shown when the caller knows it. {@code warnings} is always there
 * (empty when the job did without nothing). In {@code result}, the seed's fields describe the first format,
 * {@code posterUrl} is that format's poster (null for a job filed before posters), {@code captions} its WebVTT and
 * SRT files (null for a job filed before captions) and {@code outputs} lists every format, the first one included.
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
    "metadata",
    "warnings"
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
        Map<String, String> metadata,
        List<Warning> warnings) {

    @JsonPropertyOrder({
        "filename",
        "downloadUrl",
        "expiresAt",
        "fileSize",
        "duration",
        "resolution",
        "posterUrl",
        "captions",
        "outputs"
    })
    public record Result(
            String filename,
            String downloadUrl,
            Instant expiresAt,
            long fileSize,
            double duration,
            String resolution,
            String posterUrl,
            Captions captions,
            List<Output> outputs) {}

    /**
     * One format's reel; {@code posterUrl} is null for a reel filed without a poster, {@code captions} for one
     * filed without captions.
     */
    @JsonPropertyOrder({
        "format",
        "filename",
        "downloadUrl",
        "fileSize",
        "duration",
        "resolution",
        "posterUrl",
        "captions"
    })
    public record Output(
            String format,
            String filename,
            String downloadUrl,
            long fileSize,
            double duration,
            String resolution,
            String posterUrl,
            Captions captions) {}

    /** Download URLs of a reel's captions: WebVTT (for a {@code <track>}) and SRT. */
    @JsonPropertyOrder({"vtt", "srt"})
    public record Captions(String vtt, String srt) {}

    /** Something the job did without, and went on; {@code field} names the request field, if any. */
    @JsonPropertyOrder({"code", "message", "field"})
    public record Warning(String code, String message, String field) {}

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
                                r.getResolution(),
                                r.getPosterUrl(),
                                captions(r.getCaptions()),
                                outputs(r)),
                e == null
                        ? null
                        : new Error(
                                e.getCode(),
                                e.getMessage(),
                                e.getStep() == null ? null : e.getStep().name()),
                createdAt,
                updatedAt,
                metadata == null ? null : Collections.unmodifiableMap(new TreeMap<>(metadata)),
                status.getWarnings().stream().map(JobView::warning).toList());
    }

    /** A result recorded before outputs existed (JobResult v3) was one 9:16 reel without a poster. */
    private static List<Output> outputs(JobResult r) {
        if (r.getOutputs().isEmpty()) {
            return List.of(new Output(
                    ReelFormat.DEFAULT.label(),
                    r.getFilename(),
                    r.getDownloadUrl(),
                    r.getFileSize(),
                    r.getDuration(),
                    r.getResolution(),
                    r.getPosterUrl(),
                    captions(r.getCaptions())));
        }
        return r.getOutputs().stream().map(JobView::output).toList();
    }

    private static Output output(ReelOutput o) {
        return new Output(
                o.getFormat(),
                o.getFilename(),
                o.getDownloadUrl(),
                o.getFileSize(),
                o.getDuration(),
                o.getResolution(),
                o.getPosterUrl(),
                captions(o.getCaptions()));
    }

    private static Captions captions(CaptionLinks links) {
        return links == null ? null : new Captions(links.getVtt(), links.getSrt());
    }

    private static Warning warning(StatusWarning w) {
        return new Warning(w.getCode(), w.getMessage(), w.getField());
    }
}
