package io.tweetreel.gateway;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.javalin.http.Context;
import io.tweetreel.core.JobView;
import io.tweetreel.core.Json;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.StoredObject;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.ObjectLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/batches/{batchId}/archive}: a zip, streamed as it is written (nothing of it is kept in memory or
 * on disk), holding every completed item's videos (one per format) under their filenames, read from the videos
 * bucket, and {@value #MANIFEST}: one entry per item in item order, {@code {index, jobId, status, filename, files,
 * error}}; {@code filename} is the first format's video (as in the job's {@code result}), {@code files} every
 * format's that the zip holds.
 * <p>
 * The manifest comes last, because a completed item's video may turn out to be gone (expired, swept): such an item
 * keeps status {@code completed}, lacks that video in {@code files} ({@code filename: null} when it is the first
 * format's) and has an {@code error} saying why. The videos are stored in the zip without compressing them again (an
 * MP4 is already compressed). Once the zip has started, a failing store can only cut it short: the client sees a zip
 * without its end, which every zip reader rejects.
 */
public final class BatchArchives {
    static final String MANIFEST = "manifest.json";
    static final String VIDEO_UNAVAILABLE = "VIDEO_UNAVAILABLE";
    private static final Logger log = LoggerFactory.getLogger(BatchArchives.class);
    private static final int BUFFER = 64 * 1024;

    private final BatchLookup lookup;
    private final ObjectStore store;
    private final String bucket;
    private final Clock clock;

    public BatchArchives(BatchLookup lookup, ObjectStore store, String bucket, Clock clock) {
        this.lookup = lookup;
        this.store = store;
        this.bucket = bucket;
        this.clock = clock;
    }

    /**
     * One item of {@value #MANIFEST}: {@code filename} is the zip entry of its first format's video, {@code files}
     * every video of it in the zip, {@code error} why one is missing (or why the job did not complete).
     */
    @JsonPropertyOrder({"index", "jobId", "status", "filename", "files", "error"})
    public record ManifestEntry(
            int index, String jobId, String status, String filename, List<Video> files, JobView.Error error) {}

    /** One video of an item in the zip. */
    @JsonPropertyOrder({"format", "filename"})
    public record Video(String format, String filename) {}

    public void handle(Context ctx) throws IOException {
        String batchId = BatchLookup.batchId(ctx);
        BatchSummary batch = lookup.batch(batchId, Caller.of(ctx))
                .orElseThrow(() -> BatchLookup.notFound(batchId).toException());
        // every lookup happens before the first byte, so an unavailable table is still a clean 503
        List<JobStatus> statuses = lookup.statuses(batch);

        ctx.status(200);
        ctx.res().setContentType("application/zip");
        ctx.res().setHeader("Content-Disposition", "attachment; filename=\"batch-" + batchId + ".zip\"");
        ctx.res().setHeader("Cache-Control", "no-store");
        List<ManifestEntry> manifest = new ArrayList<>(statuses.size());
        OutputStream out = ctx.res().getOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            for (int i = 0; i < statuses.size(); i++) {
                String jobId = batch.jobIds().get(i);
                JobStatus status = statuses.get(i);
                JobView job = JobView.of(jobId, status);
                List<Video> files = new ArrayList<>();
                JobView.Error error = job.error();
                if (status.getStatus() == JobState.completed && job.result() != null) {
                    List<String> missing = new ArrayList<>();
                    for (JobView.Output output : job.result().outputs()) {
                        addVideo(zip, output.filename())
                                .ifPresentOrElse(
                                        why -> missing.add(output.format() + ": " + why),
                                        () -> files.add(new Video(output.format(), output.filename())));
                    }
                    if (!missing.isEmpty()) {
                        error = new JobView.Error(VIDEO_UNAVAILABLE, String.join("; ", missing), null);
                    }
                }
                // the result's own filename is the first format's: named only when that video is in the zip
                String seed = job.result() == null ? null : job.result().filename();
                String filename =
                        files.stream().anyMatch(video -> video.filename().equals(seed)) ? seed : null;
                manifest.add(new ManifestEntry(i, jobId, job.status(), filename, files, error));
            }
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            zip.closeEntry();
        } catch (IOException e) {
            // the client went away or the store's stream broke mid-video; the response is committed already
            log.info("archive of batch {} cut short: {}", batchId, e.toString());
        }
    }

    /** Adds the video as an entry; empty when added, otherwise why it could not be (nothing is added then). */
    private Optional<String> addVideo(ZipOutputStream zip, String filename) throws IOException {
        if (!ObjectLayout.DOWNLOAD_FILENAME.matcher(filename).matches()) {
            return Optional.of("the video's filename is not one the gateway serves");
        }
        InputStream in;
        try {
            Optional<StoredObject> object = store.stat(bucket, filename);
            if (object.isEmpty()) {
                return Optional.of("the video is no longer stored");
            }
            Optional<Instant> expiresAt = VideoDownloads.expiresAt(object.get());
            if (expiresAt.isPresent() && !clock.instant().isBefore(expiresAt.get())) {
                return Optional.of("the video expired at " + expiresAt.get());
            }
            in = store.read(bucket, filename, 0, null);
        } catch (ObjectStoreException.ObjectNotFoundException e) {
            return Optional.of("the video is no longer stored");
        } catch (ObjectStoreException e) {
            log.warn("archive: video {} unreadable: {}", filename, e.getMessage());
            return Optional.of("the video store could not be read; download the video on its own later");
        }
        try (in) {
            zip.putNextEntry(new ZipEntry(filename));
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                zip.write(buffer, 0, n);
            }
            zip.closeEntry();
        }
        return Optional.empty();
    }
}
