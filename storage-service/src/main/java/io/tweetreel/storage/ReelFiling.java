package io.tweetreel.storage;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.StageWork;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoStored;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/**
 * The storage stage's work: file the reel with {@link ReelArchiver} and describe it as a {@link VideoStored}. A
 * canceled job is never filed: the stage checks before it starts, this work again just before filing, and the
 * stage once more after filing, when {@link #discard} deletes the filed video again.
 */
public final class ReelFiling implements StageWork<VideoComposed, VideoStored> {
    private final ReelArchiver archiver;
    private final Clock clock;

    public ReelFiling(ReelArchiver archiver, Clock clock) {
        this.archiver = archiver;
        this.clock = clock;
    }

    @Override
    public VideoStored process(StageJob<VideoComposed> job) throws IOException, JobFailure {
        VideoComposed composed = job.input();
        ArchivedReel reel;
        job.throwIfCanceled();
        try {
            reel = archiver.archive(job.jobId(), composed.getVideoKey(), composed.getComposedAt());
        } catch (ReelArchiver.MissingVideoException e) {
            throw new JobFailure(StorageTopology.FAILURE_CODE, e.getMessage());
        } catch (ObjectStoreException e) {
            // transient: retried by the stage; this message is what the user sees if it never recovers
            throw new IOException("Failed to save file: " + e.getMessage(), e);
        }
        return VideoStored.newBuilder()
                .setFilename(reel.filename())
                .setDownloadUrl(reel.downloadUrl())
                .setExpiresAt(reel.expiresAt())
                .setFileSize(reel.fileSize())
                .setDurationSeconds(composed.getDurationSeconds())
                .setResolution(composed.getWidth() + "x" + composed.getHeight())
                .setStoredAt(Instant.ofEpochMilli(clock.millis()))
                .build();
    }

    /** Canceled after filing, before the job completed: the canceled job must not keep a video. */
    @Override
    public void discard(String jobId, VideoStored stored) {
        archiver.unfile(stored.getFilename());
    }
}
