package io.tweetreel.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tweetreel.core.motion.RevealTimeline;
import io.tweetreel.schemas.ReelFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Reveal and push-in, with the real ffmpeg: frames sampled by time and measured. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReelMotionTest {
    static final int SECONDS = 6;
    /** Mean luma of a line's box: the background is about 43, a landed line about 250. */
    static final double DARK = 60;

    static final double BRIGHT = 235;

    ReelComposer composer;
    Path full;
    Path base;
    RevealTimeline timeline;
    List<Motion.Layer> layers;
    Path reveal;
    Path poster;

    @BeforeAll
    void composeARevealReel(@TempDir Path dir) throws Exception {
        composer = new ReelComposer(Media.FFMPEG_HOME, Media.tone(dir.resolve("tone.m4a"), 8));
        Path[] cards = Media.revealCards(dir);
        full = cards[0];
        base = cards[1];
        // the renderer's pacing for four lines of 5, 5, 5 and 3 words in a 6 s reel
        timeline = RevealTimeline.plan(List.of(5, 5, 5, 3), 0, SECONDS);
        layers = new ArrayList<>();
        for (int i = 0; i < Media.REVEAL_LINES.length; i++) {
            int[] box = Media.REVEAL_LINES[i];
            layers.add(new Motion.Layer(
                    box[0], box[1], box[2], box[3], timeline.lineTimes().get(i)));
        }
        reveal = dir.resolve("reveal.mp4");
        poster = dir.resolve("reveal.jpg");
        composer.compose(
                full,
                Motion.reveal(base, layers, false),
                ReelAudio.configured(composer.audioTrack()),
                SECONDS,
                ReelFormat.DEFAULT,
                reveal,
                poster,
                ProgressListener.NONE,
                ReelComposer.StopHook.NONE);
    }

    double lineLuma(BufferedImage frame, int line) {
        int[] box = Media.REVEAL_LINES[line];
        return Media.meanLuma(frame, box[0], box[1], box[2], box[3]);
    }

    @Test
    void linesBrightenOneAfterAnotherInReadingOrderAndNoneBeforeItsTime() throws IOException {
        for (int line = 0; line < layers.size(); line++) {
            double appearAt = layers.get(line).appearAt();
            BufferedImage before = Media.frameAt(reveal, appearAt - 0.05);
            BufferedImage landed = Media.frameAt(reveal, appearAt + RevealTimeline.FADE_SECONDS + 0.05);
            for (int other = 0; other < layers.size(); other++) {
                if (other < line) {
                    assertThat(lineLuma(before, other))
                            .as("line %d before line %d", other, line)
                            .isGreaterThan(BRIGHT);
                } else {
                    assertThat(lineLuma(before, other))
                            .as("line %d before line %d", other, line)
                            .isLessThan(DARK);
                }
            }
            assertThat(lineLuma(landed, line)).as("line %d landed", line).isGreaterThan(BRIGHT);
            if (line + 1 < layers.size()) {
                assertThat(lineLuma(landed, line + 1))
                        .as("line %d after line %d", line + 1, line)
                        .isLessThan(DARK);
            }
        }
    }

    @Test
    void aLayerFadesInWhileItSlidesUpIntoItsBox() throws IOException {
        int[] box = Media.REVEAL_LINES[0];
        double appearAt = layers.get(0).appearAt();
        BufferedImage midway = Media.frameAt(reveal, appearAt + RevealTimeline.FADE_SECONDS / 2);
        BufferedImage landed = Media.frameAt(reveal, appearAt + RevealTimeline.FADE_SECONDS + 0.05);
        double half = lineLuma(midway, 0);
        assertThat(half).isBetween(DARK, BRIGHT);
        // still below its box: the top rows of the box show the background, rows under it already show the layer
        assertThat(topOfBrightRows(midway, box[0] + 100, box[1] - 10, 0.5 * (half + 43)))
                .isBetween(box[1] + 2, box[1] + ReelComposer.SLIDE_PIXELS_AT_1080);
        assertThat(topOfBrightRows(landed, box[0] + 100, box[1] - 10, 150)).isEqualTo(box[1]);
    }

    /** The first row from {@code fromY} down whose pixel in column x is brighter than {@code threshold}. */
    static int topOfBrightRows(BufferedImage frame, int x, int fromY, double threshold) {
        for (int y = fromY; y < frame.getHeight(); y++) {
            if (Media.meanLuma(frame, x, y, 1, 1) > threshold) {
                return y;
            }
        }
        return -1;
    }

    @Test
    void theLastLineHasLandedWhenTheHoldStartsAndTheHeldFrameIsTheFullCard() throws IOException {
        int last = layers.size() - 1;
        BufferedImage holdStarts = Media.frameAt(reveal, timeline.holdStartsAt());
        assertThat(lineLuma(holdStarts, last)).isGreaterThan(BRIGHT);

        BufferedImage held = Media.frameAt(reveal, timeline.holdStartsAt() + 0.2);
        assertThat(Media.meanAbsoluteDifference(held, ImageIO.read(full.toFile())))
                .isLessThan(2.0);
        // and before the first line the frame is the base card, not the full one
        BufferedImage lead = Media.frameAt(reveal, 0.7);
        assertThat(Media.meanAbsoluteDifference(lead, ImageIO.read(base.toFile())))
                .isLessThan(2.0);
    }

    @Test
    void posterIsTheFullCard() throws IOException {
        BufferedImage image = ImageIO.read(poster.toFile());
        assertThat(image.getWidth()).isEqualTo(1080);
        assertThat(image.getHeight()).isEqualTo(1920);
        assertThat(Media.meanAbsoluteDifference(image, ImageIO.read(full.toFile())))
                .isLessThan(3.0);
    }

    @Test
    void revealReelKeepsTheRecipeAndItsExactLength() throws IOException {
        assertThat(Media.probe(reveal, "v:0"))
                .containsEntry("codec_name", "h264")
                .containsEntry("width", "1080")
                .containsEntry("height", "1920")
                .containsEntry("pix_fmt", "yuv420p")
                .containsEntry("r_frame_rate", "30/1")
                .containsEntry("avg_frame_rate", "30/1")
                .containsEntry("nb_read_frames", String.valueOf(SECONDS * 30))
                .containsEntry("color_space", "bt709");
        assertThat(Double.parseDouble(Media.probe(reveal, "format").get("duration")))
                .isCloseTo(SECONDS, within(0.05));
        // faded in from black and out to black, as a still reel
        assertThat(Media.meanLuma(Media.frameAt(reveal, 0))).isLessThan(3.0);
        assertThat(Media.meanLuma(Media.frame(reveal, SECONDS * 30 - 1))).isLessThan(10.0);
    }

    @Nested
    class Zoom {

        @Test
        void pushInGrowsTheCardByFourPercentOverTheReelWithoutBlackBorders(@TempDir Path dir) throws Exception {
            Path card = Media.zoomMarkersCard(dir.resolve("markers.png"));
            Path out = dir.resolve("zoom.mp4");
            composer.compose(
                    card,
                    Motion.still(true),
                    ReelAudio.configured(composer.audioTrack()),
                    SECONDS,
                    ReelFormat.DEFAULT,
                    out,
                    null,
                    ProgressListener.NONE,
                    ReelComposer.StopHook.NONE);

            int lastFrame = SECONDS * 30 - 1;
            int[] sampled = {15, 60, 105, 164}; // between the fades
            double[] distances = new double[sampled.length];
            for (int i = 0; i < sampled.length; i++) {
                BufferedImage frame = Media.frame(out, sampled[i]);
                distances[i] = markerDistance(frame);
                for (int edge = 0; edge < 2; edge++) {
                    int x = edge == 0 ? 0 : frame.getWidth() - 1;
                    int y = edge == 0 ? 0 : frame.getHeight() - 1;
                    assertThat(Media.meanLuma(frame, x, 0, 1, frame.getHeight()))
                            .as("column %d at frame %d", x, sampled[i])
                            .isGreaterThan(90);
                    assertThat(Media.meanLuma(frame, 0, y, frame.getWidth(), 1))
                            .as("row %d at frame %d", y, sampled[i])
                            .isGreaterThan(90);
                }
            }
            // 800 px apart on the card; the zoom is 1 + 4 % x frame / last frame
            for (int i = 0; i < sampled.length; i++) {
                double expected = 800 * (1 + (ReelComposer.ZOOM_END - 1) * sampled[i] / lastFrame);
                assertThat(distances[i]).as("frame %d", sampled[i]).isCloseTo(expected, within(1.5));
            }
            assertThat(distances).isSorted();
            assertThat(distances[sampled.length - 1] / distances[0]).isGreaterThan(1.03);
            assertThat(Media.probe(out, "v:0"))
                    .containsEntry("nb_read_frames", String.valueOf(SECONDS * 30))
                    .containsEntry("r_frame_rate", "30/1");
        }

        /** Horizontal distance between the centroids of the bright pixels left and right of the middle. */
        double markerDistance(BufferedImage frame) {
            double[] sum = new double[2];
            double[] weight = new double[2];
            for (int y = 900; y < 1020; y++) {
                for (int x = 0; x < frame.getWidth(); x++) {
                    int rgb = frame.getRGB(x, y);
                    double above =
                            0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff) - 100;
                    if (above > 20) {
                        int side = x < frame.getWidth() / 2 ? 0 : 1;
                        sum[side] += x * above;
                        weight[side] += above;
                    }
                }
            }
            return sum[1] / weight[1] - sum[0] / weight[0];
        }
    }

    @Nested
    class Geometry {

        @Test
        void layersOfACardOfTheFramesSizeKeepTheirBoxesWidenedToEvenEdges() throws ComposeException {
            List<ReelComposer.FrameLayer> mapped =
                    ReelComposer.frameLayers(List.of(new Motion.Layer(81, 821, 899, 55, 1.5)), 1080, 1920, 1080, 1920);
            assertThat(mapped).containsExactly(new ReelComposer.FrameLayer(80, 820, 900, 56, 1.5));
        }

        @Test
        void layersOfAHalfSizeCardAreScaledAndOfASquareCardPlacedInItsPadding() throws ComposeException {
            assertThat(ReelComposer.frameLayers(List.of(new Motion.Layer(40, 410, 450, 28, 2)), 540, 960, 1080, 1920))
                    .containsExactly(new ReelComposer.FrameLayer(80, 820, 900, 56, 2));
            // a 1080x1080 card in a 1080x1920 frame sits 420 px down
            assertThat(ReelComposer.frameLayers(List.of(new Motion.Layer(80, 100, 900, 56, 2)), 1080, 1080, 1080, 1920))
                    .containsExactly(new ReelComposer.FrameLayer(80, 520, 900, 56, 2));
        }

        @Test
        void aLayerOutsideTheCardFailsAsBadInput() {
            assertThatThrownBy(() -> ReelComposer.frameLayers(
                            List.of(new Motion.Layer(2000, 100, 50, 50, 1)), 1080, 1920, 1080, 1920))
                    .isInstanceOf(ComposeException.class)
                    .hasMessageContaining("outside");
        }

        @Test
        void aRevealNeedsItsBaseAndItsLayers() {
            assertThatThrownBy(() -> Motion.reveal(Path.of("base.png"), List.of(), false))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Motion(null, List.of(new Motion.Layer(0, 0, 1, 1, 0)), false))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void onlyAZoomAddsTheResamplingAndOnlyARevealTheOverlays() {
            ReelAudio track = ReelAudio.configured(Path.of("track.m4a"));
            assertThat(ReelComposer.filterGraph(5, 1080, 1920, true, track, List.of(), false))
                    .doesNotContain("overlay", "perspective");
            assertThat(ReelComposer.filterGraph(5, 1080, 1920, true, track, List.of(), true))
                    .contains("perspective")
                    .doesNotContain("overlay");
            List<ReelComposer.FrameLayer> two = List.of(
                    new ReelComposer.FrameLayer(80, 820, 900, 56, 1), new ReelComposer.FrameLayer(80, 900, 900, 56, 2));
            String reveal = ReelComposer.filterGraph(5, 1080, 1920, true, track, two, false);
            assertThat(reveal).doesNotContain("perspective").contains("[2:v:0]");
            // each layer cropped once, before its loop, and overlaid only from its time on
            assertThat(reveal.split("crop=", -1)).hasSize(3);
            assertThat(reveal.indexOf("crop=w=900:h=56:x=80:y=820"))
                    .isLessThan(reveal.indexOf("loop=", reveal.indexOf("crop=")));
            assertThat(reveal).contains("enable=gte(t\\,1.000)", "enable=gte(t\\,2.000)");
        }
    }
}
