package io.tweetreel.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.tweetreel.core.CancelSignal;
import io.tweetreel.schemas.ReelFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReelComposerTest {

    ReelComposer composer;
    Path card;
    Path longTone;
    Path reel;
    ComposedReel composed;
    final List<Double> progress = Collections.synchronizedList(new ArrayList<>());
    final List<Long> progressNanos = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void composeFiveSecondReel(@TempDir Path dir) throws Exception {
        card = Media.card(dir.resolve("card.png"), 1080, 1920);
        longTone = Media.tone(dir.resolve("tone-8s.m4a"), 8);
        composer = new ReelComposer(Media.FFMPEG_HOME, longTone);
        reel = dir.resolve("reel.mp4");
        composed = composer.compose(card, 5, reel, fraction -> {
            progressNanos.add(System.nanoTime());
            progress.add(fraction);
        });
    }

    @Test
    void fiveSecondReelIsVerticalHdH264AndAacAtThirtyFps() {
        Map<String, String> video = Media.probe(reel, "v:0");
        assertThat(video)
                .containsEntry("codec_name", "h264")
                .containsEntry("width", "1080")
                .containsEntry("height", "1920")
                .containsEntry("pix_fmt", "yuv420p")
                .containsEntry("r_frame_rate", "30/1")
                .containsEntry("avg_frame_rate", "30/1")
                .containsEntry("nb_read_frames", "150")
                .containsEntry("color_space", "bt709");
        Map<String, String> audio = Media.probe(reel, "a:0");
        assertThat(audio)
                .containsEntry("codec_name", "aac")
                .containsEntry("sample_rate", "48000")
                .containsEntry("channels", "2");
        assertThat(Integer.parseInt(audio.get("bit_rate"))).isBetween(100_000, 140_000);
        double duration = Double.parseDouble(Media.probe(reel, "format").get("duration"));
        assertThat(duration).isCloseTo(5.0, within(0.05));
        assertThat(Double.parseDouble(audio.get("duration"))).isCloseTo(5.0, within(0.05));
    }

    @Test
    void resultCarriesWhatFfprobeMeasures() throws IOException {
        assertThat(composed.durationSeconds())
                .isCloseTo(Double.parseDouble(Media.probe(reel, "format").get("duration")), within(0.001))
                .isCloseTo(5.0, within(0.05));
        assertThat(composed.sizeBytes()).isEqualTo(Files.size(reel)).isPositive();
        assertThat(composed.width()).isEqualTo(1080);
        assertThat(composed.height()).isEqualTo(1920);
        assertThat(composed.resolution()).isEqualTo("1080x1920");
    }

    @Test
    void moovComesBeforeMdatSoPlaybackStartsWhileDownloading() throws IOException {
        List<String> boxes = Media.topLevelBoxes(reel);
        assertThat(boxes).contains("ftyp", "moov", "mdat");
        assertThat(boxes.indexOf("moov")).isLessThan(boxes.indexOf("mdat"));
    }

    @Test
    void pictureFadesInFromBlackShowsTheCardAndFadesOutToBlack() throws IOException {
        BufferedImage expected = ImageIO.read(card.toFile());
        BufferedImage first = Media.frame(reel, 0);
        BufferedImage middle = Media.frame(reel, 75);
        BufferedImage last = Media.frame(reel, 149);

        assertThat(Media.meanLuma(first)).isLessThan(3.0);
        assertThat(Media.meanAbsoluteDifference(middle, expected)).isLessThan(3.0);
        assertThat(Media.meanLuma(last)).isLessThan(0.1 * Media.meanLuma(expected));

        // half-way through the fades the picture is half as bright
        double full = Media.meanLuma(middle);
        assertThat(Media.meanLuma(Media.frame(reel, 7))).isBetween(0.3 * full, 0.7 * full);
        assertThat(Media.meanLuma(Media.frame(reel, 15))).isCloseTo(full, within(0.05 * full));
        assertThat(Media.meanLuma(Media.frame(reel, 142))).isBetween(0.3 * full, 0.7 * full);
    }

    @Test
    void soundRisesOverTheFirstHalfSecondAndFallsOverTheLast() {
        double[] samples = Media.monoSamples(reel);
        double steady = Media.rms(samples, 1.0, 4.0);
        assertThat(steady).isGreaterThan(0.01);

        double[] rising = new double[5];
        double[] falling = new double[5];
        for (int i = 0; i < 5; i++) {
            rising[i] = Media.rms(samples, i * 0.1, (i + 1) * 0.1);
            falling[i] = Media.rms(samples, 4.5 + i * 0.1, 4.5 + (i + 1) * 0.1);
        }
        assertThat(rising).isSorted();
        assertThat(rising[0]).isLessThan(0.25 * steady);
        assertThat(rising[4]).isGreaterThan(0.75 * steady);
        for (int i = 1; i < 5; i++) {
            assertThat(falling[i]).isLessThan(falling[i - 1]);
        }
        assertThat(falling[0]).isGreaterThan(0.75 * steady);
        assertThat(falling[4]).isLessThan(0.25 * steady);
        assertThat(Media.rms(samples, 0.6, 4.4)).isCloseTo(steady, within(0.05 * steady));
    }

    @Test
    void progressRisesAtMostFourTimesASecondAndEndsAtOne() {
        List<Double> values = List.copyOf(progress);
        List<Long> times = List.copyOf(progressNanos);
        System.out.println("progress of the 5 s reel: " + values);
        assertThat(values)
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
        for (int i = 1; i < values.size(); i++) {
            assertThat(values.get(i)).isGreaterThan(values.get(i - 1));
        }
        assertThat(values.get(values.size() - 1)).isEqualTo(1.0);
        for (int i = 1; i < times.size() - 1; i++) {
            assertThat(times.get(i) - times.get(i - 1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(245));
        }
    }

    @Test
    void filterGraphLoopsTheDecodedStillInsteadOfReDecodingIt() {
        String graph = ReelComposer.filterGraph(5);
        assertThat(graph)
                .contains(
                        "loop=loop=-1:size=1:start=0",
                        "fps=30",
                        "trim=duration=5",
                        "fade=t=in:st=0:d=0.500",
                        "fade=t=out:st=4.500:d=0.500",
                        "afade=t=in:st=0:d=0.500",
                        "afade=t=out:st=4.500:d=0.500");
        // the still is scaled and converted before the loop, so only once
        assertThat(graph.indexOf("format=yuv420p")).isLessThan(graph.indexOf("loop="));
    }

    @Nested
    class Durations {

        @Test
        void tenSecondReelWithTheBundledTrackIsCutToTen(@TempDir Path work) throws Exception {
            Path track = BundledMusic.install(work.resolve("audio"));
            Path out = work.resolve("ten.mp4");

            ComposedReel ten = composer.compose(card, track, 10, out, ProgressListener.NONE);

            assertThat(ten.durationSeconds()).isCloseTo(10.0, within(0.05));
            assertThat(Media.probe(out, "v:0"))
                    .containsEntry("nb_read_frames", "300")
                    .containsEntry("r_frame_rate", "30/1");
            assertThat(Double.parseDouble(Media.probe(out, "a:0").get("duration")))
                    .isCloseTo(10.0, within(0.05));
        }

        @Test
        void audioShorterThanTheReelLoopsToTheEnd(@TempDir Path work) throws Exception {
            Path twoSeconds = Media.tone(work.resolve("tone-2s.m4a"), 2);
            Path out = work.resolve("looped.mp4");

            ComposedReel looped = composer.compose(card, twoSeconds, 5, out, null);

            assertThat(looped.durationSeconds()).isCloseTo(5.0, within(0.05));
            assertThat(Double.parseDouble(Media.probe(out, "a:0").get("duration")))
                    .isCloseTo(5.0, within(0.05));
            double[] samples = Media.monoSamples(out);
            assertThat(samples.length / (double) Media.SAMPLE_RATE).isCloseTo(5.0, within(0.05));
            double steady = Media.rms(samples, 0.6, 1.8);
            for (double t = 0.5; t < 4.5; t += 0.25) {
                assertThat(Media.rms(samples, t, t + 0.25))
                        .as("sound at %.2f s", t)
                        .isGreaterThan(0.7 * steady);
            }
        }
    }

    @Nested
    class CardsOfOtherSizes {

        @Test
        void halfSizeCardIsScaledUpToFill(@TempDir Path work) throws Exception {
            Path small = Media.card(work.resolve("small.png"), 540, 960);
            Path out = work.resolve("small.mp4");

            ComposedReel result = composer.compose(small, 3, out, ProgressListener.NONE);

            assertThat(result.resolution()).isEqualTo("1080x1920");
            BufferedImage middle = Media.frame(out, 45);
            assertThat(Media.meanAbsoluteDifference(middle, ImageIO.read(card.toFile())))
                    .isLessThan(6.0);
        }

        @Test
        void squareCardIsFittedAndPaddedWithBlack(@TempDir Path work) throws Exception {
            Path square = Media.card(work.resolve("square.png"), 800, 800);
            Path out = work.resolve("square.mp4");

            ComposedReel result = composer.compose(square, 3, out, ProgressListener.NONE);

            assertThat(result.resolution()).isEqualTo("1080x1920");
            BufferedImage middle = Media.frame(out, 45);
            // 1080x1080 picture in the middle, 420 px bars above and below
            assertThat(Media.meanLuma(middle.getSubimage(0, 0, 1080, 400))).isLessThan(3.0);
            assertThat(Media.meanLuma(middle.getSubimage(0, 1520, 1080, 400))).isLessThan(3.0);
            assertThat(Media.meanLuma(middle.getSubimage(0, 440, 1080, 100))).isGreaterThan(100.0);
        }
    }

    /** A 4-format job's reels and posters, composed after a 1-format job's in the same run. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class EveryFormatWithItsPoster {
        final Map<ReelFormat, Path> cards = new EnumMap<>(ReelFormat.class);
        final Map<ReelFormat, Path> reels = new EnumMap<>(ReelFormat.class);
        final Map<ReelFormat, Path> posters = new EnumMap<>(ReelFormat.class);
        final Map<ReelFormat, ComposedReel> results = new EnumMap<>(ReelFormat.class);

        @BeforeAll
        void composeOneFormatThenAllFour(@TempDir Path work) throws Exception {
            for (ReelFormat format : ReelFormat.values()) {
                cards.put(
                        format,
                        Media.card(work.resolve("card-" + format.slug() + ".png"), format.width(), format.height()));
            }
            long oneStarted = System.nanoTime();
            composer.compose(
                    cards.get(ReelFormat.DEFAULT),
                    5,
                    ReelFormat.DEFAULT,
                    work.resolve("alone.mp4"),
                    work.resolve("alone.jpg"),
                    ProgressListener.NONE,
                    ReelComposer.StopHook.NONE);
            long oneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oneStarted);
            long allStarted = System.nanoTime();
            for (ReelFormat format : ReelFormat.values()) {
                reels.put(format, work.resolve("reel-" + format.slug() + ".mp4"));
                posters.put(format, work.resolve("poster-" + format.slug() + ".jpg"));
                results.put(
                        format,
                        composer.compose(
                                cards.get(format),
                                5,
                                format,
                                reels.get(format),
                                posters.get(format),
                                ProgressListener.NONE,
                                ReelComposer.StopHook.NONE));
            }
            long allMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - allStarted);
            System.out.printf(
                    "compose of 5 s reels with posters: 1 format %d ms, 4 formats %d ms (%.2fx)%n",
                    oneMillis, allMillis, (double) allMillis / oneMillis);
            for (ReelFormat format : ReelFormat.values()) {
                System.out.printf(
                        "  %s: MP4 %d bytes, poster %d bytes%n",
                        format.label(), Files.size(reels.get(format)), Files.size(posters.get(format)));
            }
        }

        @ParameterizedTest
        @EnumSource(ReelFormat.class)
        void reelHasItsFormatsSizeAndTheSameRecipe(ReelFormat format) throws IOException {
            Path reel = reels.get(format);
            assertThat(results.get(format).resolution()).isEqualTo(format.resolution());
            assertThat(Media.probe(reel, "v:0"))
                    .containsEntry("codec_name", "h264")
                    .containsEntry("width", String.valueOf(format.width()))
                    .containsEntry("height", String.valueOf(format.height()))
                    .containsEntry("pix_fmt", "yuv420p")
                    .containsEntry("r_frame_rate", "30/1")
                    .containsEntry("avg_frame_rate", "30/1")
                    .containsEntry("nb_read_frames", "150")
                    .containsEntry("color_space", "bt709");
            assertThat(Media.probe(reel, "a:0")).containsEntry("codec_name", "aac");
            assertThat(Double.parseDouble(Media.probe(reel, "format").get("duration")))
                    .isCloseTo(5.0, within(0.05));
            List<String> boxes = Media.topLevelBoxes(reel);
            assertThat(boxes.indexOf("moov")).isLessThan(boxes.indexOf("mdat"));

            BufferedImage expected = ImageIO.read(cards.get(format).toFile());
            assertThat(Media.meanLuma(Media.frame(reel, 0))).isLessThan(3.0);
            assertThat(Media.meanAbsoluteDifference(Media.frame(reel, 75), expected))
                    .isLessThan(3.0);
        }

        @ParameterizedTest
        @EnumSource(ReelFormat.class)
        void posterIsTheCardAsAJpegAtTheVideosSizeNotTheBlackFirstFrame(ReelFormat format) throws IOException {
            Path poster = posters.get(format);
            try (var in = Files.newInputStream(poster)) {
                byte[] magic = in.readNBytes(3);
                assertThat(magic).containsExactly(0xFF, 0xD8, 0xFF); // a JPEG, whatever the file is called
            }
            BufferedImage image = ImageIO.read(poster.toFile());
            BufferedImage card = ImageIO.read(cards.get(format).toFile());
            assertThat(image.getWidth()).isEqualTo(format.width());
            assertThat(image.getHeight()).isEqualTo(format.height());

            int x = format.width() / 2;
            int y = format.height() / 2;
            int expected = card.getRGB(x, y);
            int actual = image.getRGB(x, y);
            assertThat(actual >> 16 & 0xff).isCloseTo(expected >> 16 & 0xff, within(8));
            assertThat(actual >> 8 & 0xff).isCloseTo(expected >> 8 & 0xff, within(8));
            assertThat(actual & 0xff).isCloseTo(expected & 0xff, within(8));
            assertThat(Media.meanLuma(image)).isGreaterThan(100.0);
            assertThat(Media.meanAbsoluteDifference(image, card)).isLessThan(3.0);
        }

        @Test
        void cancelMidEncodeLeavesNeitherTheReelNorThePoster(@TempDir Path work) throws Exception {
            Path out = work.resolve("canceled.mp4");
            Path poster = work.resolve("canceled.jpg");
            CancelSignal cancel = new CancelSignal();
            AtomicReference<Double> reached = new AtomicReference<>(0.0);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread worker = new Thread(() -> {
                try {
                    composer.compose(
                            cards.get(ReelFormat.LANDSCAPE),
                            30,
                            ReelFormat.LANDSCAPE,
                            out,
                            poster,
                            reached::set,
                            stopEncode -> cancel.onCancel(stopEncode)::close);
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            worker.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> reached.get() >= 0.1);

            long canceledAt = System.nanoTime();
            cancel.cancel();
            Throwable failure = outcome.get(5, TimeUnit.SECONDS);

            assertThat(failure).isInstanceOf(ReelComposer.StoppedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - canceledAt)).isLessThan(Duration.ofSeconds(1));
            assertThat(out).doesNotExist();
            assertThat(poster).doesNotExist();
            worker.join(10_000);
        }
    }

    @Nested
    class Failures {

        @Test
        void corruptPngFailsWithFfmpegsOwnReasonAndTheNextJobStillSucceeds(@TempDir Path work) throws Exception {
            byte[] png = Files.readAllBytes(card);
            Path corrupt = work.resolve("corrupt.png");
            byte[] broken = new byte[png.length];
            System.arraycopy(png, 0, broken, 0, 16); // keep the PNG signature, scramble the rest
            for (int i = 16; i < broken.length; i++) {
                broken[i] = (byte) (i * 31 + 7);
            }
            Files.write(corrupt, broken);
            Path out = work.resolve("corrupt.mp4");

            assertThatThrownBy(() -> composer.compose(corrupt, 5, out, ProgressListener.NONE))
                    .isInstanceOf(ComposeException.class)
                    .hasMessageStartingWith("Video composition failed: ")
                    .hasMessageContaining("Invalid data found when processing input")
                    .hasMessageNotContaining("@ 0x")
                    .satisfies(e -> System.out.println("corrupt PNG -> " + e.getMessage()));
            assertThat(out).doesNotExist();

            Path good = work.resolve("good.mp4");
            assertThat(composer.compose(card, 3, good, ProgressListener.NONE).durationSeconds())
                    .isCloseTo(3.0, within(0.05));
        }

        @Test
        void garbageAndEmptyFilesAreRejectedAsBadInput(@TempDir Path work) throws Exception {
            Path empty = Files.write(work.resolve("empty.png"), new byte[0]);
            Path text = Files.writeString(work.resolve("text.png"), "<html>not an image</html>");
            for (Path bad : List.of(empty, text)) {
                assertThatThrownBy(() -> composer.compose(bad, 3, work.resolve("out.mp4"), ProgressListener.NONE))
                        .as(bad.getFileName().toString())
                        .isInstanceOf(ComposeException.class)
                        .hasMessageStartingWith("Video composition failed: ")
                        .hasMessageContaining("Invalid data found when processing input");
            }
        }

        @Test
        void missingCardIsAnIoProblemNotBadInput(@TempDir Path work) {
            assertThatThrownBy(() -> composer.compose(work.resolve("nope.png"), 5, work.resolve("o.mp4"), null))
                    .isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("nope.png");
            assertThatThrownBy(() -> composer.compose(card, 5, work.resolve("no-dir/o.mp4"), null))
                    .isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("no-dir");
        }

        @Test
        void durationOutsideTheSupportedRangeIsRefused(@TempDir Path work) {
            assertThatThrownBy(() -> composer.compose(card, 0, work.resolve("o.mp4"), null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> composer.compose(card, 601, work.resolve("o.mp4"), null))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void interruptStopsFfmpegAndRemovesThePartialFile(@TempDir Path work) throws Exception {
            Path out = work.resolve("interrupted.mp4");
            AtomicReference<Thread> worker = new AtomicReference<>();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    composer.compose(card, 120, out, fraction -> worker.get().interrupt());
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            worker.set(thread);
            thread.start();

            assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
            thread.join(10_000);
            assertThat(out).doesNotExist();
        }

        @Test
        void cancelMidEncodeOfAThirtySecondReelEndsWithinASecondAndLeavesNoFfmpeg(@TempDir Path work) throws Exception {
            Path out = work.resolve("canceled.mp4");
            CancelSignal cancel = new CancelSignal();
            AtomicReference<Double> reached = new AtomicReference<>(0.0);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread worker = new Thread(() -> {
                try {
                    // wired as ReelComposing wires a job's cancel
                    composer.compose(card, 30, out, reached::set, stopEncode -> cancel.onCancel(stopEncode)::close);
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            worker.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> reached.get() >= 0.1);
            assertThat(ffmpegProcesses()).isNotEmpty();

            long canceledAt = System.nanoTime();
            cancel.cancel(); // on the thread that reads the cancel, as in a stage
            Throwable failure = outcome.get(5, TimeUnit.SECONDS);
            Duration stopping = Duration.ofNanos(System.nanoTime() - canceledAt);

            assertThat(failure).isInstanceOf(ReelComposer.StoppedException.class);
            assertThat(stopping).isLessThan(Duration.ofSeconds(1));
            assertThat(reached.get()).isLessThan(0.99);
            assertThat(ffmpegProcesses()).isEmpty();
            assertThat(out).doesNotExist();
            worker.join(10_000);
        }

        private static List<ProcessHandle> ffmpegProcesses() {
            return ProcessHandle.current()
                    .descendants()
                    .filter(ProcessHandle::isAlive)
                    .filter(p ->
                            p.info().command().map(c -> c.endsWith("ffmpeg")).orElse(false))
                    .toList();
        }

        @Test
        void listenerThatThrowsDoesNotBreakTheEncode(@TempDir Path work) throws Exception {
            ComposedReel result = composer.compose(card, 3, work.resolve("o.mp4"), fraction -> {
                throw new IllegalStateException("listener bug");
            });
            assertThat(result.durationSeconds()).isCloseTo(3.0, within(0.05));
        }
    }

    @Nested
    class StartUpChecks {

        @Test
        void missingFfmpegNamesThePathAndTheVariable(@TempDir Path work) {
            Path nowhere = work.resolve("no-ffmpeg-here");
            assertThatThrownBy(() -> new ReelComposer(nowhere, longTone))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(nowhere.resolve("ffmpeg").toString())
                    .hasMessageContaining("FFMPEG_PATH");
        }

        @Test
        void nonExecutableFfmpegIsRefused(@TempDir Path work) throws IOException {
            Files.writeString(work.resolve("ffmpeg"), "not a program");
            Files.writeString(work.resolve("ffprobe"), "not a program");
            assertThatThrownBy(() -> new ReelComposer(work, longTone))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(work.resolve("ffmpeg").toString())
                    .hasMessageContaining("FFMPEG_PATH");
        }

        @Test
        void ffprobeMissingNextToFfmpegIsRefused(@TempDir Path work) throws IOException {
            Files.createSymbolicLink(work.resolve("ffmpeg"), Media.FFMPEG_HOME.resolve("ffmpeg"));
            assertThatThrownBy(() -> new ReelComposer(work, longTone))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(work.resolve("ffprobe").toString())
                    .hasMessageContaining("FFMPEG_PATH");
        }

        @Test
        void pathOfTheFfmpegExecutableItselfIsAccepted() {
            ReelComposer fromExecutable = new ReelComposer(Media.FFMPEG_HOME.resolve("ffmpeg"), longTone);
            assertThat(fromExecutable.binaries().ffprobe()).isEqualTo(Media.FFMPEG_HOME.resolve("ffprobe"));
        }

        @Test
        void missingAudioNamesThePathAndTheVariable(@TempDir Path work) {
            Path missing = work.resolve("music.mp3");
            assertThatThrownBy(() -> new ReelComposer(Media.FFMPEG_HOME, missing))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(missing.toString())
                    .hasMessageContaining("AUDIO_PATH");
        }

        @Test
        void audioFileWithoutSoundIsRefused(@TempDir Path work) throws IOException {
            Path notAudio = Files.writeString(work.resolve("music.m4a"), "this is text");
            assertThatThrownBy(() -> new ReelComposer(Media.FFMPEG_HOME, notAudio))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(notAudio.toString())
                    .hasMessageContaining("AUDIO_PATH");
            assertThatThrownBy(() -> new ReelComposer(Media.FFMPEG_HOME, card))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no audio stream")
                    .hasMessageContaining("AUDIO_PATH");
        }
    }
}
