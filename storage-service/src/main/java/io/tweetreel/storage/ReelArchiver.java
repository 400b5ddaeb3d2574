package io.tweetreel.storage;

import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.StoredObject;
import io.tweetreel.schemas.ObjectLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files a composed reel: server-side copy from the work bucket into the videos bucket under its secure name with
 * its expiry, then removal of the job's work objects. Idempotent: a re-run finds the filed copy and returns it.
 * Knows nothing of Kafka.
 */
public final class ReelArchiver {
    private static final Logger log = LoggerFactory.getLogger(ReelArchiver.class);

    private final ObjectStore store;
    private final String workBucket;
    private final String videosBucket;
    private final ReelFilenames filenames;
    private final String baseUrl;
    private final Duration ttl;
    private final Clock clock;

    public ReelArchiver(
            ObjectStore store,
            String workBucket,
            String videosBucket,
            ReelFilenames filenames,
            String baseUrl,
            Duration ttl,
            Clock clock) {
        this.store = store;
        this.workBucket = workBucket;
        this.videosBucket = videosBucket;
        this.filenames = filenames;
        this.baseUrl = baseUrl;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * @param videoKey  the MP4 in the work bucket
     * @param jobDate   the job's encode time; names the file, so re-runs land on the same name
     */
    public ArchivedReel archive(String jobId, String videoKey, Instant jobDate) {
        store.ensureBucket(videosBucket);
        String filename = filenames.filename(jobId, jobDate);
        Optional<StoredObject> filed = store.stat(videosBucket, filename);
        Optional<StoredObject> work = store.stat(workBucket, videoKey);
        if (work.isEmpty() && filed.isPresent()) {
            // a re-run after a crash between filing and committing: the work copy is gone, the filed one stands
            log.info("already filed as {}", filename);
            return describe(filename, filed.get());
        }
        if (work.isEmpty()) {
            // S3 is strongly consistent: a claim check that points at nothing will not start pointing at something
            throw new MissingVideoException(
                    "Failed to save file: the composed video " + videoKey + " is missing from " + workBucket);
        }
        Instant expiresAt = Instant.ofEpochMilli(clock.millis()).plus(ttl);
        store.copy(
                workBucket,
                videoKey,
                videosBucket,
                filename,
                "video/mp4",
                "attachment; filename=\"" + filename + "\"",
                Map.of(ObjectLayout.JOB_ID, jobId, ObjectLayout.EXPIRES_AT, expiresAt.toString()));
        StoredObject copy = store.stat(videosBucket, filename)
                .orElseThrow(() -> new IllegalStateException("copy of " + filename + " not found after filing"));
        for (StoredObject leftover : store.list(workBucket, ObjectLayout.jobPrefix(jobId))) {
            store.delete(workBucket, leftover.key());
        }
        log.info("filed as {} ({} bytes), expires {}", filename, copy.size(), expiresAt);
        return new ArchivedReel(filename, downloadUrl(filename), expiresAt, copy.size());
    }

    /** Deletes a filed video (of a job canceled as it was filed); none there is fine. */
    public void unfile(String filename) {
        store.delete(videosBucket, filename);
        log.info("unfiled {}: the job was canceled", filename);
    }

    /** The event points at a video that is not there; retrying cannot help. */
    public static final class MissingVideoException extends RuntimeException {
        MissingVideoException(String message) {
            super(message);
        }
    }

    private ArchivedReel describe(String filename, StoredObject filed) {
        String expires = filed.metadata().get(ObjectLayout.EXPIRES_AT);
        Instant expiresAt =
                expires == null ? Instant.ofEpochMilli(clock.millis()).plus(ttl) : Instant.parse(expires);
        return new ArchivedReel(filename, downloadUrl(filename), expiresAt, filed.size());
    }

    private String downloadUrl(String filename) {
        return baseUrl + "/download/" + filename;
    }
}
