package io.tweetreel.storage;

import io.tweetreel.core.ConcurrentCalls;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.StoredObject;
import io.tweetreel.schemas.ObjectLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files a job's composed reels, all or none: server-side copies from the work bucket into the videos bucket under
 * their secure names with one expiry, each MP4 with its JPEG poster and its WebVTT and SRT captions, then removal
 * of the job's work objects.
 * Idempotent: a re-run finds the filed copies and returns them. Knows nothing of Kafka.
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
     * One composed reel of a job, in the work bucket.
     *
     * @param format    its shape, e.g. {@code 9:16}
     * @param posterKey its JPEG poster, or null (a v1 composer made none)
     * @param vttKey    its WebVTT captions, or null (a composer before v3 passed none on)
     * @param srtKey    its SRT captions, or null
     */
    public record WorkReel(String format, String videoKey, String posterKey, String vttKey, String srtKey) {}

    /** What a filed object is to its reel. */
    private enum Kind {
        VIDEO("video"),
        POSTER("poster"),
        VTT("WebVTT captions"),
        SRT("SRT captions");

        private final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /**
     * One object to file: where it is in the work bucket and what it is called in the videos bucket.
     *
     * @param reel the index of the reel it belongs to
     */
    private record Filing(int reel, Kind kind, String workKey, String filename) {
        String contentType() {
            return ObjectLayout.contentType(filename);
        }

        /** Only the reel is a download to save; posters and captions are shown or loaded by the page itself. */
        String disposition() {
            return (kind == Kind.VIDEO ? "attachment" : "inline") + "; filename=\"" + filename + "\"";
        }
    }

    /**
     * Files every reel of a job with its poster and captions, or, when anything fails, none of them: what this
     * attempt was filing is deleted again before the failure is thrown, so the retry starts clean.
     *
     * @param reels   the job's reels in its order; the first is named after the job, each other after the job
     *                and its format ({@link #filename})
     * @param jobDate the job's encode time; names the files, so re-runs land on the same names
     * @return the filed reels, in the same order
     * @throws MissingVideoException when a reel, poster or caption file is neither in the work bucket nor filed
     */
    public List<ArchivedReel> archive(String jobId, List<WorkReel> reels, Instant jobDate) {
        store.ensureBucket(videosBucket);
        List<Filing> filings = new ArrayList<>();
        for (int i = 0; i < reels.size(); i++) {
            WorkReel reel = reels.get(i);
            String filename = filename(jobId, i, reel.format(), jobDate);
            filings.add(new Filing(i, Kind.VIDEO, reel.videoKey(), filename));
            if (reel.posterKey() != null) {
                filings.add(new Filing(i, Kind.POSTER, reel.posterKey(), ObjectLayout.posterFilename(filename)));
            }
            if (reel.vttKey() != null) {
                filings.add(new Filing(i, Kind.VTT, reel.vttKey(), ObjectLayout.captionFilename(filename, "vtt")));
            }
            if (reel.srtKey() != null) {
                filings.add(new Filing(i, Kind.SRT, reel.srtKey(), ObjectLayout.captionFilename(filename, "srt")));
            }
        }
        // a work copy still there is filed (again); one that is gone was filed by an earlier attempt, which
        // deletes work copies only once every copy is filed, so its filed copy stands
        List<Filing> toFile = new ArrayList<>();
        Instant expiresAt = null;
        List<Lookup> lookups = ConcurrentCalls.eachAtOnce(
                filings,
                filing -> new Lookup(
                        store.stat(videosBucket, filing.filename()),
                        store.stat(workBucket, filing.workKey()).isPresent()));
        for (int i = 0; i < filings.size(); i++) {
            Filing filing = filings.get(i);
            Optional<StoredObject> filed = lookups.get(i).filed();
            if (lookups.get(i).inWork()) {
                toFile.add(filing);
            } else if (filed.isEmpty()) {
                // S3 is strongly consistent: a claim check that points at nothing will not start pointing at
                // something; the job fails, so it keeps none of its files
                unfile(filings.stream().map(Filing::filename).toList());
                throw new MissingVideoException("Failed to save file: the composed " + filing.kind().description + " "
                        + filing.workKey() + " is missing from " + workBucket);
            }
            if (expiresAt == null) {
                expiresAt = filed.map(ReelArchiver::expiresAt).orElse(null);
            }
        }
        if (toFile.isEmpty()) {
            // a re-run after a crash between filing and committing: the work copies are gone, the filed ones stand
            log.info("already filed as {}", filings.get(0).filename());
        }
        // one expiry for all files of a job, kept from an earlier attempt if there was one
        Instant expires = expiresAt != null
                ? expiresAt
                : Instant.ofEpochMilli(clock.millis()).plus(ttl);
        List<ArchivedReel> archived;
        try {
            ConcurrentCalls.eachAtOnce(toFile, filing -> {
                store.copy(
                        workBucket,
                        filing.workKey(),
                        videosBucket,
                        filing.filename(),
                        filing.contentType(),
                        filing.disposition(),
                        Map.of(ObjectLayout.JOB_ID, jobId, ObjectLayout.EXPIRES_AT, expires.toString()));
                return filing;
            });
            archived = describe(reels, filings, expires);
        } catch (RuntimeException e) {
            // all or none: a copy the client saw fail may still have landed, so every one of this attempt goes
            try {
                unfile(toFile.stream().map(Filing::filename).toList());
            } catch (RuntimeException cleanup) {
                // the retry files them again, or the sweeper removes them at their expiry
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        store.deletePrefix(workBucket, ObjectLayout.jobPrefix(jobId));
        log.info(
                "filed {} reel(s) as {} ({} bytes), expires {}",
                archived.size(),
                archived.get(0).filename(),
                archived.get(0).fileSize(),
                expires);
        return archived;
    }

    /**
     * The download filename of a job's reel: the first (today's one reel) is named after the job alone, each
     * other after the job and its format, so every name is unguessable and the same on every re-run.
     */
    String filename(String jobId, int index, String format, Instant jobDate) {
        return filenames.filename(index == 0 ? jobId : jobId + "/" + format, jobDate);
    }

    /** The filed reels, sized from their filed copies (which proves each copy landed). */
    private List<ArchivedReel> describe(List<WorkReel> reels, List<Filing> filings, Instant expires) {
        List<StoredObject> copies = ConcurrentCalls.eachAtOnce(
                filings,
                filing -> store.stat(videosBucket, filing.filename())
                        .orElseThrow(() ->
                                new IllegalStateException("copy of " + filing.filename() + " not found after filing")));
        List<ArchivedReel> archived = new ArrayList<>();
        for (int i = 0; i < reels.size(); i++) {
            Map<Kind, String> urls = new EnumMap<>(Kind.class);
            String filename = null;
            long size = 0;
            for (int f = 0; f < filings.size(); f++) {
                Filing filing = filings.get(f);
                if (filing.reel() != i) {
                    continue;
                }
                StoredObject copy = copies.get(f);
                urls.put(filing.kind(), downloadUrl(filing.filename()));
                if (filing.kind() == Kind.VIDEO) {
                    filename = filing.filename();
                    size = copy.size();
                }
            }
            archived.add(new ArchivedReel(
                    reels.get(i).format(),
                    filename,
                    urls.get(Kind.VIDEO),
                    expires,
                    size,
                    urls.get(Kind.POSTER),
                    urls.get(Kind.VTT),
                    urls.get(Kind.SRT)));
        }
        return archived;
    }

    /** What the store holds of one filing before it is filed: its filed copy, if any, and whether its work copy is. */
    private record Lookup(Optional<StoredObject> filed, boolean inWork) {}

    /**
     * Deletes filed videos, posters and captions (of a job canceled as it was filed, or whose filing failed); none
     * there is fine. Tries every one even when some fail, then throws the first failure.
     */
    public void unfile(List<String> filenames) {
        RuntimeException first = null;
        for (String filename : filenames) {
            try {
                store.delete(videosBucket, filename);
            } catch (RuntimeException e) {
                log.warn("could not unfile {}: {}", filename, e.getMessage());
                first = first == null ? e : first;
            }
        }
        log.info("unfiled {}", filenames);
        if (first != null) {
            throw first;
        }
    }

    /** The event points at a video that is not there; retrying cannot help. */
    public static final class MissingVideoException extends RuntimeException {
        MissingVideoException(String message) {
            super(message);
        }
    }

    private static Instant expiresAt(StoredObject filed) {
        String expires = filed.metadata().get(ObjectLayout.EXPIRES_AT);
        try {
            return expires == null ? null : Instant.parse(expires);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String downloadUrl(String filename) {
        return baseUrl + "/download/" + filename;
    }
}
