package io.tweetreel.renderer;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.JobWorkspace;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.RequestRules;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.StageWork;
import io.tweetreel.core.motion.RevealTimeline;
import io.tweetreel.schemas.MediaItem;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.PostMetrics;
import io.tweetreel.schemas.QuotedPost;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.RenderedFrame;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoRequested;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The renderer stage's work: check the request, render its card in every format it asks for to PNGs in a per-job
 * directory (one browser session for all of them), and put each in the work bucket at
 * {@link ObjectLayout#cardKey(String, ReelFormat)} (deterministic, so a re-run overwrites). Images that could not
 * be used travel on as the output's warnings.
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
        CardRequest card = cardRequest(request);
        List<RenderedFrame> frames = new ArrayList<>();
        CardRenderResult result;
        try (JobWorkspace workspace = JobWorkspace.create(workDir, job.jobId())) {
            result = renderers.render(card, format -> workspace.file("card-" + format.slug() + ".png"));
            store.ensureBucket(workBucket);
            for (CardRenderResult.Card rendered : result.cards()) {
                String key = ObjectLayout.cardKey(job.jobId(), rendered.format());
                store.put(workBucket, key, rendered.png(), "image/png", Map.of(ObjectLayout.JOB_ID, job.jobId()));
                frames.add(RenderedFrame.newBuilder()
                        .setFormat(rendered.format().label())
                        .setScreenshotKey(key)
                        .setWidth(rendered.format().width())
                        .setHeight(rendered.format().height())
                        .build());
            }
        }
        RenderedFrame first = frames.get(0);
        return ScreenshotReady.newBuilder()
                .setScreenshotKey(first.getScreenshotKey())
                .setWidth(first.getWidth())
                .setHeight(first.getHeight())
                .setDurationSeconds(
                        RevealTimeline.durationSeconds(request.getDurationSeconds(), false, request.getTweetBody(), 0))
                .setRenderedAt(Instant.ofEpochMilli(clock.millis()))
                .setFrames(frames)
                .setWarnings(result.warnings())
                .build();
    }

    /** The card of a request that passed {@link RequestRules#check} and was {@link RequestRules#normalized}. */
    static CardRequest cardRequest(VideoRequested request) {
        return new CardRequest(
                request.getTweetBody(),
                request.getProfileName(),
                request.getUsername(),
                request.getTheme(),
                request.getProfilePhotoUrl(),
                media(request.getMedia()),
                quote(request.getQuote()),
                request.getVerified(),
                request.getPostedAt(),
                request.getTimeZone() == null ? null : ZoneId.of(request.getTimeZone()),
                request.getLocale() == null ? null : Locale.forLanguageTag(request.getLocale()),
                metrics(request.getMetrics()),
                request.getReplyTo(),
                request.getAccentColor(),
                ReelFormat.of(request.getFormats()));
    }

    private static List<CardRequest.Media> media(List<MediaItem> items) {
        return items == null
                ? List.of()
                : items.stream()
                        .map(item -> new CardRequest.Media(item.getUrl(), item.getAlt()))
                        .toList();
    }

    private static CardRequest.Quote quote(QuotedPost quote) {
        return quote == null
                ? null
                : new CardRequest.Quote(
                        quote.getTweetBody(),
                        quote.getProfileName(),
                        quote.getUsername(),
                        quote.getProfilePhotoUrl(),
                        quote.getVerified(),
                        media(quote.getMedia()));
    }

    private static CardRequest.Metrics metrics(PostMetrics metrics) {
        return metrics == null
                ? null
                : new CardRequest.Metrics(
                        metrics.getReplies(),
                        metrics.getReposts(),
                        metrics.getLikes(),
                        metrics.getViews(),
                        metrics.getBookmarks());
    }
}
