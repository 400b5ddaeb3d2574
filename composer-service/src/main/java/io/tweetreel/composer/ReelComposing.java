package io.tweetreel.composer;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.JobWorkspace;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.StageWork;
import io.tweetreel.schemas.ComposedOutput;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.RenderedFrame;
import io.tweetreel.schemas.RevealLayer;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoComposed;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composer stage's work: for each format of the job (the {@link ScreenshotReady#getFrames() frames}; a v1
 * record, without frames, is one 9:16 card), fetch its card (and, for a reveal, its base card) from the work bucket
 * into a per-job directory, compose its reel and poster with the job's {@link Motion}, and put them at
 * {@link ObjectLayout#videoKey(String, ReelFormat)} and {@link ObjectLayout#posterKey}; the frame's caption keys are
 * passed on. The sound ({@code music} or {@code audioUrl}) is chosen, fetched and leveled once per job. Progress is
 * mapped into 60–79 over all formats, each weighted by its pixels.
 */
public final class ReelComposing implements StageWork<ScreenshotReady, VideoComposed> {
    private static final Logger log = LoggerFactory.getLogger(ReelComposing.class);
    private static final int FIRST = JobStatuses.startProgress(JobStep.composing_video);
    private static final int LAST = JobStatuses.startProgress(JobStep.saving_file) - 1;

    private final ReelComposer composer;
    private final Soundtracks soundtracks;
    private final ObjectStore store;
    private final String workBucket;
    private final Path workDir;
    private final Clock clock;

    public ReelComposing(
            ReelComposer composer,
            Soundtracks soundtracks,
            ObjectStore store,
            String workBucket,
            Path workDir,
            Clock clock) {
        this.composer = composer;
        this.soundtracks = soundtracks;
        this.store = store;
        this.workBucket = workBucket;
        this.workDir = workDir;
        this.clock = clock;
    }

    private static long millisBetween(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    /**
     * The card of one format, as the renderer put it in the work bucket: for a reveal also its base card (null
     * for a still) and layers; its caption files (null when the renderer wrote none) are passed on untouched.
     */
    private record Card(
            ReelFormat format, String key, String baseKey, List<Motion.Layer> layers, String vttKey, String srtKey) {
        Card(ReelFormat format, String key) {
            this(format, key, null, List.of(), null, null);
        }
    }

    /** The job's cards in its order; a v1 record names one, 9:16. */
    static List<Card> cards(ScreenshotReady screenshot) throws JobFailure {
        if (screenshot.getFrames().isEmpty()) {
            return List.of(new Card(ReelFormat.DEFAULT, screenshot.getScreenshotKey()));
        }
        List<Card> cards = new ArrayList<>();
        for (RenderedFrame frame : screenshot.getFrames()) {
            ReelFormat format = ReelFormat.ofLabel(frame.getFormat())
                    .orElseThrow(() -> new JobFailure(
                            ComposerTopology.FAILURE_CODE,
                            "Video composition failed: unknown format " + frame.getFormat() + ", expected one of "
                                    + ReelFormat.labels()));
            List<Motion.Layer> layers = new ArrayList<>();
            for (RevealLayer layer : frame.getReveal()) {
                layers.add(layer(layer));
            }
            if (layers.isEmpty() != (frame.getBaseScreenshotKey() == null)) {
                // only a still (neither) or a reveal (both) can be composed; one without the other is a bug upstream
                throw new JobFailure(
                        ComposerTopology.FAILURE_CODE,
                        "Video composition failed: the " + format.label() + " card has "
                                + (layers.isEmpty()
                                        ? "a base card but no reveal layers"
                                        : "reveal layers but no base card"));
            }
            cards.add(new Card(
                    format,
                    frame.getScreenshotKey(),
                    frame.getBaseScreenshotKey(),
                    layers,
                    frame.getVttKey(),
                    frame.getSrtKey()));
        }
        return cards;
    }

    private static Motion.Layer layer(RevealLayer layer) throws JobFailure {
        try {
            return new Motion.Layer(
                    layer.getX(), layer.getY(), layer.getWidth(), layer.getHeight(), layer.getAppearAt());
        } catch (IllegalArgumentException e) {
            throw new JobFailure(ComposerTopology.FAILURE_CODE, "Video composition failed: " + e.getMessage());
        }
    }

    @Override
    public VideoComposed process(StageJob<ScreenshotReady> job) throws Exception {
        ScreenshotReady screenshot = job.input();
        List<Card> cards = cards(screenshot);
        long totalPixels = cards.stream()
                .mapToLong(c -> (long) c.format().width() * c.format().height())
                .sum();
        long pixelsDone = 0;
        List<ComposedOutput> outputs = new ArrayList<>();
        try (JobWorkspace workspace = JobWorkspace.create(workDir, job.jobId())) {
            ReelAudio audio = sound(screenshot, workspace);
            for (Card card : cards) {
                long pixels = (long) card.format().width() * card.format().height();
                double before = (double) pixelsDone / totalPixels;
                double share = (double) pixels / totalPixels;
                outputs.add(composeOne(
                        job,
                        workspace,
                        card,
                        audio,
                        fraction -> job.progress()
                                .report(FIRST + (int) Math.floor((before + fraction * share) * (LAST - FIRST)))));
                pixelsDone += pixels;
            }
        }
        ComposedOutput first = outputs.get(0);
        return VideoComposed.newBuilder()
                .setVideoKey(first.getVideoKey())
                .setDurationSeconds(first.getDurationSeconds())
                .setFileSize(first.getFileSize())
                .setWidth(first.getWidth())
                .setHeight(first.getHeight())
                .setComposedAt(Instant.ofEpochMilli(clock.millis()))
                .setOutputs(outputs)
                .build();
    }

    /**
     * The job's sound, chosen ({@link Soundtracks}), fetched when it is the user's, and leveled once for every format.
     * A user's track that ffmpeg cannot decode fails the job with {@value AudioFetcher#FAILURE_CODE}.
     */
    private ReelAudio sound(ScreenshotReady screenshot, JobWorkspace workspace) throws Exception {
        ReelAudio chosen = soundtracks.choose(screenshot.getMusic(), screenshot.getAudioUrl(), workspace.dir());
        try {
            return composer.level(chosen, screenshot.getDurationSeconds());
        } catch (ComposeException e) {
            if (chosen.origin() == ReelAudio.Origin.FETCHED) {
                throw new JobFailure(
                        AudioFetcher.FAILURE_CODE, "Audio failed: the file at audioUrl does not decode as audio", e);
            }
            throw new JobFailure(ComposerTopology.FAILURE_CODE, "Video composition failed: " + e.getMessage(), e);
        }
    }

    /** Fetches one card, composes its reel and poster, and puts both in the work bucket. */
    private ComposedOutput composeOne(
            StageJob<ScreenshotReady> job,
            JobWorkspace workspace,
            Card card,
            ReelAudio audio,
            ProgressListener progress)
            throws Exception {
        long startedAt = System.nanoTime();
        String slug = card.format().slug();
        Path png = workspace.file("card-" + slug + ".png");
        try {
            store.download(workBucket, card.key(), png);
        } catch (ObjectStoreException.ObjectNotFoundException e) {
            throw new JobFailure(
                    ComposerTopology.FAILURE_CODE, "Video composition failed: the card " + card.key() + " is missing");
        }
        Motion motion = Motion.still(job.input().getZoom());
        if (card.baseKey() != null) {
            Path basePng = workspace.file("base-" + slug + ".png");
            try {
                store.download(workBucket, card.baseKey(), basePng);
            } catch (ObjectStoreException.ObjectNotFoundException e) {
                throw new JobFailure(
                        ComposerTopology.FAILURE_CODE,
                        "Video composition failed: the base card " + card.baseKey() + " is missing");
            }
            motion = Motion.reveal(basePng, card.layers(), job.input().getZoom());
        }
        long downloadedAt = System.nanoTime();
        Path mp4 = workspace.file("video-" + slug + ".mp4");
        Path poster = workspace.file("poster-" + slug + ".jpg");
        ComposedReel reel;
        try {
            reel = composer.compose(
                    png,
                    motion,
                    audio,
                    job.input().getDurationSeconds(),
                    card.format(),
                    mp4,
                    poster,
                    progress,
                    // a cancel kills ffmpeg at once; the stage then drops the job
                    stopEncode -> job.onCancel(stopEncode)::close);
        } catch (ComposeException e) {
            throw new JobFailure(ComposerTopology.FAILURE_CODE, e.getMessage(), e);
        }
        long composedAt = System.nanoTime();
        job.throwIfCanceled(); // canceled as ffmpeg finished: no upload to delete again
        String videoKey = ObjectLayout.videoKey(job.jobId(), card.format());
        String posterKey = ObjectLayout.posterKey(job.jobId(), card.format());
        store.ensureBucket(workBucket);
        Map<String, String> metadata = Map.of(ObjectLayout.JOB_ID, job.jobId());
        store.put(workBucket, videoKey, mp4, "video/mp4", metadata);
        store.put(workBucket, posterKey, poster, "image/jpeg", metadata);
        // where the stage's time goes, for whoever tunes it (the bench compares it with the bare tools)
        log.debug(
                "{}: card download {} ms, compose {} ms, upload {} ms",
                card.format().label(),
                millisBetween(startedAt, downloadedAt),
                millisBetween(downloadedAt, composedAt),
                millisBetween(composedAt, System.nanoTime()));
        return ComposedOutput.newBuilder()
                .setFormat(card.format().label())
                .setVideoKey(videoKey)
                .setPosterKey(posterKey)
                .setDurationSeconds(reel.durationSeconds())
                .setFileSize(reel.sizeBytes())
                .setWidth(reel.width())
                .setHeight(reel.height())
                .setVttKey(card.vttKey())
                .setSrtKey(card.srtKey())
                .build();
    }
}
