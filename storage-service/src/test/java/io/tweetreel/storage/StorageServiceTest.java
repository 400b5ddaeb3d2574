package io.tweetreel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.core.StoredObject;
import io.tweetreel.core.testing.PipelineProbe;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoStored;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The storage stage on the real stack: Kafka, registry and S3. */
@ExtendWith(DevStackExtension.class)
class StorageServiceTest {
    static final String SECRET = "test-filename-secret-0123456789";
    static StorageService service;
    static PipelineProbe probe;
    static ObjectStore store;
    static ObjectStoreConfig objects;

    @BeforeAll
    static void start(StackEndpoints stack, @TempDir Path state) {
        Map<String, String> env = new HashMap<>(stack.asEnvironment());
        env.put("FILENAME_SECRET", SECRET);
        env.put("OPS_PORT", "0");
        env.put("STATE_DIR", state.toString());
        env.put("BASE_URL", "https://reels.example.com");
        env.put("RETRY_FOR", "60s");
        service = new StorageService(StorageConfig.read(EnvConfig.of(env))).start();
        objects = ObjectStoreConfig.read(EnvConfig.of(env));
        store = new MinioObjectStore(objects);
        probe = new PipelineProbe(stack.bootstrapServers(), stack.registryUrl());
        probe.watch(probe.topics().stored()).watch(probe.topics().status());
    }

    @AfterAll
    static void stop() throws Exception {
        probe.close();
        service.close();
    }

    static String stageComposedVideo(Path dir) throws Exception {
        String jobId = UUID.randomUUID().toString();
        Path mp4 = Files.write(dir.resolve(jobId + ".mp4"), new byte[4096]);
        store.ensureBucket(objects.workBucket());
        store.put(objects.workBucket(), ObjectLayout.videoKey(jobId), mp4, "video/mp4", Map.of());
        store.put(objects.workBucket(), ObjectLayout.cardKey(jobId), mp4, "image/png", Map.of());
        return jobId;
    }

    static VideoComposed composed(String jobId) {
        return VideoComposed.newBuilder()
                .setVideoKey(ObjectLayout.videoKey(jobId))
                .setDurationSeconds(5.0)
                .setFileSize(4096)
                .setWidth(1080)
                .setHeight(1920)
                .setComposedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    @Test
    void composedVideoIsFiledAndTheJobCompletes(@TempDir Path dir) throws Exception {
        String jobId = stageComposedVideo(dir);
        Instant before = Instant.now();
        probe.publish(probe.topics().composed(), jobId, composed(jobId));

        VideoStored stored = probe.awaitFirst(probe.topics().stored(), jobId, Duration.ofSeconds(60));
        List<JobStatus> statuses = probe.awaitFinalStatus(jobId, Duration.ofSeconds(30));

        assertThat(statuses)
                .extracting(JobStatus::getCurrentStep)
                .containsExactly(JobStep.saving_file, JobStep.completed);
        JobStatus completed = statuses.get(statuses.size() - 1);
        assertThat(completed.getStatus()).isEqualTo(JobState.completed);
        assertThat(completed.getProgress()).isEqualTo(100);
        var result = completed.getJobResult();
        assertThat(result.getFilename())
                .isEqualTo(stored.getFilename())
                .matches(ObjectLayout.DOWNLOAD_FILENAME)
                .isEqualTo(new ReelFilenames(SECRET)
                        .filename(jobId, composed(jobId).getComposedAt()));
        assertThat(result.getDownloadUrl()).isEqualTo("https://reels.example.com/download/" + result.getFilename());
        assertThat(result.getFileSize()).isEqualTo(4096);
        assertThat(result.getDuration()).isEqualTo(5.0);
        assertThat(result.getResolution()).isEqualTo("1080x1920");
        assertThat(result.getExpiresAt())
                .isBetween(
                        before.plus(Duration.ofHours(24)).minusSeconds(1),
                        Instant.now().plus(Duration.ofHours(24)));

        StoredObject filed =
                store.stat(objects.videosBucket(), result.getFilename()).orElseThrow();
        assertThat(filed.contentType()).isEqualTo("video/mp4");
        assertThat(filed.metadata())
                .containsEntry(ObjectLayout.JOB_ID, jobId)
                .containsEntry(ObjectLayout.EXPIRES_AT, result.getExpiresAt().toString());
        assertThat(store.list(objects.workBucket(), ObjectLayout.jobPrefix(jobId)))
                .isEmpty();
    }

    @Test
    void theSameEventTwiceGivesOneFileUnderOneName(@TempDir Path dir) throws Exception {
        String jobId = stageComposedVideo(dir);
        VideoComposed event = composed(jobId);
        probe.publish(probe.topics().composed(), jobId, event);
        probe.awaitFinalStatus(jobId, Duration.ofSeconds(60));
        probe.publish(probe.topics().composed(), jobId, event);

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> probe.seen(probe.topics().stored(), jobId).size() == 2);
        List<VideoStored> both = probe.seen(probe.topics().stored(), jobId);
        assertThat(both.get(1).getFilename()).isEqualTo(both.get(0).getFilename());
        assertThat(both.get(1).getExpiresAt()).isEqualTo(both.get(0).getExpiresAt());
        long copies = store.list(objects.videosBucket(), "").stream()
                .filter(o -> store.stat(objects.videosBucket(), o.key())
                        .orElseThrow()
                        .metadata()
                        .getOrDefault(ObjectLayout.JOB_ID, "")
                        .equals(jobId))
                .count();
        assertThat(copies).isEqualTo(1);
        assertThat(store.list(objects.workBucket(), ObjectLayout.jobPrefix(jobId)))
                .isEmpty();
    }

    @Test
    void sweeperDeletesOnlyExpiredVideos(@TempDir Path dir) throws Exception {
        String bucket = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        store.ensureBucket(bucket);
        Path file = Files.write(dir.resolve("v.mp4"), new byte[16]);
        Instant now = Instant.now();
        store.put(
                bucket,
                "expired.mp4",
                file,
                "video/mp4",
                Map.of(ObjectLayout.EXPIRES_AT, now.minusSeconds(1).toString()));
        store.put(
                bucket,
                "fresh.mp4",
                file,
                "video/mp4",
                Map.of(ObjectLayout.EXPIRES_AT, now.plusSeconds(3600).toString()));
        store.put(bucket, "unlabelled.mp4", file, "video/mp4", Map.of());
        var sweeper = new ExpiredReelSweeper(
                store,
                bucket,
                bucket,
                java.time.Clock.systemUTC(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

        assertThat(sweeper.sweep()).isEqualTo(1);
        assertThat(store.list(bucket, ""))
                .extracting(StoredObject::key)
                .containsExactlyInAnyOrder("fresh.mp4", "unlabelled.mp4");
    }

    @Test
    void sweeperDeletesWorkObjectsOnlyOnceTheyAreADayOld(@TempDir Path dir) throws Exception {
        String work = "work-" + UUID.randomUUID().toString().substring(0, 8);
        store.ensureBucket(work);
        Path file = Files.write(dir.resolve("card.png"), new byte[16]);
        String key = ObjectLayout.jobPrefix(UUID.randomUUID().toString()) + "card.png";
        store.put(work, key, file, "image/png", Map.of());
        var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

        var today = new ExpiredReelSweeper(store, "videos-unused", work, java.time.Clock.systemUTC(), meters);
        assertThat(today.sweepOrphanedWork()).isZero();
        assertThat(store.list(work, "")).extracting(StoredObject::key).containsExactly(key);

        var tomorrow = new ExpiredReelSweeper(
                store,
                "videos-unused",
                work,
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(25)),
                meters);
        assertThat(tomorrow.sweepOrphanedWork()).isEqualTo(1);
        assertThat(store.list(work, "")).isEmpty();
        assertThat(meters.counter("tweetreel.work.orphans.deleted").count()).isEqualTo(1.0);
    }
}
