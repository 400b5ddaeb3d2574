package io.tweetreel.renderer;

import io.tweetreel.core.ConcurrentCalls;
import io.tweetreel.core.JobFailure;
import io.tweetreel.core.JobWorkspace;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.RequestRules;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.StageWork;
import io.tweetreel.core.motion.CaptionCue;
import io.tweetreel.core.motion.CaptionCues;
import io.tweetreel.core.motion.RevealTimeline;
import io.tweetreel.schemas.Animation;
import io.tweetreel.schemas.MediaItem;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.PostMetrics;
import io.tweetreel.schemas.QuotedPost;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.RenderedFrame;
import io.tweetreel.schemas.RevealLayer;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoRequested;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 *
 * <p>It also settles the reel's length ({@link RevealTimeline#durationSeconds}: the same for every format) and,
 * for every format, writes the captions of the post (WebVTT and SRT). For {@code animation: reveal} each format
 * also gets its base card (the card with its text lines, media, quote and footer hidden) and its layers, each
 * with the time it appears ({@link RevealTimeline#plan}); the captions follow those times.
 */
public final class CardRendering implements StageWork<VideoRequested, ScreenshotReady> {
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
            throw new JobFailure(RequestRules.INVALID_REQUEST, RequestRules.describe(problems));
        }
        VideoRequested request = RequestRules.normalized(job.input());
        CardRequest card = cardRequest(request);
        boolean reveal = request.getAnimation() == Animation.reveal;
        String text = request.getTweetBody();
        int durationSeconds =
                RevealTimeline.durationSeconds(request.getDurationSeconds(), reveal, text, revealBlocks(card));
        List<RenderedFrame> frames = new ArrayList<>();
        CardRenderResult result;
        try (JobWorkspace workspace = JobWorkspace.create(workDir, job.jobId())) {
            result = renderers.render(
                    card,
                    format -> workspace.file("card-" + format.slug() + ".png"),
                    reveal ? format -> workspace.file("card-base-" + format.slug() + ".png") : null);
            store.ensureBucket(workBucket);
            Map<String, String> metadata = Map.of(ObjectLayout.JOB_ID, job.jobId());
            List<Upload> uploads = new ArrayList<>();
            for (CardRenderResult.Card rendered : result.cards()) {
                ReelFormat format = rendered.format();
                String key = ObjectLayout.cardKey(job.jobId(), format);
                uploads.add(new Upload(key, rendered.png()));
                RenderedFrame.Builder frame = RenderedFrame.newBuilder()
                        .setFormat(format.label())
                        .setScreenshotKey(key)
                        .setWidth(format.width())
                        .setHeight(format.height());
                List<CaptionCue> cues;
                if (reveal) {
                    String baseKey = ObjectLayout.baseCardKey(job.jobId(), format);
                    uploads.add(new Upload(baseKey, rendered.basePng()));
                    RevealTimeline timeline = timeline(rendered, durationSeconds);
                    frame.setBaseScreenshotKey(baseKey).setReveal(revealLayers(rendered, timeline));
                    cues = CaptionCues.timed(text, rendered.lineTexts(), timeline.lineTimes(), durationSeconds);
                } else {
                    cues = CaptionCues.spread(text, durationSeconds);
                }
                Upload vtt = captions(workspace, job.jobId(), format, "vtt", CaptionCues.vtt(cues));
                Upload srt = captions(workspace, job.jobId(), format, "srt", CaptionCues.srt(cues));
                uploads.add(vtt);
                uploads.add(srt);
                frames.add(frame.setVttKey(vtt.key()).setSrtKey(srt.key()).build());
            }
            ConcurrentCalls.eachAtOnce(uploads, upload -> {
                store.put(workBucket, upload.key(), upload.file(), ObjectLayout.contentType(upload.key()), metadata);
                return upload;
            });
        }
        RenderedFrame first = frames.get(0);
        return ScreenshotReady.newBuilder()
                .setScreenshotKey(first.getScreenshotKey())
                .setWidth(first.getWidth())
                .setHeight(first.getHeight())
                .setDurationSeconds(durationSeconds)
                .setRenderedAt(Instant.ofEpochMilli(clock.millis()))
                .setFrames(frames)
                .setWarnings(result.warnings())
                .setZoom(request.getZoom())
                .setAudioUrl(request.getAudioUrl())
                .setMusic(request.getMusic())
                .build();
    }

    /**
     * How many blocks follow the text in a reveal of this card: media, quote, and the footer (time line and
     * counts row, which every card has). Known before rendering, and the same in every format, so every format's
     * reel has the same length.
     */
    static int revealBlocks(CardRequest card) {
        return (card.media().isEmpty() ? 0 : 1) + (card.quote() == null ? 0 : 1) + 1;
    }

    /** When each of this format's layers appears: its lines as a reader reaches them, then its blocks. */
    private static RevealTimeline timeline(CardRenderResult.Card rendered, int durationSeconds) {
        List<Integer> lineWords =
                rendered.lineTexts().stream().map(RevealTimeline::words).toList();
        int blocks = rendered.layers().size() - lineWords.size();
        return RevealTimeline.plan(lineWords, blocks, durationSeconds);
    }

    private static List<RevealLayer> revealLayers(CardRenderResult.Card rendered, RevealTimeline timeline) {
        List<RevealLayer> layers = new ArrayList<>();
        int line = 0;
        int block = 0;
        for (CardLayer layer : rendered.layers()) {
            double appearAt = layer.kind() == CardLayer.Kind.LINE
                    ? timeline.lineTimes().get(line++)
                    : timeline.blockTimes().get(block++);
            layers.add(RevealLayer.newBuilder()
                    .setKind(layer.kind().label())
                    .setX(layer.x())
                    .setY(layer.y())
                    .setWidth(layer.width())
                    .setHeight(layer.height())
                    .setAppearAt(appearAt)
                    .build());
        }
        return layers;
    }

    /** A file of the job for the work bucket, under its key. */
    private record Upload(String key, Path file) {}

    /** Writes one caption file (UTF-8) to upload with the job's cards. */
    private static Upload captions(
            JobWorkspace workspace, String jobId, ReelFormat format, String extension, String captions)
            throws IOException {
        String key = ObjectLayout.captionKey(jobId, format, extension);
        Path file = workspace.file("captions-" + format.slug() + "." + extension);
        Files.writeString(file, captions, StandardCharsets.UTF_8);
        return new Upload(key, file);
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
