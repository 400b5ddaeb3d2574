package io.tweetreel.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.core.StoredObject;
import io.tweetreel.core.testing.PipelineProbe;
import io.tweetreel.core.testing.RequestRuleCases;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ReelFormat;
import io.tweetreel.schemas.RenderedFrame;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.VideoRequested;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The renderer stage on the real stack: Kafka, registry, S3 and Chromium. */
@ExtendWith(DevStackExtension.class)
class RendererServiceTest {
    static RendererService service;
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
        service = new RendererService(RendererConfig.read(EnvConfig.of(env))).start();
        objects = ObjectStoreConfig.read(EnvConfig.of(env));
        store = new MinioObjectStore(objects);
        probe = new PipelineProbe(stack.bootstrapServers(), stack.registryUrl());
        probe.watch(probe.topics().screenshot()).watch(probe.topics().status());
    }

    @AfterAll
    static void stop() throws Exception {
        probe.close();
        service.close();
    }

    static VideoRequested request(String body, String username) {
        return VideoRequested.newBuilder()
                .setTweetBody(body)
                .setProfileName("Ada Lovelace")
                .setUsername(username)
                .setDurationSeconds(7)
                .build();
    }

    @Test
    void requestBecomesAPngInS3AndAScreenshotEvent(@TempDir Path dir) throws Exception {
        String jobId = UUID.randomUUID().toString();
        probe.publish(probe.topics().status(), jobId, JobStatuses.pending(Instant.now()));
        probe.publish(
                probe.topics().requested(), jobId, request("Shipping reels at volume 🚀 #kafka @confluentinc", "@ada"));

        ScreenshotReady ready = probe.awaitFirst(probe.topics().screenshot(), jobId, Duration.ofSeconds(90));
        assertThat(ready.getScreenshotKey()).isEqualTo(ObjectLayout.cardKey(jobId));
        assertThat(ready.getWidth()).isEqualTo(1080);
        assertThat(ready.getHeight()).isEqualTo(1920);
        assertThat(ready.getDurationSeconds()).isEqualTo(7);

        Path png = dir.resolve("card.png");
        store.download(objects.workBucket(), ready.getScreenshotKey(), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1080);
        assertThat(image.getHeight()).isEqualTo(1920);

        // every job's captions, in S3 with the type a player expects
        RenderedFrame frame = ready.getFrames().get(0);
        assertThat(frame.getVttKey()).isEqualTo(ObjectLayout.captionKey(jobId, ReelFormat.DEFAULT, "vtt"));
        assertThat(store.stat(objects.workBucket(), frame.getVttKey()))
                .get()
                .extracting(StoredObject::contentType)
                .isEqualTo("text/vtt; charset=utf-8");
        Path vtt = dir.resolve("captions.vtt");
        store.download(objects.workBucket(), frame.getVttKey(), vtt);
        assertThat(Files.readString(vtt, StandardCharsets.UTF_8))
                .startsWith("WEBVTT")
                .contains("Shipping reels at volume 🚀 #kafka", "@confluentinc");
        assertThat(store.stat(objects.workBucket(), frame.getSrtKey()))
                .get()
                .extracting(StoredObject::contentType)
                .isEqualTo("application/x-subrip; charset=utf-8");

        List<JobStatus> statuses = probe.seen(probe.topics().status(), jobId);
        assertThat(statuses)
                .extracting(JobStatus::getStatus, JobStatus::getCurrentStep, JobStatus::getProgress)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(JobState.pending, JobStep.queued, 0),
                        org.assertj.core.groups.Tuple.tuple(JobState.processing, JobStep.generating_screenshot, 20));
        assertThat(service.stage().tracker().currentJobCount()).isZero();
        // the per-job directory is gone once the job is done
        assertThat(stateDir.resolve("work").toFile().list()).isEmpty();
    }

    @Test
    void requestWithInvalidValuesFailsWithAReason() {
        String jobId = UUID.randomUUID().toString();
        probe.publish(probe.topics().requested(), jobId, request("hello", "not a handle!"));

        List<JobStatus> statuses = probe.awaitFinalStatus(jobId, Duration.ofSeconds(60));
        JobStatus failed = statuses.get(statuses.size() - 1);
        assertThat(failed.getStatus()).isEqualTo(JobState.failed);
        assertThat(failed.getError().getCode()).isEqualTo("INVALID_REQUEST");
        assertThat(failed.getError().getMessage()).contains("username");
        assertThat(failed.getError().getStep()).isEqualTo(JobStep.generating_screenshot);
        assertThat(probe.seen(probe.topics().screenshot(), jobId)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"user and password in the photo URL", "line break in the name"})
    void aBadValueFromTheSharedTableFailsWithTheGatewaysMessage(String name) {
        RequestRuleCases.Case bad = RequestRuleCases.named(name);
        String jobId = UUID.randomUUID().toString();
        probe.publish(probe.topics().requested(), jobId, bad.record());

        List<JobStatus> statuses = probe.awaitFinalStatus(jobId, Duration.ofSeconds(60));
        JobStatus failed = statuses.get(statuses.size() - 1);
        assertThat(failed.getStatus()).isEqualTo(JobState.failed);
        assertThat(failed.getError().getCode()).isEqualTo("INVALID_REQUEST");
        assertThat(failed.getError().getMessage()).contains(bad.statedAs());
        assertThat(probe.seen(probe.topics().screenshot(), jobId)).isEmpty();
    }
}
