package io.tweetreel.storage;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.StageWork;
import io.tweetreel.schemas.CaptionFiles;
import io.tweetreel.schemas.ComposedOutput;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.StoredOutput;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoStored;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage stage's work: file the job's reels with their posters and captions with {@link ReelArchiver}, all or
 * none, and describe them as a {@link VideoStored} (the first reel in the seed's fields, every reel in
 * {@code outputs}). A v1 {@link VideoComposed}, without outputs, is one 9:16 reel without a poster; one before v3
 * has no captions. A canceled job is never filed: the
 * stage checks before it starts, this work again just before filing, and the stage once more after filing, when
 * {@link #discard} deletes the filed files again.
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
        List<ComposedOutput> outputs = composed.getOutputs();
        List<ReelArchiver.WorkReel> reels = outputs.isEmpty()
                ? List.of(
                        new ReelArchiver.WorkReel(ReelFormat.DEFAULT.label(), composed.getVideoKey(), null, null, null))
                : outputs.stream()
                        .map(o -> new ReelArchiver.WorkReel(
                                o.getFormat(), o.getVideoKey(), o.getPosterKey(), o.getVttKey(), o.getSrtKey()))
                        .toList();
        List<ArchivedReel> archived;
        job.throwIfCanceled();
        try {
            archived = archiver.archive(job.jobId(), reels, composed.getComposedAt());
        } catch (ReelArchiver.MissingVideoException e) {
            throw new JobFailure(StorageTopology.FAILURE_CODE, e.getMessage());
        } catch (ObjectStoreException e) {
            // transient: retried by the stage; this message is what the user sees if it never recovers
            throw new IOException("Failed to save file: " + e.getMessage(), e);
        }
        List<StoredOutput> stored = new ArrayList<>();
        for (int i = 0; i < archived.size(); i++) {
            ArchivedReel reel = archived.get(i);
            double duration = outputs.isEmpty()
                    ? composed.getDurationSeconds()
                    : outputs.get(i).getDurationSeconds();
            String resolution = outputs.isEmpty()
                    ? composed.getWidth() + "x" + composed.getHeight()
                    : outputs.get(i).getWidth() + "x" + outputs.get(i).getHeight();
            stored.add(StoredOutput.newBuilder()
                    .setFormat(reel.format())
                    .setFilename(reel.filename())
                    .setDownloadUrl(reel.downloadUrl())
                    .setFileSize(reel.fileSize())
                    .setDurationSeconds(duration)
                    .setResolution(resolution)
                    .setPosterUrl(reel.posterUrl())
                    .setCaptions(captions(reel))
                    .build());
        }
        ArchivedReel first = archived.get(0);
        return VideoStored.newBuilder()
                .setFilename(first.filename())
                .setDownloadUrl(first.downloadUrl())
                .setExpiresAt(first.expiresAt())
                .setFileSize(first.fileSize())
                .setDurationSeconds(composed.getDurationSeconds())
                .setResolution(composed.getWidth() + "x" + composed.getHeight())
                .setStoredAt(Instant.ofEpochMilli(clock.millis()))
                .setPosterUrl(first.posterUrl())
                .setOutputs(stored)
                .setCaptions(captions(first))
                .build();
    }

    /** The reel's caption files; null unless both were filed (the contract names them as a pair). */
    private static CaptionFiles captions(ArchivedReel reel) {
        return reel.vttUrl() == null || reel.srtUrl() == null ? null : new CaptionFiles(reel.vttUrl(), reel.srtUrl());
    }

    /** Canceled after filing, before the job completed: the canceled job must keep none of its files. */
    @Override
    public void discard(String jobId, VideoStored stored) {
        List<String> filenames = new ArrayList<>();
        filenames.add(stored.getFilename());
        for (StoredOutput output : stored.getOutputs()) {
            filenames.add(output.getFilename());
        }
        // a poster and captions are deleted whether or not the reel had them: deleting what is not there is fine
        for (String video : List.copyOf(filenames)) {
            filenames.add(ObjectLayout.posterFilename(video));
            filenames.add(ObjectLayout.captionFilename(video, "vtt"));
            filenames.add(ObjectLayout.captionFilename(video, "srt"));
        }
        archiver.unfile(filenames.stream().distinct().toList());
    }
}
