package io.tweetreel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.core.testing.PipelineProbe;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.EmbeddedS3;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.VideoComposed;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The object store goes away for 10 s while a job is being filed: the job completes once it is back. */
@ExtendWith(DevStackExtension.class)
class StoreOutageTest {
    @Test
    void jobFiledDuringAnOutageCompletesWhenTheStoreComesBack(StackEndpoints stack, @TempDir Path dir)
            throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedS3 s3 = new EmbeddedS3(dir.resolve("s3"), port, "outage", "outage-secret");
        String endpoint = s3.start();
        Map<String, String> env = new HashMap<>(stack.asEnvironment());
        env.put("S3_ENDPOINT", endpoint);
        env.put("S3_ACCESS_KEY", "outage");
        env.put("S3_SECRET_KEY", "outage-secret");
        env.put("FILENAME_SECRET", "outage-test-filename-secret");
        env.put("OPS_PORT", "0");
        env.put("STATE_DIR", dir.resolve("state").toString());
        ObjectStoreConfig objects = ObjectStoreConfig.read(EnvConfig.of(env));
        MinioObjectStore store = new MinioObjectStore(objects);
        String jobId = UUID.randomUUID().toString();
        store.ensureBucket(objects.workBucket());
        store.put(
                objects.workBucket(),
                ObjectLayout.videoKey(jobId),
                Files.write(dir.resolve("v.mp4"), new byte[2048]),
                "video/mp4",
                Map.of());

        ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor();
        try (StorageService service = new StorageService(StorageConfig.read(EnvConfig.of(env))).start();
                PipelineProbe probe = new PipelineProbe(stack.bootstrapServers(), stack.registryUrl())) {
            probe.watch(probe.topics().status()).watch(probe.topics().stored());
            s3.stop();
            Instant down = Instant.now();
            probe.publish(
                    probe.topics().composed(),
                    jobId,
                    VideoComposed.newBuilder()
                            .setVideoKey(ObjectLayout.videoKey(jobId))
                            .setDurationSeconds(5.0)
                            .setFileSize(2048)
                            .setWidth(1080)
                            .setHeight(1920)
                            .setComposedAt(Instant.now())
                            .build());
            // the outage is the test's input: the store comes back 10 s after it went away
            restarter.schedule(
                    () -> {
                        s3.start();
                        return null;
                    },
                    10,
                    TimeUnit.SECONDS);

            List<JobStatus> statuses = probe.awaitFinalStatus(jobId, Duration.ofSeconds(120));
            JobStatus last = statuses.get(statuses.size() - 1);
            assertThat(last.getStatus()).as("%s", last).isEqualTo(JobState.completed);
            assertThat(Duration.between(down, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
            assertThat(store.stat(objects.videosBucket(), last.getJobResult().getFilename()))
                    .isPresent();
            assertThat(store.list(objects.workBucket(), ObjectLayout.jobPrefix(jobId)))
                    .isEmpty();
        } finally {
            restarter.shutdownNow();
            s3.stop();
        }
    }
}
