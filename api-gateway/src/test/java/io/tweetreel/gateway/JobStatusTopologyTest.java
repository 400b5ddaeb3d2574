package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobCancellation;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.JobWarning;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.ReelOutput;
import io.tweetreel.schemas.StatusWarning;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import io.tweetreel.schemas.WebhookDelivery;
import io.tweetreel.schemas.WebhookOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status table's merge rule, the request fingerprints, the delivery log and cancel (a cancellation becomes the
 * job's canceled status; a completion that lost to it has its filed video deleted), against
 * {@link TopologyTestDriver}.
 */
class JobStatusTopologyTest {
    private static final String JOB = "5f0c2d7e-8a47-4a55-9c6e-3f1b2a9d4e10";
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    /** The driver's wall clock at the start: the time of the statuses the topology writes. */
    private static final Instant NOW = T0.plusSeconds(30);

    private static final String VIDEOS = "tweetreel-videos";
    private static final String FILENAME = "2026-11-28_" + "a".repeat(32) + ".mp4";

    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private TopologyTestDriver driver;
    private TestInputTopic<String, JobStatus> status;
    private TestInputTopic<String, VideoRequested> requested;
    private KeyValueStore<String, JobStatus> table;
    private KeyValueStore<String, RequestSummary> requestTable;
    private TestInputTopic<String, WebhookDelivery> deliveries;
    private KeyValueStore<String, DeliveryLog> deliveryLogs;
    private TestInputTopic<String, JobCancellation> cancellations;
    private TestOutputTopic<String, JobStatus> statusOut;
    private KeyValueStore<String, String> removals;
    private final InMemoryObjectStore objects = new InMemoryObjectStore();

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gateway-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        driver = new TopologyTestDriver(
                JobStatusTopology.build(
                        topics,
                        Duration.ofMinutes(5),
                        new FakeQueuePositions(),
                        new FiledVideoRemover(objects, VIDEOS, Runnable::run),
                        new SimpleMeterRegistry()),
                props,
                NOW);
        status = driver.createInputTopic(
                Topics.VIDEOS_STATUS,
                new StringSerializer(),
                topics.status().valueSerde().serializer());
        requested = driver.createInputTopic(
                Topics.VIDEOS_REQUESTED,
                new StringSerializer(),
                topics.requested().valueSerde().serializer());
        table = driver.getKeyValueStore(JobStatusTopology.STATUS_STORE);
        requestTable = driver.getKeyValueStore(JobStatusTopology.REQUEST_STORE);
        deliveries = driver.createInputTopic(
                Topics.VIDEOS_WEBHOOK_DELIVERIES,
                new StringSerializer(),
                topics.webhookDeliveries().valueSerde().serializer());
        deliveryLogs = driver.getKeyValueStore(JobStatusTopology.DELIVERY_STORE);
        cancellations = driver.createInputTopic(
                Topics.VIDEOS_CANCELLATIONS,
                new StringSerializer(),
                topics.cancellations().valueSerde().serializer());
        statusOut = driver.createOutputTopic(
                Topics.VIDEOS_STATUS,
                new StringDeserializer(),
                topics.status().valueSerde().deserializer());
        removals = driver.getKeyValueStore(CanceledVideoRemoval.STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static JobStatus completed(Instant now) {
        return JobStatus.newBuilder()
                .setStatus(JobState.completed)
                .setProgress(100)
                .setCurrentStep(JobStep.completed)
                .setUpdatedAt(now)
                .setJobResult(JobResult.newBuilder()
                        .setFilename(FILENAME)
                        .setDownloadUrl("http://localhost:3000/download/x")
                        .setExpiresAt(at(86400))
                        .setFileSize(1234)
                        .setDuration(5.0)
                        .setResolution("1080x1920")
                        .build())
                .build();
    }

    @Test
    void followsAJobThroughItsSteps() {
        status.pipeInput(JOB, JobStatuses.pending(at(0)));
        assertThat(table.get(JOB).getStatus()).isEqualTo(JobState.pending);
        status.pipeInput(JOB, JobStatuses.started(JobStep.generating_screenshot, at(1)));
        status.pipeInput(JOB, JobStatuses.started(JobStep.composing_video, at(2)));
        status.pipeInput(JOB, JobStatuses.started(JobStep.saving_file, at(3)));
        status.pipeInput(JOB, completed(at(4)));

        JobStatus known = table.get(JOB);
        assertThat(known.getStatus()).isEqualTo(JobState.completed);
        assertThat(known.getProgress()).isEqualTo(100);
        assertThat(known.getJobResult().getResolution()).isEqualTo("1080x1920");
        assertThat(known.getCreatedAt()).isEqualTo(at(0));
        assertThat(known.getUpdatedAt()).isEqualTo(at(4));
    }

    @Test
    void reorderedAndDuplicatedUpdatesNeverRegressAJob() {
        status.pipeInput(JOB, JobStatuses.pending(at(0)));
        status.pipeInput(JOB, JobStatuses.started(JobStep.composing_video, at(2)));
        status.pipeInput(JOB, JobStatuses.started(JobStep.generating_screenshot, at(1))); // late
        status.pipeInput(JOB, JobStatuses.pending(at(0))); // duplicate of the first
        assertThat(table.get(JOB).getCurrentStep()).isEqualTo(JobStep.composing_video);
        assertThat(table.get(JOB).getProgress()).isEqualTo(60);
        assertThat(table.get(JOB).getCreatedAt()).isEqualTo(at(0));
    }

    @Test
    void completedIsFinal() {
        status.pipeInput(JOB, JobStatuses.pending(at(0)));
        status.pipeInput(JOB, completed(at(4)));
        status.pipeInput(JOB, JobStatuses.started(JobStep.saving_file, at(3)));
        status.pipeInput(JOB, JobStatuses.failed(JobStep.saving_file, "STORAGE_FAILED", "late failure", at(5)));
        status.pipeInput(JOB, completed(at(4)));
        assertThat(table.get(JOB).getStatus()).isEqualTo(JobState.completed);
        assertThat(table.get(JOB).getError()).isNull();
    }

    @Test
    void theRendersWarningsReachTheJobEvenAfterItCompleted() {
        JobStatus warned = JobStatuses.started(
                JobStep.generating_screenshot,
                List.of(new JobWarning("MEDIA_UNAVAILABLE", "the image could not be fetched", "media[1].url")),
                at(1));
        status.pipeInput(JOB, JobStatuses.pending(at(0)));
        status.pipeInput(JOB, JobStatuses.started(JobStep.composing_video, at(2)));
        status.pipeInput(JOB, completed(at(4)));
        status.pipeInput(JOB, warned); // the render's status, read last
        status.pipeInput(JOB, warned); // and again, from a re-run

        JobStatus known = table.get(JOB);
        assertThat(known.getStatus()).isEqualTo(JobState.completed);
        assertThat(known.getUpdatedAt()).isEqualTo(at(4));
        assertThat(known.getWarnings())
                .extracting(StatusWarning::getCode, StatusWarning::getField)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("MEDIA_UNAVAILABLE", "media[1].url"));
    }

    @Test
    void failedIsFinal() {
        status.pipeInput(JOB, JobStatuses.started(JobStep.generating_screenshot, at(1)));
        status.pipeInput(JOB, JobStatuses.failed(JobStep.generating_screenshot, "RENDER_FAILED", "bad image", at(2)));
        status.pipeInput(JOB, JobStatuses.started(JobStep.composing_video, at(3)));
        status.pipeInput(JOB, completed(at(4)));
        JobStatus known = table.get(JOB);
        assertThat(known.getStatus()).isEqualTo(JobState.failed);
        assertThat(known.getError().getCode()).isEqualTo("RENDER_FAILED");
        assertThat(known.getCreatedAt())
                .as("first update's time when nobody said")
                .isEqualTo(at(1));
    }

    @Test
    void aRequestPublishedStraightToTheTopicIsPendingAndFingerprinted() {
        VideoRequested request = VideoRequested.newBuilder()
                .setTweetBody("hello")
                .setProfileName("Ada")
                .setUsername("ada")
                .build();
        requested.pipeInput(JOB, request, at(7));

        assertThat(table.get(JOB).getStatus()).isEqualTo(JobState.pending);
        assertThat(table.get(JOB).getCreatedAt()).isEqualTo(at(7));
        assertThat(requestTable.get(JOB).fingerprint()).isEqualTo(RequestFingerprint.of(request));

        // the request's pending never overrides progress made before it was read
        String other = "0b7f6f1c-4d3e-4b8a-9a61-2c5d7e8f9a01";
        status.pipeInput(other, JobStatuses.started(JobStep.generating_screenshot, at(8)));
        requested.pipeInput(other, request, at(9));
        assertThat(table.get(other).getCurrentStep()).isEqualTo(JobStep.generating_screenshot);
    }

    @Test
    void fingerprintIgnoresRequestTimeButNotContent() {
        VideoRequested a = VideoRequested.newBuilder()
                .setTweetBody("hello")
                .setProfileName("Ada")
                .setUsername("ada")
                .setRequestedAt(at(1))
                .build();
        VideoRequested sameLater =
                VideoRequested.newBuilder(a).setRequestedAt(at(99)).build();
        VideoRequested other =
                VideoRequested.newBuilder(a).setDurationSeconds(6).build();
        assertThat(RequestFingerprint.of(a))
                .isEqualTo(RequestFingerprint.of(sameLater))
                .hasSize(64);
        assertThat(RequestFingerprint.of(a)).isNotEqualTo(RequestFingerprint.of(other));
    }

    @Test
    void unreadableRecordsAreSkipped() {
        var raw = driver.createInputTopic(Topics.VIDEOS_STATUS, new StringSerializer(), new ByteArraySerializer());
        raw.pipeInput(JOB, new byte[] {1, 2, 3});
        status.pipeInput(JOB, JobStatuses.pending(at(0)));
        assertThat(table.get(JOB).getStatus()).isEqualTo(JobState.pending);
    }

    @Test
    void theRequestTableKeepsMetadataAndWhetherThereIsAWebhook() {
        VideoRequested request = VideoRequested.newBuilder()
                .setTweetBody("hello")
                .setProfileName("Ada")
                .setUsername("ada")
                .setWebhookUrl("https://hooks.example.com/r")
                .setMetadata(Map.of("order", "42", "campaign", "spring"))
                .build();
        requested.pipeInput(JOB, request, at(7));
        RequestSummary kept = requestTable.get(JOB);
        assertThat(kept.fingerprint()).isEqualTo(RequestFingerprint.of(request));
        assertThat(kept.metadata()).containsExactly(Map.entry("campaign", "spring"), Map.entry("order", "42"));
        assertThat(kept.hasWebhook()).isTrue();

        String other = "0b7f6f1c-4d3e-4b8a-9a61-2c5d7e8f9a01";
        requested.pipeInput(
                other,
                VideoRequested.newBuilder(request)
                        .setWebhookUrl(null)
                        .setMetadata(Map.of())
                        .build(),
                at(8));
        assertThat(requestTable.get(other).hasWebhook()).isFalse();
        assertThat(requestTable.get(other).metadata()).isEmpty();
    }

    @Test
    void aFingerprintStoredBeforeMetadataExistedStillReads() {
        String bare = "ab".repeat(32);
        RequestSummary old =
                RequestSummary.serde().deserializer().deserialize("changelog", bare.getBytes(StandardCharsets.UTF_8));
        assertThat(old).isEqualTo(new RequestSummary(bare, Map.of(), false));
    }

    @Test
    void fingerprintCoversWebhookAndMetadataButNotTheOrderOfItsKeys() {
        Map<String, String> inOrder = new LinkedHashMap<>();
        inOrder.put("a", "1");
        inOrder.put("b", "2");
        inOrder.put("c", "3");
        Map<String, String> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(inOrder);
        VideoRequested a = VideoRequested.newBuilder()
                .setTweetBody("hello")
                .setProfileName("Ada")
                .setUsername("ada")
                .setMetadata(inOrder)
                .build();
        assertThat(RequestFingerprint.of(
                        VideoRequested.newBuilder(a).setMetadata(reversed).build()))
                .isEqualTo(RequestFingerprint.of(a));
        assertThat(RequestFingerprint.of(VideoRequested.newBuilder(a)
                        .setMetadata(Map.of("a", "1"))
                        .build()))
                .isNotEqualTo(RequestFingerprint.of(a));
        assertThat(RequestFingerprint.of(VideoRequested.newBuilder(a)
                        .setWebhookUrl("https://h.example/")
                        .build()))
                .isNotEqualTo(RequestFingerprint.of(a));
    }

    private static WebhookDelivery attempt(int n, WebhookOutcome outcome, Integer statusCode, Instant next) {
        return WebhookDelivery.newBuilder()
                .setWebhookId("msg_1")
                .setJobId(JOB)
                .setEvent("job.completed")
                .setAttempt(n)
                .setAt(at(10 * n))
                .setOutcome(outcome)
                .setStatusCode(statusCode)
                .setError(outcome == WebhookOutcome.delivered ? null : "HTTP 500")
                .setDurationMs(12)
                .setNextAttemptAt(next)
                .setUrl("https://hooks.example.com/r")
                .build();
    }

    @Test
    void theDeliveryLogKeepsAJobsAttemptsOldestFirst() {
        deliveries.pipeInput(JOB, attempt(1, WebhookOutcome.retrying, 500, at(15)));
        deliveries.pipeInput(JOB, attempt(2, WebhookOutcome.retrying, null, at(25)));
        deliveries.pipeInput(JOB, attempt(3, WebhookOutcome.delivered, 204, null));

        DeliveryLog log = deliveryLogs.get(JOB);
        assertThat(log.deliveries()).extracting(DeliveryLog.Entry::attempt).containsExactly(1, 2, 3);
        assertThat(log.deliveries().get(0))
                .isEqualTo(new DeliveryLog.Entry(
                        "msg_1", "job.completed", 1, at(10), "retrying", 500, "HTTP 500", 12, at(15)));
        assertThat(log.deliveries().get(1).statusCode()).isNull();
        assertThat(log.deliveries().get(2).nextAttemptAt()).isNull();
        assertThat(log.deliveries().get(2).error()).isNull();
    }

    @Test
    void theDeliveryLogKeepsTheLatestFiftyAttempts() {
        for (int n = 1; n <= 60; n++) {
            deliveries.pipeInput(JOB, attempt(n, WebhookOutcome.gave_up, 500, null));
        }
        assertThat(deliveryLogs.get(JOB).deliveries())
                .hasSize(DeliveryLog.MAX_ENTRIES)
                .extracting(DeliveryLog.Entry::attempt)
                .startsWith(11)
                .endsWith(60);
    }

    private static JobCancellation cancel(Instant at) {
        return JobCancellation.newBuilder().setRequestedAt(at).build();
    }

    /** The files storage files for a reel: the reel, its poster and its captions. */
    private static final List<String> FILED = List.of(
            FILENAME,
            ObjectLayout.posterFilename(FILENAME),
            ObjectLayout.captionFilename(FILENAME, "vtt"),
            ObjectLayout.captionFilename(FILENAME, "srt"));

    private void fileVideoOf(String jobId) {
        for (String filename : FILED) {
            objects.putBytes(VIDEOS, filename, new byte[] {0, 0, 0, 24}, Map.of(ObjectLayout.JOB_ID, jobId));
        }
    }

    @Test
    void aCancelOfARunningJobBecomesCanceledWhereItStandsOnTheStatusTopic() {
        status.pipeInput(JOB, JobStatuses.pending(at(0)));
        status.pipeInput(JOB, JobStatuses.started(JobStep.composing_video, at(2)));

        cancellations.pipeInput(JOB, cancel(at(3)));

        JobStatus written = statusOut.readValue();
        assertThat(written.getStatus()).isEqualTo(JobState.canceled);
        assertThat(written.getCurrentStep()).isEqualTo(JobStep.composing_video);
        assertThat(written.getProgress()).isEqualTo(60);
        assertThat(written.getJobResult()).isNull();
        assertThat(written.getError()).isNull();
        assertThat(written.getUpdatedAt()).isEqualTo(NOW);
        assertThat(statusOut.isEmpty()).isTrue();

        JobStatus known = table.get(JOB);
        assertThat(known.getStatus()).as("read back from the topic").isEqualTo(JobState.canceled);
        assertThat(known.getCreatedAt()).isEqualTo(at(0));

        status.pipeInput(JOB, JobStatuses.started(JobStep.saving_file, at(4))); // a stage's late word
        assertThat(table.get(JOB).getStatus()).isEqualTo(JobState.canceled);
        assertThat(table.get(JOB).getCurrentStep()).isEqualTo(JobStep.composing_video);
    }

    @Test
    void aRepeatedCancelAndACancelOfAFinishedJobWriteNothing() {
        status.pipeInput(JOB, JobStatuses.started(JobStep.generating_screenshot, at(1)));
        cancellations.pipeInput(JOB, cancel(at(2)));
        cancellations.pipeInput(JOB, cancel(at(3)));
        assertThat(statusOut.readValuesToList())
                .as("one canceled status: the second cancel finds the job final")
                .extracting(JobStatus::getStatus)
                .containsExactly(JobState.canceled);

        String done = "0b7f6f1c-4d3e-4b8a-9a61-2c5d7e8f9a01";
        status.pipeInput(done, completed(at(4)));
        String failed = "7d5f8a9c-1b2e-4c3d-8e9f-0a1b2c3d4e5f";
        status.pipeInput(failed, JobStatuses.failed(JobStep.composing_video, "COMPOSE_FAILED", "boom", at(5)));
        cancellations.pipeInput(done, cancel(at(6)));
        cancellations.pipeInput(failed, cancel(at(6)));

        assertThat(statusOut.isEmpty()).isTrue();
        assertThat(table.get(done).getStatus()).isEqualTo(JobState.completed);
        assertThat(table.get(failed).getStatus()).isEqualTo(JobState.failed);
    }

    @Test
    void aCancelReadBeforeItsJobCancelsTheJobQueuedAndAKeyThatIsNoJobIsIgnored() {
        cancellations.pipeInput(JOB, cancel(at(1)));
        VideoRequested request = VideoRequested.newBuilder()
                .setTweetBody("hello")
                .setProfileName("Ada")
                .setUsername("ada")
                .build();
        requested.pipeInput(JOB, request, at(2)); // read after its cancel: every stage skips it too

        assertThat(statusOut.readValue().getCurrentStep()).isEqualTo(JobStep.queued);
        assertThat(table.get(JOB).getStatus()).isEqualTo(JobState.canceled);
        assertThat(table.get(JOB).getProgress()).isZero();

        cancellations.pipeInput("not-a-job", cancel(at(3)));
        assertThat(statusOut.isEmpty()).isTrue();
        assertThat(table.get("not-a-job")).isNull();
    }

    @Test
    void aCompletionReadAfterTheCancelLosesAndItsFiledVideoPosterAndCaptionsAreDeleted() {
        status.pipeInput(JOB, JobStatuses.started(JobStep.saving_file, at(3)));
        cancellations.pipeInput(JOB, cancel(at(4)));
        fileVideoOf(JOB); // storage filed it after its last look at the cancellations

        status.pipeInput(JOB, completed(at(5)));

        assertThat(table.get(JOB).getStatus()).isEqualTo(JobState.canceled);
        assertThat(table.get(JOB).getJobResult()).isNull();
        assertThat(FILED).as("filed files").noneMatch(filename -> objects.contains(VIDEOS, filename));
        driver.advanceWallClockTime(CanceledVideoRemoval.TICK);
        assertThat(removals.get(JOB)).as("removal still open").isNull();

        status.pipeInput(JOB, completed(at(5))); // the same update again: deleting again is harmless
        driver.advanceWallClockTime(CanceledVideoRemoval.TICK);
        assertThat(removals.get(JOB)).isNull();
    }

    @Test
    void aCanceledJobOfSeveralFormatsLosesEveryReelWithItsPosterAndCaptions() {
        String square = "2026-11-28_" + "b".repeat(32) + ".mp4";
        List<String> squareFiles = List.of(
                square,
                ObjectLayout.posterFilename(square),
                ObjectLayout.captionFilename(square, "vtt"),
                ObjectLayout.captionFilename(square, "srt"));
        status.pipeInput(JOB, JobStatuses.started(JobStep.saving_file, at(3)));
        cancellations.pipeInput(JOB, cancel(at(4)));
        fileVideoOf(JOB);
        for (String filename : squareFiles) {
            objects.putBytes(VIDEOS, filename, new byte[] {0, 0, 0, 24}, Map.of(ObjectLayout.JOB_ID, JOB));
        }
        JobStatus completed = completed(at(5));
        completed
                .getJobResult()
                .setOutputs(List.of(
                        new ReelOutput("9:16", FILENAME, "x", 1234L, 5.0, "1080x1920", null, null),
                        new ReelOutput("1:1", square, "x", 1234L, 5.0, "1080x1080", null, null)));

        status.pipeInput(JOB, completed);
        driver.advanceWallClockTime(CanceledVideoRemoval.TICK);

        assertThat(FILED).noneMatch(filename -> objects.contains(VIDEOS, filename));
        assertThat(squareFiles).noneMatch(filename -> objects.contains(VIDEOS, filename));
        assertThat(removals.get(JOB)).as("removal still open").isNull();
    }

    @Test
    void aCompletedJobKeepsItsVideoAndAVideoOfAnotherJobIsLeftAlone() {
        status.pipeInput(JOB, JobStatuses.started(JobStep.saving_file, at(3)));
        fileVideoOf(JOB);
        status.pipeInput(JOB, completed(at(5)));
        cancellations.pipeInput(JOB, cancel(at(6))); // too late: completed already
        assertThat(table.get(JOB).getStatus()).isEqualTo(JobState.completed);
        assertThat(objects.contains(VIDEOS, FILENAME)).isTrue();

        // a completed update for a canceled job naming a video that is not that job's
        String other = "0b7f6f1c-4d3e-4b8a-9a61-2c5d7e8f9a01";
        cancellations.pipeInput(other, cancel(at(7)));
        status.pipeInput(other, completed(at(8)));
        driver.advanceWallClockTime(CanceledVideoRemoval.TICK);
        assertThat(FILED).allMatch(filename -> objects.contains(VIDEOS, filename));
        assertThat(removals.get(other)).as("nothing left to try").isNull();
    }

    @Test
    void aRemovalTheObjectStoreRefusesIsTriedAgainUntilItWorks() {
        status.pipeInput(JOB, JobStatuses.started(JobStep.saving_file, at(3)));
        cancellations.pipeInput(JOB, cancel(at(4)));
        fileVideoOf(JOB);
        objects.down = true;

        status.pipeInput(JOB, completed(at(5)));
        driver.advanceWallClockTime(CanceledVideoRemoval.TICK);
        driver.advanceWallClockTime(CanceledVideoRemoval.TICK);
        assertThat(objects.contains(VIDEOS, FILENAME)).isTrue();
        assertThat(removals.get(JOB)).isEqualTo(FILENAME);

        objects.down = false;
        for (int tick = 0; tick < 5 && removals.get(JOB) != null; tick++) {
            driver.advanceWallClockTime(CanceledVideoRemoval.TICK);
        }
        assertThat(FILED).noneMatch(filename -> objects.contains(VIDEOS, filename));
        assertThat(removals.get(JOB)).isNull();
    }

    @Test
    void thePendingStatusesOfAKeyCountItsJobsPerUtcDayAndAKafkaDirectRequestNamingAKeyBelongsToIt() {
        KeyValueStore<String, String> perDay = driver.getKeyValueStore(KeyUsageTable.STORE);
        String key = "key_AAAAAAAAAAAAAAAA";
        Instant lateEvening = Instant.parse("2026-12-02T23:59:59Z");
        for (int i = 0; i < 3; i++) {
            JobStatus owned = JobStatus.newBuilder(JobStatuses.pending(lateEvening))
                    .setKeyId(key)
                    .build();
            status.pipeInput(java.util.UUID.randomUUID().toString(), owned);
        }
        // neither a job without a key nor a later update of an owned job counts
        status.pipeInput(JOB, JobStatuses.pending(lateEvening));
        status.pipeInput(
                JOB,
                JobStatus.newBuilder(JobStatuses.started(JobStep.generating_screenshot, lateEvening))
                        .setKeyId(key)
                        .build());
        assertThat(KeyUsageTable.jobsOn(perDay.get(key), LocalDate.parse("2026-12-02")))
                .isEqualTo(3);

        JobStatus nextDay = JobStatus.newBuilder(JobStatuses.pending(lateEvening.plusSeconds(1)))
                .setKeyId(key)
                .build();
        status.pipeInput(java.util.UUID.randomUUID().toString(), nextDay);
        assertThat(KeyUsageTable.jobsOn(perDay.get(key), LocalDate.parse("2026-12-03")))
                .isEqualTo(1);
        assertThat(KeyUsageTable.jobsOn(perDay.get(key), LocalDate.parse("2026-12-02")))
                .isZero();

        String direct = "0b7e0c1c-2f43-4c3e-9a55-1f0a0b0c0d0e";
        requested.pipeInput(
                direct,
                VideoRequested.newBuilder()
                        .setTweetBody("Hi")
                        .setProfileName("Ada")
                        .setUsername("ada")
                        .setKeyId(key)
                        .build());
        assertThat(table.get(direct).getKeyId()).isEqualTo(key);
    }
}
