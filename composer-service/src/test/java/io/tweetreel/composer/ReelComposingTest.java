package io.tweetreel.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.ProgressReporter;
import io.tweetreel.core.StageJob;
import io.tweetreel.schemas.ComposedOutput;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.RenderedFrame;
import io.tweetreel.schemas.RevealLayer;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoComposed;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The composer's work on one record, with the real ffmpeg and a store of files: what it reads and passes on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReelComposingTest {
    static final String BUCKET = "work";

    FolderObjectStore store;
    ReelComposing composing;
    Path full;
    Path base;

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        store = new FolderObjectStore(dir.resolve("store"));
        ReelComposer composer = new ReelComposer(Media.FFMPEG_HOME, Media.tone(dir.resolve("tone.m4a"), 4));
        Soundtracks soundtracks = new Soundtracks(
                BundledMusic.resolveAll(null, dir.resolve("audio")),
                new AudioFetcher(false, composer.binaries().ffmpeg()));
        composing = new ReelComposing(composer, soundtracks, store, BUCKET, dir.resolve("jobs"), Clock.systemUTC());
        Path[] cards = Media.revealCards(dir);
        full = cards[0];
        base = cards[1];
    }

    RenderedFrame.Builder frame(String jobId) {
        store.put(BUCKET, ObjectLayout.cardKey(jobId, ReelFormat.DEFAULT), full, "image/png", Map.of());
        return RenderedFrame.newBuilder()
                .setFormat(ReelFormat.DEFAULT.label())
                .setScreenshotKey(ObjectLayout.cardKey(jobId, ReelFormat.DEFAULT))
                .setWidth(1080)
                .setHeight(1920);
    }

    static List<RevealLayer> layers() {
        List<RevealLayer> layers = new ArrayList<>();
        for (int i = 0; i < Media.REVEAL_LINES.length; i++) {
            int[] box = Media.REVEAL_LINES[i];
            layers.add(RevealLayer.newBuilder()
                    .setKind("line")
                    .setX(box[0])
                    .setY(box[1])
                    .setWidth(box[2])
                    .setHeight(box[3])
                    .setAppearAt(0.6 + 0.4 * i)
                    .build());
        }
        return layers;
    }

    VideoComposed process(String jobId, RenderedFrame frame, boolean zoom) throws Exception {
        ScreenshotReady screenshot = ScreenshotReady.newBuilder()
                .setScreenshotKey(frame.getScreenshotKey())
                .setWidth(1080)
                .setHeight(1920)
                .setDurationSeconds(3)
                .setRenderedAt(Instant.now())
                .setFrames(List.of(frame))
                .setZoom(zoom)
                .build();
        return composing.process(new StageJob<>(jobId, screenshot, ProgressReporter.NONE));
    }

    @Test
    void revealWithZoomIsComposedAndItsCaptionKeysArePassedOn() throws Exception {
        String jobId = UUID.randomUUID().toString();
        String baseKey = ObjectLayout.baseCardKey(jobId, ReelFormat.DEFAULT);
        store.put(BUCKET, baseKey, base, "image/png", Map.of());
        String vtt = ObjectLayout.captionKey(jobId, ReelFormat.DEFAULT, "vtt");
        String srt = ObjectLayout.captionKey(jobId, ReelFormat.DEFAULT, "srt");

        VideoComposed composed = process(
                jobId,
                frame(jobId)
                        .setBaseScreenshotKey(baseKey)
                        .setReveal(layers())
                        .setVttKey(vtt)
                        .setSrtKey(srt)
                        .build(),
                true);

        ComposedOutput output = composed.getOutputs().get(0);
        assertThat(output.getVttKey()).isEqualTo(vtt);
        assertThat(output.getSrtKey()).isEqualTo(srt);
        assertThat(output.getDurationSeconds()).isBetween(2.95, 3.05);
        Path mp4 = store.file(BUCKET, output.getVideoKey());
        // the base card before the first line, the full card (4 % larger) at the end: the lines came in between
        double before = Media.meanLuma(Media.frameAt(mp4, 0.55));
        double after = Media.meanLuma(Media.frameAt(mp4, 2.4));
        assertThat(after).isGreaterThan(before + 10);
    }

    @Test
    void aFrameWithoutRevealComposesAStillAndHasNoCaptionKeysToPassOn() throws Exception {
        String jobId = UUID.randomUUID().toString();

        VideoComposed composed = process(jobId, frame(jobId).build(), false);

        ComposedOutput output = composed.getOutputs().get(0);
        assertThat(output.getVttKey()).isNull();
        assertThat(output.getSrtKey()).isNull();
        Path mp4 = store.file(BUCKET, output.getVideoKey());
        // the full card all along: every line already there as the reel starts
        assertThat(Media.meanLuma(Media.frameAt(mp4, 0.55))).isGreaterThan(Media.meanLuma(Media.frameAt(mp4, 2.4)) - 2);
    }

    @Test
    void aMissingBaseCardFailsTheJobAsTheComposersFailure() {
        String jobId = UUID.randomUUID().toString();
        RenderedFrame frame = frame(jobId)
                .setBaseScreenshotKey(ObjectLayout.baseCardKey(jobId, ReelFormat.DEFAULT))
                .setReveal(layers())
                .build();

        assertThatThrownBy(() -> process(jobId, frame, false))
                .isInstanceOf(JobFailure.class)
                .hasMessageContaining("base card")
                .satisfies(e -> assertThat(((JobFailure) e).code()).isEqualTo(ComposerTopology.FAILURE_CODE));
    }

    @Test
    void layersWithoutABaseCardFailTheJobInsteadOfComposingAStill() {
        String jobId = UUID.randomUUID().toString();
        RenderedFrame frame = frame(jobId).setReveal(layers()).build();

        assertThatThrownBy(() -> process(jobId, frame, false))
                .isInstanceOf(JobFailure.class)
                .satisfies(e -> assertThat(((JobFailure) e).code()).isEqualTo(ComposerTopology.FAILURE_CODE));
    }
}
