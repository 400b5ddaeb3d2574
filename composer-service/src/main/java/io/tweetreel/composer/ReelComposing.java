package io.tweetreel.composer;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.JobWorkspace;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.StageWork;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoComposed;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composer stage's work: fetch the card from the work bucket into a per-job directory, compose the reel
 * (progress mapped into 60–79), and put the MP4 at {@link ObjectLayout#videoKey}.
 */
public final class ReelComposing implements StageWork<ScreenshotReady, VideoComposed> {
    private static final Logger log = LoggerFactory.getLogger(ReelComposing.class);
    private static final int FIRST = JobStatuses.startProgress(JobStep.composing_video);
    private static final int LAST = JobStatuses.startProgress(JobStep.saving_file) - 1;

    private final ReelComposer composer;
    private final ObjectStore store;
    private final String workBucket;
    private final Path workDir;
    private final Clock clock;

    public ReelComposing(ReelComposer composer, ObjectStore store, String workBucket, Path workDir, Clock clock) {
        this.composer = composer;
        this.store = store;
        this.workBucket = workBucket;
        this.workDir = workDir;
        this.clock = clock;
    }

    private static long millisBetween(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    @Override
    public VideoComposed process(StageJob<ScreenshotReady> job) throws Exception {
        ScreenshotReady screenshot = job.input();
        long startedAt = System.nanoTime();
        try (JobWorkspace workspace = JobWorkspace.create(workDir, job.jobId())) {
            Path card = workspace.file("card.png");
            try {
                store.download(workBucket, screenshot.getScreenshotKey(), card);
            } catch (ObjectStoreException.ObjectNotFoundException e) {
                throw new JobFailure(
                        ComposerTopology.FAILURE_CODE,
                        "Video composition failed: the card " + screenshot.getScreenshotKey() + " is missing");
            }
            long downloadedAt = System.nanoTime();
            Path mp4 = workspace.file("video.mp4");
            ComposedReel reel;
            try {
                reel = composer.compose(
                        card,
                        screenshot.getDurationSeconds(),
                        mp4,
                        fraction -> job.progress().report(FIRST + (int) Math.floor(fraction * (LAST - FIRST))),
                        // a cancel kills ffmpeg at once; the stage then drops the job
                        stopEncode -> job.onCancel(stopEncode)::close);
            } catch (ComposeException e) {
                throw new JobFailure(ComposerTopology.FAILURE_CODE, e.getMessage(), e);
            }
            long composedAt = System.nanoTime();
            job.throwIfCanceled(); // canceled as ffmpeg finished: no upload to delete again
            store.ensureBucket(workBucket);
            store.put(
                    workBucket,
                    ObjectLayout.videoKey(job.jobId()),
                    mp4,
                    "video/mp4",
                    Map.of(ObjectLayout.JOB_ID, job.jobId()));
            // where the stage's time goes, for whoever tunes it (the bench compares it with the bare tools)
            log.debug(
                    "card download {} ms, compose {} ms, upload {} ms",
                    millisBetween(startedAt, downloadedAt),
                    millisBetween(downloadedAt, composedAt),
                    millisBetween(composedAt, System.nanoTime()));
            return VideoComposed.newBuilder()
                    .setVideoKey(ObjectLayout.videoKey(job.jobId()))
                    .setDurationSeconds(reel.durationSeconds())
                    .setFileSize(reel.sizeBytes())
                    .setWidth(reel.width())
                    .setHeight(reel.height())
                    .setComposedAt(Instant.ofEpochMilli(clock.millis()))
                    .build();
        }
    }
}
