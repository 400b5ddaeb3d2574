package io.tweetreel.renderer;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.JobWorkspace;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.RequestRules;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.StageWork;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoRequested;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The renderer stage's work: check the request, render its card to a PNG in a per-job directory, and put it in
 * the work bucket at {@link ObjectLayout#cardKey} (deterministic, so a re-run overwrites).
 */
public final class CardRendering implements StageWork<VideoRequested, ScreenshotReady> {
    public static final String INVALID_REQUEST = "INVALID_REQUEST";

    private final CardRendererPool renderers;
    private final ObjectStore store;
    private final String workBucket;
    private final Path workDir;
    private final Clock clock;

    public CardRendering(CardRendererPool renderers, ObjectStore store, String workBucket, Path workDir, Clock clock) {
        this.renderers = renderers;
        this.store = store;
        this.workBucket = workBucket;
        this.workDir = workDir;
        this.clock = clock;
    }

    @Override
    public ScreenshotReady process(StageJob<VideoRequested> job) throws Exception {
        // a record published straight to Kafka has not been through the gateway: the same rules, the same messages
        List<RequestRules.Violation> problems = RequestRules.check(job.input());
        if (!problems.isEmpty()) {
            throw new JobFailure(INVALID_REQUEST, RequestRules.describe(problems));
        }
        VideoRequested request = RequestRules.normalized(job.input());
        try (JobWorkspace workspace = JobWorkspace.create(workDir, job.jobId())) {
            Path png = workspace.file("card.png");
            CardRequest card = new CardRequest(
                    request.getTweetBody(),
                    request.getProfileName(),
                    request.getUsername(),
                    request.getTheme(),
                    request.getProfilePhotoUrl());
            renderers.render(card, png);
            store.ensureBucket(workBucket);
            store.put(
                    workBucket,
                    ObjectLayout.cardKey(job.jobId()),
                    png,
                    "image/png",
                    Map.of(ObjectLayout.JOB_ID, job.jobId()));
        }
        return ScreenshotReady.newBuilder()
                .setScreenshotKey(ObjectLayout.cardKey(job.jobId()))
                .setWidth(CardRenderer.WIDTH_PX)
                .setHeight(CardRenderer.HEIGHT_PX)
                .setDurationSeconds(request.getDurationSeconds())
                .setRenderedAt(Instant.ofEpochMilli(clock.millis()))
                .build();
    }
}
