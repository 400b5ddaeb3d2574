package io.tweetreel.composer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
        Path card = Media.tweetLikeCard(dir.resolve("card.png"));
        Path track = DefaultTrack.install(dir);
        ReelComposer composer = new ReelComposer(Media.FFMPEG_HOME, track);
        NaiveReelComposer naiveMedium = new NaiveReelComposer(composer.binaries());
        NaiveReelComposer naiveVeryfast = new NaiveReelComposer(composer.binaries(), "veryfast");

        long[] ours = new long[ROUNDS];
        long[] naive = new long[ROUNDS];
        long[] loopOnly = new long[ROUNDS];
        Path oursOut = dir.resolve("ours.mp4");
        Path naiveOut = dir.resolve("naive-medium.mp4");
        Path loopOnlyOut = dir.resolve("naive-veryfast.mp4");
        composer.compose(card, DURATION, oursOut, ProgressListener.NONE);  // warm caches, JIT, page cache
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
            Map<String, String> video = Media.probe(out, "v:0");
            assertThat(video).containsEntry("width", "1080").containsEntry("height", "1920")
                    .containsEntry("r_frame_rate", "30/1").containsEntry("nb_read_frames", "150");
            assertThat(Double.parseDouble(Media.probe(out, "format").get("duration"))).isCloseTo(5.0, within(0.05));
        }
        double oursMs = median(ours);
        double naiveMs = median(naive);
        double loopOnlyMs = median(loopOnly);
        String report = String.format(Locale.ROOT, """
                        encode comparison: 5 s reel, 1080x1920 tweet-like card, bundled track, %d cores, median of %d
                          composer (loop filter, veryfast, stillimage): %6.0f ms  %8d bytes
                          naive -loop 1, preset medium:                 %6.0f ms  %8d bytes
                          naive -loop 1, preset veryfast:               %6.0f ms  %8d bytes
                          naive medium / composer time ratio:   %.2fx
                          naive veryfast / composer time ratio: %.2fx
                          all runs (ms): composer %s, naive medium %s, naive veryfast %s
                        """, Runtime.getRuntime().availableProcessors(), ROUNDS,
                oursMs, Files.size(oursOut), naiveMs, Files.size(naiveOut), loopOnlyMs, Files.size(loopOnlyOut),
                naiveMs / oursMs, loopOnlyMs / oursMs,
                Arrays.toString(ours), Arrays.toString(naive), Arrays.toString(loopOnly));
        System.out.print(report);
        Files.writeString(Path.of("target", "encode-comparison.txt"), report);
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
