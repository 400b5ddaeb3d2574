package io.tweetreel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.Stream;
import io.tweetreel.composer.BundledMusic;
import io.tweetreel.composer.FfmpegBinaries;
import io.tweetreel.composer.ProgressListener;
import io.tweetreel.composer.ReelComposer;
import io.tweetreel.composer.ReelProbe;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures, in one run on one card, the composer against the naive {@code -loop 1 ... -preset medium} command
 * (and {@code -loop 1} with {@code veryfast}, to split the gain between the loop and the preset). Reports
 * numbers to stdout and {@code target/encode-comparison.txt}; asserts only that every variant made a valid reel,
 * since timings depend on the machine.
 */
class EncodeComparisonTest {

    /** One round by default to keep the build quick; {@code -Dencode.comparison.rounds=3} for steadier numbers. */
    private static final int ROUNDS = Integer.getInteger("encode.comparison.rounds", 1);

    private static final int DURATION = 5;

    @Test
    void composerAgainstNaiveLoopOne(@TempDir Path dir) throws Exception {
        Path card = tweetLikeCard(dir.resolve("card.png"));
        Path track = BundledMusic.install(dir);
        Path ffmpegHome =
                Path.of(System.getenv().getOrDefault(FfmpegBinaries.ENV_VAR, FfmpegBinaries.DEFAULT_HOME.toString()));
        ReelComposer composer = new ReelComposer(ffmpegHome, track);
        ReelProbe probe = new ReelProbe(composer.binaries());
        NaiveReelComposer naiveMedium = new NaiveReelComposer(composer.binaries());
        NaiveReelComposer naiveVeryfast = new NaiveReelComposer(composer.binaries(), "veryfast");

        long[] ours = new long[ROUNDS];
        long[] naive = new long[ROUNDS];
        long[] loopOnly = new long[ROUNDS];
        Path oursOut = dir.resolve("ours.mp4");
        Path naiveOut = dir.resolve("naive-medium.mp4");
        Path loopOnlyOut = dir.resolve("naive-veryfast.mp4");
        composer.compose(card, DURATION, oursOut, ProgressListener.NONE); // warm caches, JIT, page cache
        for (int round = 0; round < ROUNDS; round++) {
            // rotate the order so background load hits each variant alike
            List<Runnable> runs = new ArrayList<>();
            final int r = round;
            runs.add(timed(ours, r, () -> composer.compose(card, DURATION, oursOut, ProgressListener.NONE)));
            runs.add(timed(naive, r, () -> naiveMedium.compose(card, track, DURATION, naiveOut)));
            runs.add(timed(loopOnly, r, () -> naiveVeryfast.compose(card, track, DURATION, loopOnlyOut)));
            for (int i = 0; i < runs.size(); i++) {
                runs.get((i + round) % runs.size()).run();
            }
        }

        for (Path out : List.of(oursOut, naiveOut, loopOnlyOut)) {
            FFprobeResult probed = probe.probe(out);
            Stream video = probed.getStreams().stream()
                    .filter(s -> s.getCodecType() == StreamType.VIDEO)
                    .findFirst()
                    .orElseThrow();
            assertThat(video.getWidth()).as(out.toString()).isEqualTo(1080);
            assertThat(video.getHeight()).as(out.toString()).isEqualTo(1920);
            assertThat(video.getRFrameRate().doubleValue()).as(out.toString()).isEqualTo(30.0);
            assertThat(video.getNbFrames()).as(out.toString()).isEqualTo(150);
            assertThat(probed.getFormat().getDuration()).as(out.toString()).isCloseTo(5.0f, within(0.05f));
        }
        double oursMs = median(ours);
        double naiveMs = median(naive);
        double loopOnlyMs = median(loopOnly);
        String report = String.format(
                Locale.ROOT,
                """
                        encode comparison: 5 s reel, 1080x1920 tweet-like card, bundled track, %d cores, median of %d
                          composer (loop filter, veryfast, stillimage): %6.0f ms  %8d bytes
                          naive -loop 1, preset medium:                 %6.0f ms  %8d bytes
                          naive -loop 1, preset veryfast:               %6.0f ms  %8d bytes
                          naive medium / composer time ratio:   %.2fx
                          naive veryfast / composer time ratio: %.2fx
                          all runs (ms): composer %s, naive medium %s, naive veryfast %s
                        """,
                Runtime.getRuntime().availableProcessors(),
                ROUNDS,
                oursMs,
                Files.size(oursOut),
                naiveMs,
                Files.size(naiveOut),
                loopOnlyMs,
                Files.size(loopOnlyOut),
                naiveMs / oursMs,
                loopOnlyMs / oursMs,
                Arrays.toString(ours),
                Arrays.toString(naive),
                Arrays.toString(loopOnly));
        System.out.print(report);
        Files.writeString(Path.of("target", "encode-comparison.txt"), report);
    }

    /** A card that looks like the real thing: dark theme, text lines, avatar; drawn without a browser. */
    private static Path tweetLikeCard(Path file) throws IOException {
        BufferedImage image = new BufferedImage(1080, 1920, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(21, 32, 43));
        g.fillRect(0, 0, 1080, 1920);
        g.setColor(new Color(29, 155, 240));
        g.fillOval(80, 600, 140, 140);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 46));
        g.drawString("Ada Lovelace", 250, 660);
        g.setColor(new Color(139, 152, 165));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
        g.drawString("@ada", 250, 720);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 54));
        String[] lines = {
            "The Analytical Engine weaves",
            "algebraic patterns just as the",
            "Jacquard loom weaves flowers",
            "and leaves. #history @babbage"
        };
        for (int i = 0; i < lines.length; i++) {
            g.drawString(lines[i], 80, 860 + i * 78);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private interface Encode {
        void run() throws Exception;
    }

    private static Runnable timed(long[] millis, int round, Encode encode) {
        return () -> {
            long start = System.nanoTime();
            try {
                encode.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            millis[round] = (System.nanoTime() - start) / 1_000_000;
        };
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
