package io.tweetreel.composer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.core.testing.PipelineProbe;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.ComposedOutput;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.RenderedFrame;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoComposed;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The composer stage on the real stack: Kafka, registry, S3 and FFmpeg. */
@ExtendWith(DevStackExtension.class)
class ComposerServiceTest {
    static ComposerService service;
    static PipelineProbe probe;
    static MinioObjectStore store;
    static ObjectStoreConfig objects;
    static Path stateDir;

    @BeforeAll
    static void start(StackEndpoints stack, @TempDir Path state) {
        stateDir = state;
        Map<String, String> env = new HashMap<>(stack.asEnvironment());
        env.put("OPS_PORT", "0");
        env.put("STATE_DIR", state.toString());
        env.put("MAX_CONCURRENT_JOBS", "1");
        service = new ComposerService(ComposerConfig.read(EnvConfig.of(env))).start();
        objects = ObjectStoreConfig.read(EnvConfig.of(env));
        store = new MinioObjectStore(objects);
        store.ensureBucket(objects.workBucket());
        probe = new PipelineProbe(stack.bootstrapServers(), stack.registryUrl());
        probe.watch(probe.topics().composed()).watch(probe.topics().status());
    }

    @AfterAll
    static void stop() throws Exception {
        probe.close();
        service.close();
    }

    static String stageCard(Path png) {
        String jobId = UUID.randomUUID().toString();
        store.put(objects.workBucket(), ObjectLayout.cardKey(jobId), png, "image/png", Map.of());
        return jobId;
    }

    static ScreenshotReady screenshot(String jobId, int seconds) {
        return ScreenshotReady.newBuilder()
                .setScreenshotKey(ObjectLayout.cardKey(jobId))
                .setWidth(1080)
                .setHeight(1920)
                .setDurationSeconds(seconds)
                .setRenderedAt(Instant.now())
                .build();
    }

    @Test
    void screenshotBecomesAnMp4InS3WithProgressAlongTheWay(@TempDir Path dir) throws Exception {
        String jobId = stageCard(Media.tweetLikeCard(dir.resolve("card.png")));
        probe.publish(probe.topics().screenshot(), jobId, screenshot(jobId, 5));

        VideoComposed composed = probe.awaitFirst(probe.topics().composed(), jobId, Duration.ofSeconds(120));
        assertThat(composed.getVideoKey()).isEqualTo(ObjectLayout.videoKey(jobId));
        assertThat(composed.getDurationSeconds()).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.05));
        // a v1 screenshot (no frames) is one 9:16 card: one output, with its poster
        assertThat(composed.getOutputs()).singleElement().satisfies(output -> {
            assertThat(output.getFormat()).isEqualTo("9:16");
            assertThat(output.getVideoKey()).isEqualTo(composed.getVideoKey());
            assertThat(store.stat(objects.workBucket(), output.getPosterKey())).isPresent();
        });
        assertThat(composed.getWidth()).isEqualTo(1080);
        assertThat(composed.getHeight()).isEqualTo(1920);

        Path mp4 = dir.resolve("video.mp4");
        store.download(objects.workBucket(), composed.getVideoKey(), mp4);
        assertThat(Files.size(mp4)).isEqualTo(composed.getFileSize());
        Map<String, String> video = Media.probe(mp4, "v:0");
        assertThat(video)
                .containsEntry("codec_name", "h264")
                .containsEntry("width", "1080")
                .containsEntry("height", "1920");

        List<JobStatus> statuses = probe.seen(probe.topics().status(), jobId);
        assertThat(statuses).isNotEmpty().allSatisfy(s -> {
            assertThat(s.getStatus()).isEqualTo(JobState.processing);
            assertThat(s.getCurrentStep()).isEqualTo(JobStep.composing_video);
            assertThat(s.getProgress()).isBetween(60, 79);
        });
        assertThat(statuses.get(0).getProgress()).isEqualTo(60);
        assertThat(statuses).as("progress while encoding").anyMatch(s -> s.getProgress() > 60);
        assertThat(statuses).extracting(JobStatus::getProgress).isSorted();
        assertThat(stateDir.resolve("work").toFile().list()).isEmpty();
    }

    @Test
    void everyFrameBecomesAReelAndAPosterAtItsOwnSizeInTheJobsOrder(@TempDir Path dir) throws Exception {
        String jobId = UUID.randomUUID().toString();
        List<ReelFormat> order = List.of(ReelFormat.PORTRAIT, ReelFormat.SQUARE, ReelFormat.FEED, ReelFormat.LANDSCAPE);
        List<RenderedFrame> frames = new ArrayList<>();
        for (ReelFormat format : order) {
            Path png = Media.card(dir.resolve(format.slug() + ".png"), format.width(), format.height());
            store.put(objects.workBucket(), ObjectLayout.cardKey(jobId, format), png, "image/png", Map.of());
            frames.add(RenderedFrame.newBuilder()
                    .setFormat(format.label())
                    .setScreenshotKey(ObjectLayout.cardKey(jobId, format))
                    .setWidth(format.width())
                    .setHeight(format.height())
                    .build());
        }
        probe.publish(
                probe.topics().screenshot(),
                jobId,
                ScreenshotReady.newBuilder(screenshot(jobId, 3))
                        .setFrames(frames)
                        .build());

        VideoComposed composed = probe.awaitFirst(probe.topics().composed(), jobId, Duration.ofSeconds(180));
        assertThat(composed.getOutputs())
                .extracting(ComposedOutput::getFormat)
                .containsExactly("9:16", "1:1", "4:5", "16:9");
        ComposedOutput first = composed.getOutputs().get(0);
        assertThat(composed.getVideoKey()).isEqualTo(first.getVideoKey()).isEqualTo(ObjectLayout.videoKey(jobId));
        assertThat(composed.getFileSize()).isEqualTo(first.getFileSize());
        assertThat(composed.getWidth()).isEqualTo(1080);
        assertThat(composed.getHeight()).isEqualTo(1920);
        for (int i = 0; i < order.size(); i++) {
            ReelFormat format = order.get(i);
            ComposedOutput output = composed.getOutputs().get(i);
            assertThat(output.getVideoKey()).isEqualTo(ObjectLayout.videoKey(jobId, format));
            assertThat(output.getPosterKey()).isEqualTo(ObjectLayout.posterKey(jobId, format));
            assertThat(output.getWidth()).isEqualTo(format.width());
            assertThat(output.getHeight()).isEqualTo(format.height());
            assertThat(output.getDurationSeconds()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.05));

            Path mp4 = dir.resolve("video-" + format.slug() + ".mp4");
            store.download(objects.workBucket(), output.getVideoKey(), mp4);
            assertThat(Files.size(mp4)).isEqualTo(output.getFileSize());
            assertThat(Media.probe(mp4, "v:0"))
                    .containsEntry("width", String.valueOf(format.width()))
                    .containsEntry("height", String.valueOf(format.height()));
            Path jpg = dir.resolve("poster-" + format.slug() + ".jpg");
            store.download(objects.workBucket(), output.getPosterKey(), jpg);
            assertThat(store.stat(objects.workBucket(), output.getPosterKey())
                            .orElseThrow()
                            .contentType())
                    .isEqualTo("image/jpeg");
            BufferedImage poster = ImageIO.read(jpg.toFile());
            assertThat(poster.getWidth()).isEqualTo(format.width());
            assertThat(poster.getHeight()).isEqualTo(format.height());
        }

        List<JobStatus> statuses = probe.seen(probe.topics().status(), jobId);
        assertThat(statuses)
                .extracting(JobStatus::getProgress)
                .isSorted()
                .allSatisfy(p -> assertThat(p).isBetween(60, 79));
        // the progress goes on rising through the later formats instead of stopping after the first
        assertThat(statuses.get(statuses.size() - 1).getProgress()).isGreaterThanOrEqualTo(70);
        assertThat(stateDir.resolve("work").toFile().list()).isEmpty();
    }

    @Test
    void corruptCardFailsWithFfmpegsReasonAndTheNextJobStillSucceeds(@TempDir Path dir) throws Exception {
        Path corrupt = Files.write(
                dir.resolve("corrupt.png"),
                new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5, 6, 7, 8});
        String bad = stageCard(corrupt);
        String good = stageCard(Media.card(dir.resolve("ok.png"), 1080, 1920));
        probe.publish(probe.topics().screenshot(), bad, screenshot(bad, 3));
        probe.publish(probe.topics().screenshot(), good, screenshot(good, 3));

        List<JobStatus> statuses = probe.awaitFinalStatus(bad, Duration.ofSeconds(120));
        JobStatus failed = statuses.get(statuses.size() - 1);
        assertThat(failed.getStatus()).isEqualTo(JobState.failed);
        assertThat(failed.getError().getCode()).isEqualTo("COMPOSE_FAILED");
        assertThat(failed.getError().getMessage()).startsWith("Video composition failed:");
        assertThat(probe.awaitFirst(probe.topics().composed(), good, Duration.ofSeconds(120)))
                .isNotNull();
        assertThat(stateDir.resolve("work").toFile().list()).isEmpty();
    }
}
