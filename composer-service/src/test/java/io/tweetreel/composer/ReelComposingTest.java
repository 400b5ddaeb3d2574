package io.tweetreel.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tweetreel.core.JobFailure;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.ProgressReporter;
import io.tweetreel.core.StageJob;
import io.tweetreel.core.StoredObject;
import io.tweetreel.schemas.ComposedOutput;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.RenderedFrame;
import io.tweetreel.schemas.RevealLayer;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoComposed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The composer's work on one record, with the real ffmpeg and a store of files: what it reads and passes on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReelComposingTest {
    static final String BUCKET = "work";

    final FileStore store = new FileStore();
    ReelComposing composing;
    Path full;
    Path base;

    @BeforeAll
    void setUp(@TempDir Path dir) throws IOException {
        ReelComposer composer = new ReelComposer(Media.FFMPEG_HOME, Media.tone(dir.resolve("tone.m4a"), 4));
        Soundtracks soundtracks = new Soundtracks(
                DefaultTrack.resolveAll(null, dir.resolve("audio")),
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

    /** Objects as files in a temporary directory; only what the composer calls. */
    static final class FileStore implements ObjectStore {
        private final Map<String, Path> objects = new ConcurrentHashMap<>();
        private final Path dir;

        FileStore() {
            try {
                dir = Files.createTempDirectory("composing-store-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path file(String bucket, String key) {
            return objects.get(bucket + "/" + key);
        }

        @Override
        public void ensureBucket(String bucket) {}

        @Override
        public void put(String bucket, String key, Path file, String contentType, Map<String, String> metadata) {
            try {
                Path copy = Files.createTempFile(dir, "object-", ".bin");
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                objects.put(bucket + "/" + key, copy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void download(String bucket, String key, Path target) {
            Path object = file(bucket, key);
            if (object == null) {
                throw new ObjectStoreException.ObjectNotFoundException(bucket, key);
            }
            try {
                Files.copy(object, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
