package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ProgressReporter;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.StoredObject;
import io.tweetreel.core.motion.RevealTimeline;
import io.tweetreel.core.testing.CountingHttpServer;
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
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code reveal} job in real Chromium, through the stage's work ({@link CardRendering}) into a recording object
 * store: the layers read from the DOM, the base card, their times and the caption files; and the cost of the base
 * card. One renderer for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevealRenderingTest {

    /** 24 words as a reader counts them ({@link RevealTimeline#words}); the rocket is no word. */
    private static final String POST = "Kafka carries the request, Chromium draws the card, and FFmpeg turns it into"
            + " a reel that reads itself line by line while music plays 🚀";

    private static final Color RED = new Color(0xE5, 0x39, 0x35);
    /** Pixels count as "the same" when no channel differs by more than this (PNG of the same frame twice: 0). */
    private static final int SAME = 2;

    private CardRenderer renderer;
    private CardRendererPool pool;
    private CountingHttpServer images;
    private final RecordingStore store = new RecordingStore();

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws IOException {
        images = CountingHttpServer.start("127.0.0.1", (path, out) -> {
            if (path.equals("/red.png")) {
                CountingHttpServer.ok("image/png", solidPng(RED)).respond(path, out);
            } else {
                CountingHttpServer.status(404).respond(path, out);
            }
        });
        renderer = new CardRenderer(CardRenderer.DEFAULT_CHROMIUM_PATH, CardTemplate.bundled(), new ImageFetcher(true));
        pool = CardRendererPool.start(1, () -> renderer);
    }

    @AfterAll
    void stop() throws IOException {
        pool.close();
        images.close();
    }

    @Test
    void revealLayersComeInReadingOrderAndTheBaseCardIsTheFullCardWithoutThem() throws Exception {
        assertThat(RevealTimeline.words(POST)).as("precondition").isEqualTo(24);
        String jobId = UUID.randomUUID().toString();
        VideoRequested request = request(POST, Animation.reveal)
                .setQuote(QuotedPost.newBuilder()
                        .setTweetBody("The quoted post, one short line")
                        .setProfileName("Grace Hopper")
                        .setUsername("grace")
                        .build())
                .setFormats(List.of("9:16", "16:9"))
                .setZoom(true)
                .setMusic("calm")
                .build();

        ScreenshotReady ready = process(jobId, request);

        // 1 s lead + 24 words / 3.5 per s + 3 blocks (media, quote, footer) x 0.5 s + 1.5 s hold = 10.86 s, rounded up
        assertThat(ready.getDurationSeconds()).isEqualTo(11);
        assertThat(ready.getZoom()).isTrue();
        assertThat(ready.getMusic()).isEqualTo("calm");
        assertThat(ready.getAudioUrl()).isNull();
        double holdStartsAt = 11 - RevealTimeline.HOLD_SECONDS;
        for (RenderedFrame frame : ready.getFrames()) {
            ReelFormat format = ReelFormat.of(List.of(frame.getFormat())).get(0);
            String what = frame.getFormat();
            assertThat(frame.getBaseScreenshotKey()).as(what).isEqualTo(ObjectLayout.baseCardKey(jobId, format));
            BufferedImage full = store.image(frame.getScreenshotKey());
            BufferedImage base = store.image(frame.getBaseScreenshotKey());
            assertThat(base.getWidth()).as(what).isEqualTo(format.width());
            assertThat(base.getHeight()).as(what).isEqualTo(format.height());

            List<RevealLayer> layers = frame.getReveal();
            List<RevealLayer> lines = of(layers, "line");
            List<RevealLayer> blocks = of(layers, "block");
            assertThat(layers.subList(0, lines.size()))
                    .as(what + ": lines first")
                    .isEqualTo(lines);
            assertThat(lines.size()).as(what + ": lines").isBetween(3, 8);
            assertThat(blocks).as(what + ": media, quote, footer").hasSize(3);
            for (RevealLayer layer : layers) {
                assertThat(layer.getX()).as(what).isGreaterThanOrEqualTo(0);
                assertThat(layer.getY()).as(what).isGreaterThanOrEqualTo(0);
                assertThat(layer.getX() + layer.getWidth()).as(what).isLessThanOrEqualTo(format.width());
                assertThat(layer.getY() + layer.getHeight()).as(what).isLessThanOrEqualTo(format.height());
                assertThat(changedPixels(full, base, layer))
                        .as(what + ": the layer at " + box(layer) + " is on the full card and not on the base")
                        .isGreaterThan(layer.getWidth() * layer.getHeight() / 50);
            }
            for (int i = 0; i + 1 < lines.size(); i++) {
                assertThat(lines.get(i + 1).getY())
                        .as(what + ": line " + (i + 1) + " below line " + i)
                        .isGreaterThanOrEqualTo(
                                lines.get(i).getY() + lines.get(i).getHeight());
            }
            RevealLayer media = blocks.get(0);
            assertThat(colourDistance(centre(full, media), RED))
                    .as(what + ": the media block shows the image")
                    .isLessThanOrEqualTo(12);
            assertThat(colourDistance(centre(base, media), RED))
                    .as(what + ": and the base does not")
                    .isGreaterThan(100);
            assertThat(differentOutside(full, base, Box.ofReveal(layers)))
                    .as(what + ": pixels that differ outside every layer")
                    .isZero();

            List<Double> times = layers.stream().map(RevealLayer::getAppearAt).toList();
            assertThat(times.get(0)).as(what + ": after the lead").isEqualTo(RevealTimeline.LEAD_SECONDS);
            for (int i = 0; i + 1 < times.size(); i++) {
                assertThat(times.get(i + 1)).as(what + ": appearAt " + times).isGreaterThan(times.get(i));
            }
            assertThat(times.get(times.size() - 1) + RevealTimeline.FADE_SECONDS)
                    .as(what + ": the last layer is in before the hold")
                    .isLessThanOrEqualTo(holdStartsAt + 1e-9);

            String vtt = store.text(frame.getVttKey(), "text/vtt; charset=utf-8");
            String srt = store.text(frame.getSrtKey(), "application/x-subrip; charset=utf-8");
            assertThat(frame.getVttKey()).isEqualTo(ObjectLayout.captionKey(jobId, format, "vtt"));
            assertThat(frame.getSrtKey()).isEqualTo(ObjectLayout.captionKey(jobId, format, "srt"));
            assertThat(vtt).startsWith("WEBVTT");
            assertThat(cueTexts(vtt)).as(what + ": the captions are the post").isEqualTo(normalised(POST));
            assertThat(cueTexts(srt)).isEqualTo(normalised(POST));
            assertThat(cueStarts(vtt).get(0))
                    .as(what + ": the first caption comes with the first line")
                    .isEqualTo(lines.get(0).getAppearAt());
        }
    }

    @Test
    void aStillJobHasNoBaseCardNoLayersAndCaptionsOverTheWholeReel() throws Exception {
        String jobId = UUID.randomUUID().toString();

        ScreenshotReady ready = process(jobId, request(POST, Animation.none).build());

        assertThat(ready.getDurationSeconds()).isEqualTo(RevealTimeline.STILL_SECONDS);
        RenderedFrame frame = ready.getFrames().get(0);
        assertThat(frame.getBaseScreenshotKey()).isNull();
        assertThat(frame.getReveal()).isEmpty();
        assertThat(store.keys(jobId))
                .containsExactlyInAnyOrder(
                        ObjectLayout.cardKey(jobId, ReelFormat.DEFAULT),
                        ObjectLayout.captionKey(jobId, ReelFormat.DEFAULT, "vtt"),
                        ObjectLayout.captionKey(jobId, ReelFormat.DEFAULT, "srt"));
        String vtt = store.text(frame.getVttKey(), "text/vtt; charset=utf-8");
        assertThat(cueTexts(vtt)).isEqualTo(normalised(POST));
        assertThat(cueStarts(vtt).get(0)).isZero();
        assertThat(cueEnds(vtt)).last().isEqualTo((double) RevealTimeline.STILL_SECONDS);
    }

    @Test
    void aGivenLengthIsKeptAndTheRevealFitsIt() throws Exception {
        String jobId = UUID.randomUUID().toString();

        ScreenshotReady ready = process(
                jobId, request(POST, Animation.reveal).setDurationSeconds(6).build());

        assertThat(ready.getDurationSeconds()).isEqualTo(6);
        List<RevealLayer> layers = ready.getFrames().get(0).getReveal();
        assertThat(layers.get(layers.size() - 1).getAppearAt() + RevealTimeline.FADE_SECONDS)
                .isLessThanOrEqualTo(6 - RevealTimeline.HOLD_SECONDS + 1e-9);
    }

    @Test
    void rightToLeftAndCjkLinesAreFoundInReadingOrder() throws IOException {
        for (String text : List.of(TestTexts.ARABIC, TestTexts.JAPANESE)) {
            String what = text.substring(0, 12);
            CardRequest card = new CardRequest(text, "Ada Lovelace", "ada", null, null);
            CardRenderResult result =
                    renderer.render(card, f -> dir.resolve("script.png"), f -> dir.resolve("script-base.png"));
            assertThat(renderer.currentPage().evaluate("() => document.documentElement.dataset.truncated"))
                    .as(what + ": precondition, the whole text is on the card")
                    .isEqualTo("false");
            CardRenderResult.Card rendered = result.cards().get(0);
            BufferedImage full = ImageIO.read(rendered.png().toFile());
            BufferedImage base = ImageIO.read(rendered.basePng().toFile());
            List<CardLayer> lines = lines(rendered);

            assertThat(lines.size()).as(what).isGreaterThanOrEqualTo(2);
            assertThat(String.join("", rendered.lineTexts()).replaceAll("\\s", ""))
                    .as(what + ": the lines hold the whole text, in order")
                    .isEqualTo(text.replaceAll("\\s", ""));
            for (int i = 0; i < lines.size(); i++) {
                CardLayer line = lines.get(i);
                assertThat(changedPixels(full, base, line.x(), line.y(), line.width(), line.height()))
                        .as(what + ": text pixels in line " + i)
                        .isGreaterThan(line.width() * line.height() / 50);
                if (i > 0) {
                    CardLayer above = lines.get(i - 1);
                    assertThat(line.y()).as(what).isGreaterThanOrEqualTo(above.y() + above.height());
                }
            }
            assertThat(differentOutside(full, base, Box.ofCard(rendered.layers())))
                    .as(what)
                    .isZero();
            if (text.equals(TestTexts.ARABIC)) {
                // right-aligned: the lines end at the same right edge, the last one starts further right
                List<Integer> rights =
                        lines.stream().map(line -> line.x() + line.width()).toList();
                assertThat(Collections.max(rights) - Collections.min(rights))
                        .as("right edges " + rights)
                        .isLessThanOrEqualTo(8);
                assertThat(lines.get(lines.size() - 1).x())
                        .isGreaterThan(lines.get(0).x() + 20);
            }
        }
    }

    private static List<CardLayer> lines(CardRenderResult.Card rendered) {
        return rendered.layers().stream()
                .filter(layer -> layer.kind() == CardLayer.Kind.LINE)
                .toList();
    }

    /**
     * The cost of the base card: the same reveal card rendered with and without it, alternately. Figures for the
     * closing note; with -Dreveal.shots=DIR the full and base PNGs of the last render are kept there.
     */
    @Test
    void theBaseCardCostsLessThanTheCardItself() throws IOException {
        CardRequest card =
                CardRendering.cardRequest(request(POST, Animation.reveal).build());
        List<Long> still = new ArrayList<>();
        List<Long> reveal = new ArrayList<>();
        CardRenderResult last = null;
        for (int i = 0; i < 6; i++) {
            still.add(renderer.render(card, f -> dir.resolve("cost.png"))
                    .renderTime()
                    .toMillis());
            last = renderer.render(card, f -> dir.resolve("cost-full.png"), f -> dir.resolve("cost-base.png"));
            reveal.add(last.renderTime().toMillis());
        }
        Collections.sort(still);
        Collections.sort(reveal);
        long stillMedian = (still.get(2) + still.get(3)) / 2;
        long revealMedian = (reveal.get(2) + reveal.get(3)) / 2;
        System.out.printf(
                "[timing] reveal card (9:16, 1 image): full %s ms, full+layers+base %s ms (sorted, fetch included);"
                        + " median %d vs %d ms, extra %d ms%n",
                still, reveal, stillMedian, revealMedian, revealMedian - stillMedian);
        String shots = System.getProperty("reveal.shots");
        if (shots != null) {
            Path target = Files.createDirectories(Path.of(shots));
            Files.copy(last.png(), target.resolve("reveal-full.png"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(
                    last.cards().get(0).basePng(),
                    target.resolve("reveal-base.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(revealMedian - stillMedian).as("extra for the base card").isLessThan(stillMedian);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private ScreenshotReady process(String jobId, VideoRequested request) throws Exception {
        CardRendering work = new CardRendering(pool, store, "work", dir, Clock.systemUTC());
        return work.process(new StageJob<>(jobId, request, ProgressReporter.NONE));
    }

    private VideoRequested.Builder request(String body, Animation animation) {
        return VideoRequested.newBuilder()
                .setTweetBody(body)
                .setProfileName("Ada Lovelace")
                .setUsername("ada")
                .setAnimation(animation)
                .setMedia(List.of(MediaItem.newBuilder()
                        .setUrl(images.url("/red.png"))
                        .setAlt("red")
                        .build()))
                .setPostedAt(Instant.parse("2026-12-01T15:04:00Z"))
                .setMetrics(PostMetrics.newBuilder()
                        .setReplies(12L)
                        .setReposts(345L)
                        .setLikes(6_789L)
                        .build());
    }

    private static List<RevealLayer> of(List<RevealLayer> layers, String kind) {
        return layers.stream().filter(layer -> layer.getKind().equals(kind)).toList();
    }

    private static String box(RevealLayer layer) {
        return layer.getWidth() + "x" + layer.getHeight() + "+" + layer.getX() + "+" + layer.getY();
    }

    private static long changedPixels(BufferedImage full, BufferedImage base, RevealLayer layer) {
        return changedPixels(full, base, layer.getX(), layer.getY(), layer.getWidth(), layer.getHeight());
    }

    /** Pixels of the box where the two images clearly differ (text or image on one, background on the other). */
    private static long changedPixels(BufferedImage full, BufferedImage base, int x, int y, int width, int height) {
        long changed = 0;
        for (int row = y; row < y + height; row++) {
            for (int column = x; column < x + width; column++) {
                if (colourDistance(new Color(full.getRGB(column, row)), new Color(base.getRGB(column, row))) > 60) {
                    changed++;
                }
            }
        }
        return changed;
    }

    /** Pixels outside every box where the two images differ by more than {@link #SAME} in any channel. */
    private static long differentOutside(BufferedImage full, BufferedImage base, List<Box> boxes) {
        boolean[][] covered = new boolean[full.getHeight()][full.getWidth()];
        for (Box box : boxes) {
            for (int row = box.y(); row < box.y() + box.height(); row++) {
                for (int column = box.x(); column < box.x() + box.width(); column++) {
                    covered[row][column] = true;
                }
            }
        }
        long different = 0;
        for (int row = 0; row < full.getHeight(); row++) {
            for (int column = 0; column < full.getWidth(); column++) {
                if (!covered[row][column]
                        && maxChannelDifference(full.getRGB(column, row), base.getRGB(column, row)) > SAME) {
                    different++;
                }
            }
        }
        return different;
    }

    private record Box(int x, int y, int width, int height) {
        static List<Box> ofReveal(List<RevealLayer> layers) {
            return layers.stream()
                    .map(l -> new Box(l.getX(), l.getY(), l.getWidth(), l.getHeight()))
                    .toList();
        }

        static List<Box> ofCard(List<CardLayer> layers) {
            return layers.stream()
                    .map(l -> new Box(l.x(), l.y(), l.width(), l.height()))
                    .toList();
        }
    }

    private static int maxChannelDifference(int a, int b) {
        int max = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            max = Math.max(max, Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)));
        }
        return max;
    }

    private static Color centre(BufferedImage image, RevealLayer layer) {
        return new Color(image.getRGB(layer.getX() + layer.getWidth() / 2, layer.getY() + layer.getHeight() / 2));
    }

    private static int colourDistance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed())
                + Math.abs(a.getGreen() - b.getGreen())
                + Math.abs(a.getBlue() - b.getBlue());
    }

    private static final Pattern VTT_TIME =
            Pattern.compile("(\\d\\d):(\\d\\d):(\\d\\d)[.,](\\d{3}) --> " + "(\\d\\d):(\\d\\d):(\\d\\d)[.,](\\d{3})");

    /** The cue texts of a WebVTT or SRT file, joined by spaces. */
    private static String cueTexts(String captions) {
        List<String> texts = new ArrayList<>();
        for (String block : captions.replace("\r\n", "\n").split("\n\n")) {
            List<String> lines = List.of(block.strip().split("\n"));
            int timing = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (VTT_TIME.matcher(lines.get(i)).find()) {
                    timing = i;
                }
            }
            if (timing >= 0) {
                texts.add(String.join(" ", lines.subList(timing + 1, lines.size())));
            }
        }
        return normalised(String.join(" ", texts));
    }

    private static List<Double> cueStarts(String captions) {
        return times(captions, 1);
    }

    private static List<Double> cueEnds(String captions) {
        return times(captions, 5);
    }

    private static List<Double> times(String captions, int group) {
        List<Double> times = new ArrayList<>();
        Matcher matcher = VTT_TIME.matcher(captions);
        while (matcher.find()) {
            times.add(Integer.parseInt(matcher.group(group)) * 3600
                    + Integer.parseInt(matcher.group(group + 1)) * 60
                    + Integer.parseInt(matcher.group(group + 2))
                    + Integer.parseInt(matcher.group(group + 3)) / 1000.0);
        }
        return times;
    }

    private static String normalised(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    private static byte[] solidPng(Color colour) {
        BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(colour);
        graphics.fillRect(0, 0, 400, 300);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An object store that keeps what is put in memory, with its content type. */
    private static class RecordingStore implements ObjectStore {
        private record Put(byte[] bytes, String contentType) {}

        private final Map<String, Put> objects = new ConcurrentHashMap<>();

        @Override
        public void ensureBucket(String bucket) {}

        @Override
        public void put(String bucket, String key, Path file, String contentType, Map<String, String> metadata) {
            try {
                objects.put(key, new Put(Files.readAllBytes(file), contentType));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        BufferedImage image(String key) throws IOException {
            Put put = objects.get(key);
            assertThat(put).as(key).isNotNull();
            assertThat(put.contentType()).as(key).isEqualTo("image/png");
            return ImageIO.read(new ByteArrayInputStream(put.bytes()));
        }

        String text(String key, String contentType) {
            Put put = objects.get(key);
            assertThat(put).as(key).isNotNull();
            assertThat(put.contentType()).as(key).isEqualTo(contentType);
            return new String(put.bytes(), StandardCharsets.UTF_8);
        }

        List<String> keys(String jobId) {
            return objects.keySet().stream().filter(key -> key.contains(jobId)).toList();
        }

        @Override
        public void download(String bucket, String key, Path target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void copy(
                String sourceBucket,
                String sourceKey,
                String bucket,
                String key,
                String contentType,
                String contentDisposition,
                Map<String, String> metadata) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredObject> stat(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StoredObject> list(String bucket, String prefix) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream read(String bucket, String key, long offset, Long length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean setExpiration(String bucket, int days) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isReachable() {
            return true;
        }
    }
}
