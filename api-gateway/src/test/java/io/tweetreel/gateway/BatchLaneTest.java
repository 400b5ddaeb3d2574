package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.BatchOutcome;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoBatch;
import io.tweetreel.schemas.VideoRequested;
import io.tweetreel.schemas.VideoStored;
import io.tweetreel.schemas.WebhookAction;
import io.tweetreel.schemas.WebhookCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch lane against {@link TopologyTestDriver}: the {@link BatchScheduler}'s window and queue order, items
 * dropped when they became final while waiting, and {@link BatchCompletion}'s batch_completed command.
 */
class BatchLaneTest {
    private static final int WINDOW = 2;
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private TopologyTestDriver driver;
    private TestInputTopic<String, VideoRequested> batchQueue;
    private TestInputTopic<String, VideoBatch> batches;
    private TestInputTopic<String, JobStatus> status;
    private TestInputTopic<String, VideoRequested> requested;
    private TestOutputTopic<String, VideoRequested> released;
    private TestOutputTopic<String, WebhookCommand> commands;
    private Instant now = T0;

    @TempDir
    Path stateDir;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gateway-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(
                JobStatusTopology.build(
                        topics,
                        Duration.ofMinutes(5),
                        WINDOW,
                        new FakeQueuePositions(),
                        new FiledVideoRemover(new InMemoryObjectStore(), "videos", Runnable::run),
                        new SimpleMeterRegistry()),
                props,
                T0);
        StringSerializer keys = new StringSerializer();
        batchQueue = driver.createInputTopic(
                Topics.VIDEOS_BATCH_QUEUE,
                keys,
                topics.batchQueue().valueSerde().serializer());
        batches = driver.createInputTopic(
                Topics.VIDEOS_BATCHES, keys, topics.batches().valueSerde().serializer());
        status = driver.createInputTopic(
                Topics.VIDEOS_STATUS, keys, topics.status().valueSerde().serializer());
        requested = driver.createInputTopic(
                Topics.VIDEOS_REQUESTED, keys, topics.requested().valueSerde().serializer());
        StringDeserializer keyReader = new StringDeserializer();
        released = driver.createOutputTopic(
                Topics.VIDEOS_REQUESTED,
                keyReader,
                topics.requested().valueSerde().deserializer());
        commands = driver.createOutputTopic(
                Topics.VIDEOS_WEBHOOK_COMMANDS,
                keyReader,
                topics.webhookCommands().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static VideoRequested item(String batchId, int index) {
        return VideoRequested.newBuilder()
                .setTweetBody("post " + index)
                .setProfileName("Ada")
                .setUsername("ada")
                .setBatchId(batchId)
                .build();
    }

    /** What the batches API writes in one transaction: the batch, each item queued with its pending status. */
    private List<String> submitBatch(String batchId, int items, String webhookUrl) {
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            jobIds.add(UUID.randomUUID().toString());
        }
        batches.pipeInput(
                batchId,
                VideoBatch.newBuilder()
                        .setJobIds(jobIds)
                        .setWebhookUrl(webhookUrl)
                        .setMetadata(Map.of("campaign", "spring"))
                        .setCreatedAt(now)
                        .setKeyId("key_batchowner0000001")
                        .build(),
                now);
        for (int i = 0; i < items; i++) {
            batchQueue.pipeInput(jobIds.get(i), item(batchId, i), now);
            status.pipeInput(jobIds.get(i), JobStatuses.pending(now), now);
        }
        return jobIds;
    }

    private void finish(String jobId, JobStatus finalStatus) {
        now = now.plusSeconds(1);
        status.pipeInput(jobId, finalStatus, now);
    }

    private JobStatus completed() {
        return JobStatuses.completed(
                VideoStored.newBuilder()
                        .setFilename("2026-11-28_" + "a".repeat(32) + ".mp4")
                        .setDownloadUrl("http://localhost:3000/download/x")
                        .setExpiresAt(now.plusSeconds(86400))
                        .setFileSize(1234)
                        .setDurationSeconds(5.0)
                        .setResolution("1080x1920")
                        .setStoredAt(now)
                        .build(),
                now);
    }

    private JobStatus failed() {
        return JobStatuses.failed(JobStep.composing_video, "COMPOSE_FAILED", "ffmpeg exited with 1", now);
    }

    private JobStatus canceled() {
        return JobStatuses.canceled(JobStep.queued, 0, now);
    }

    private List<String> releasedJobs() {
        return released.readKeyValuesToList().stream().map(kv -> kv.key).toList();
    }

    @Test
    void releasesAtMostTheWindowAndTheNextOneWhenAReleasedJobIsFinal() {
        List<String> jobs = submitBatch(UUID.randomUUID().toString(), 5, null);

        assertThat(releasedJobs()).containsExactly(jobs.get(0), jobs.get(1));

        finish(jobs.get(1), failed());
        assertThat(releasedJobs()).containsExactly(jobs.get(2));
        finish(jobs.get(0), completed());
        assertThat(releasedJobs()).containsExactly(jobs.get(3));
        finish(jobs.get(0), completed()); // a repeated final status frees nothing more
        assertThat(released.isEmpty()).isTrue();
    }

    @Test
    void releasesItemsAsTheyWereQueuedSameKeySameValue() {
        String batchId = UUID.randomUUID().toString();
        List<String> jobs = submitBatch(batchId, 1, null);

        KeyValue<String, VideoRequested> release = released.readKeyValue();
        assertThat(release.key).isEqualTo(jobs.get(0));
        assertThat(release.value).isEqualTo(item(batchId, 0));
    }

    @Test
    void keepsQueueOrderAcrossBatches() {
        List<String> first = submitBatch(UUID.randomUUID().toString(), 3, null);
        List<String> second = submitBatch(UUID.randomUUID().toString(), 2, null);
        assertThat(releasedJobs()).containsExactly(first.get(0), first.get(1));

        finish(first.get(0), completed());
        finish(first.get(1), completed());
        finish(first.get(2), completed());
        finish(second.get(0), completed());

        assertThat(releasedJobs()).containsExactly(first.get(2), second.get(0), second.get(1));
    }

    @Test
    void singleJobsDoNotTakeAPlaceInTheWindow() {
        List<String> jobs = submitBatch(UUID.randomUUID().toString(), 3, null);
        releasedJobs();
        String single = UUID.randomUUID().toString();
        requested.pipeInput(single, item(null, 99), now);

        finish(single, completed());

        assertThat(released.isEmpty())
                .as("a single job's end frees no batch place")
                .isTrue();
        finish(jobs.get(0), completed());
        assertThat(releasedJobs()).containsExactly(jobs.get(2));
    }

    @Test
    void anItemCanceledWhileQueuedIsDroppedNotReleased() {
        List<String> jobs = submitBatch(UUID.randomUUID().toString(), 4, null);
        assertThat(releasedJobs()).containsExactly(jobs.get(0), jobs.get(1));

        finish(jobs.get(2), canceled());
        finish(jobs.get(0), completed());

        assertThat(releasedJobs()).containsExactly(jobs.get(3));
        finish(jobs.get(1), completed());
        finish(jobs.get(3), completed());
        assertThat(released.isEmpty()).isTrue();
    }

    @Test
    void sendsBatchCompletedOnceWhenEveryItemIsFinal() {
        String batchId = UUID.randomUUID().toString();
        List<String> jobs = submitBatch(batchId, 4, "https://hooks.example.com/batches");

        finish(jobs.get(3), canceled()); // while queued
        finish(jobs.get(0), completed());
        finish(jobs.get(1), failed());
        assertThat(commands.isEmpty()).as("one item is still running").isTrue();
        finish(jobs.get(2), completed());

        KeyValue<String, WebhookCommand> command = commands.readKeyValue();
        assertThat(command.key).isEqualTo(batchId);
        assertThat(command.value.getAction()).isEqualTo(WebhookAction.batch_completed);
        assertThat(command.value.getWebhookUrl()).isEqualTo("https://hooks.example.com/batches");
        assertThat(command.value.getKeyId())
                .as("signed with the batch's key's secret")
                .isEqualTo("key_batchowner0000001");
        assertThat(command.value.getBatch())
                .isEqualTo(BatchOutcome.newBuilder()
                        .setBatchId(batchId)
                        .setTotal(4)
                        .setCompleted(2)
                        .setFailed(1)
                        .setCanceled(1)
                        .setMetadata(Map.of("campaign", "spring"))
                        .build());

        finish(jobs.get(2), completed());
        finish(jobs.get(1), canceled()); // the table keeps failed; nothing is counted twice
        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void aBatchWithoutWebhookSendsNothing() {
        List<String> jobs = submitBatch(UUID.randomUUID().toString(), 1, null);
        finish(jobs.get(0), completed());
        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void anItemFinalBeforeItsQueueRecordIsReadIsCountedButNeverReleased() {
        String batchId = UUID.randomUUID().toString();
        String jobId = UUID.randomUUID().toString();
        batches.pipeInput(
                batchId,
                VideoBatch.newBuilder()
                        .setJobIds(List.of(jobId))
                        .setWebhookUrl("https://hooks.example.com/batches")
                        .setCreatedAt(now)
                        .build(),
                now);
        status.pipeInput(jobId, JobStatuses.pending(now), now);
        finish(jobId, canceled());
        batchQueue.pipeInput(jobId, item(batchId, 0), now);

        assertThat(released.isEmpty()).isTrue();
        assertThat(commands.readValue().getBatch().getCanceled()).isEqualTo(1);
    }
}
