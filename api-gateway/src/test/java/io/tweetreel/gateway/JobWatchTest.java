package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoComposed;
import io.tweetreel.schemas.VideoRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job watch against {@link TopologyTestDriver}: records are "consumed" by a stage when the test moves that
 * stage's committed offset ({@link FakeQueuePositions}), and time passes with the driver's wall clock.
 */
class JobWatchTest {
    private static final String JOB = "5f0c2d7e-8a47-4a55-9c6e-3f1b2a9d4e10";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final VideoRequested REQUEST = VideoRequested.newBuilder()
            .setTweetBody("hello")
            .setProfileName("Ada")
            .setUsername("ada")
            .build();
    private static final ScreenshotReady SCREENSHOT = ScreenshotReady.newBuilder()
            .setScreenshotKey(ObjectLayout.cardKey(JOB))
            .setWidth(1080)
            .setHeight(1920)
            .setRenderedAt(T0)
            .build();

    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private final FakeQueuePositions queues = new FakeQueuePositions();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private Instant now = T0;
    private TestInputTopic<String, JobStatus> status;
    private TestInputTopic<String, VideoRequested> requested;
    private TestInputTopic<String, ScreenshotReady> screenshot;
    private TestInputTopic<String, VideoComposed> composed;
    private TestOutputTopic<String, VideoRequested> requestedOut;
    private TestOutputTopic<String, ScreenshotReady> screenshotOut;
    private TestOutputTopic<String, VideoComposed> composedOut;
    private TestOutputTopic<String, JobStatus> statusOut;
    private KeyValueStore<String, JobStatus> table;
    private KeyValueStore<String, WatchedJob> watched;

    /** The batch scheduler's window in these tests: the third item of a batch waits. */
    private static final int BATCH_WINDOW = 2;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gateway-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                JobStatusTopology.build(
                        topics,
                        TIMEOUT,
                        BATCH_WINDOW,
                        queues,
                        new FiledVideoRemover(new InMemoryObjectStore(), "videos", Runnable::run),
                        meters),
                props,
                T0);
        StringSerializer keys = new StringSerializer();
        status = driver.createInputTopic(
                Topics.VIDEOS_STATUS, keys, topics.status().valueSerde().serializer());
        requested = driver.createInputTopic(
                Topics.VIDEOS_REQUESTED, keys, topics.requested().valueSerde().serializer());
        screenshot = driver.createInputTopic(
                Topics.VIDEOS_SCREENSHOT, keys, topics.screenshot().valueSerde().serializer());
        composed = driver.createInputTopic(
                Topics.VIDEOS_COMPOSED, keys, topics.composed().valueSerde().serializer());
        StringDeserializer keyReader = new StringDeserializer();
        requestedOut = driver.createOutputTopic(
                Topics.VIDEOS_REQUESTED,
                keyReader,
                topics.requested().valueSerde().deserializer());
        screenshotOut = driver.createOutputTopic(
                Topics.VIDEOS_SCREENSHOT,
                keyReader,
                topics.screenshot().valueSerde().deserializer());
        composedOut = driver.createOutputTopic(
                Topics.VIDEOS_COMPOSED,
                keyReader,
                topics.composed().valueSerde().deserializer());
        statusOut = driver.createOutputTopic(
                Topics.VIDEOS_STATUS, keyReader, topics.status().valueSerde().deserializer());
        table = driver.getKeyValueStore(JobStatusTopology.STATUS_STORE);
        watched = driver.getKeyValueStore(JobWatch.STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** Lets wall-clock time pass the way it does for the gateway: one scan interval after another. */
    private void elapse(Duration duration) {
        Duration step = JobWatch.scanInterval(TIMEOUT);
        for (Duration left = duration; !left.isNegative() && !left.isZero(); left = left.minus(step)) {
            Duration tick = left.compareTo(step) < 0 ? left : step;
            now = now.plus(tick);
            driver.advanceWallClockTime(tick);
        }
    }

    private void submit() {
        requested.pipeInput(JOB, REQUEST, now); // the gateway's pending comes with it (request-as-pending)
    }

    private void stageStarts(JobStep step) {
        status.pipeInput(JOB, JobStatuses.started(step, now), now);
    }

    private JobStatus job() {
        return table.get(JOB);
    }

    private double counted(String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum(); // over every step
    }

    @Test
    void aQueuedJobIsNeverRedrivenNorFailedHoweverLongItWaits() {
        submit();
        elapse(Duration.ofHours(2));
        // the renderer has read up to the request, but not the request itself
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 0);
        elapse(Duration.ofHours(2));

        assertThat(requestedOut.isEmpty()).isTrue();
        assertThat(statusOut.isEmpty()).isTrue();
        assertThat(job().getStatus()).isEqualTo(JobState.pending);
        assertThat(counted("tweetreel.jobs.redriven")).isZero();
    }

    @Test
    void aBatchItemWaitingForItsTurnIsNotStalledAndIsWatchedOnceReleased() {
        TestInputTopic<String, VideoRequested> batchQueue = driver.createInputTopic(
                Topics.VIDEOS_BATCH_QUEUE,
                new StringSerializer(),
                topics.batchQueue().valueSerde().serializer());
        String batchId = "0b9f3c1e-2d4a-4e6b-8c7d-9e0f1a2b3c4d";
        List<String> items = List.of(
                "11111111-1111-4111-8111-111111111111",
                "22222222-2222-4222-8222-222222222222",
                "33333333-3333-4333-8333-333333333333");
        for (String item : items) { // one more than the batch scheduler's window here
            batchQueue.pipeInput(
                    item, VideoRequested.newBuilder(REQUEST).setBatchId(batchId).build(), now);
            status.pipeInput(item, JobStatuses.pending(now), now);
        }
        String held = items.get(2);
        assertThat(requestedOut.readKeyValuesToList()).extracting(kv -> kv.key).doesNotContain(held);

        elapse(Duration.ofHours(2));
        assertThat(statusOut.isEmpty()).as("nothing failed").isTrue();
        assertThat(table.get(held).getStatus()).isEqualTo(JobState.pending);
        assertThat(counted("tweetreel.jobs.redriven")).isZero();

        status.pipeInput(items.get(0), JobStatuses.failed(JobStep.queued, "X", "gone", now), now);
        assertThat(requestedOut.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(held);
        // the renderer read every release (offsets 0 to 2), then lost them: both unfinished items are re-driven
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 3);
        elapse(TIMEOUT.plusSeconds(30));
        assertThat(requestedOut.readKeyValuesToList())
                .extracting(kv -> kv.key)
                .containsExactlyInAnyOrder(items.get(1), held);
        assertThat(counted("tweetreel.jobs.redriven")).isEqualTo(2);
    }

    @Test
    void aConsumedAndLostRequestIsPublishedAgainOnceThenTheJobFailsWithItsStep() {
        submit();
        stageStarts(JobStep.generating_screenshot);
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1); // read, then lost: no screenshot, no status ever

        elapse(TIMEOUT.minusSeconds(30));
        assertThat(requestedOut.isEmpty()).as("not before JOB_TIMEOUT").isTrue();
        elapse(Duration.ofSeconds(30));
        List<KeyValue<String, VideoRequested>> again = requestedOut.readKeyValuesToList();
        assertThat(again).containsExactly(KeyValue.pair(JOB, REQUEST));
        assertThat(counted("tweetreel.jobs.redriven")).isEqualTo(1);
        assertThat(job().getStatus()).as("re-driving is not failing").isEqualTo(JobState.processing);

        // the re-published request is read back at offset 1, and lost as well
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 2);
        elapse(TIMEOUT.minusSeconds(30));
        assertThat(statusOut.isEmpty()).isTrue();
        elapse(Duration.ofSeconds(30));

        JobStatus failed = statusOut.readValue();
        assertThat(failed.getStatus()).isEqualTo(JobState.failed);
        assertThat(failed.getError().getCode()).isEqualTo("JOB_TIMED_OUT");
        assertThat(failed.getError().getStep()).isEqualTo(JobStep.generating_screenshot);
        assertThat(failed.getError().getMessage())
                .isEqualTo("no progress for 5m at generating_screenshot, also not after it was re-driven at "
                        + T0.plus(TIMEOUT));
        assertThat(job().getStatus()).isEqualTo(JobState.failed);
        assertThat(counted("tweetreel.jobs.timed.out")).isEqualTo(1);

        elapse(Duration.ofHours(1));
        assertThat(requestedOut.isEmpty()).as("re-driven once").isTrue();
        assertThat(statusOut.isEmpty()).as("failed once").isTrue();
        assertThat(watched.get(JOB)).as("a final job is not watched").isNull();
    }

    @Test
    void aJobStuckComposingGetsItsScreenshotPublishedAgainNotItsRequest() {
        submit();
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1);
        stageStarts(JobStep.generating_screenshot);
        elapse(Duration.ofSeconds(5));
        screenshot.pipeInput(JOB, SCREENSHOT, now);
        stageStarts(JobStep.composing_video);
        queues.consumedUpTo(Topics.VIDEOS_SCREENSHOT, 1); // the composer took it, then nothing

        elapse(TIMEOUT.plusSeconds(30));

        assertThat(screenshotOut.readKeyValuesToList()).containsExactly(KeyValue.pair(JOB, SCREENSHOT));
        assertThat(requestedOut.isEmpty()).isTrue();
        assertThat(statusOut.isEmpty()).isTrue();
    }

    @Test
    void aJobWhoseNextMoveMaySitInAnOpenTransactionIsNotJudgedUntilItHasEnded() {
        submit();
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1);
        stageStarts(JobStep.generating_screenshot);
        screenshot.pipeInput(JOB, SCREENSHOT, now);
        stageStarts(JobStep.composing_video);
        queues.consumedUpTo(Topics.VIDEOS_SCREENSHOT, 1);
        // the composer's output (and the storage's statuses behind it) wait in a transaction nobody can read yet
        queues.openTransaction(Topics.VIDEOS_COMPOSED, true);

        elapse(TIMEOUT.multipliedBy(3));
        assertThat(screenshotOut.isEmpty())
                .as("not re-driven while the transaction is open")
                .isTrue();
        assertThat(statusOut.isEmpty()).isTrue();

        queues.openTransaction(Topics.VIDEOS_COMPOSED, false); // it ended, and nothing came of it
        elapse(JobWatch.scanInterval(TIMEOUT));
        assertThat(screenshotOut.readKeyValuesToList()).containsExactly(KeyValue.pair(JOB, SCREENSHOT));
    }

    @Test
    void aJobThatMovesAfterItsRedriveIsNotFailedAndMayBeRedrivenOnceMoreAtItsNextStep() {
        submit();
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1);
        elapse(TIMEOUT.plusSeconds(30));
        assertThat(requestedOut.readValuesToList()).containsExactly(REQUEST);

        // the renderer takes the re-published request and gets the job to the composer, which loses it
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 2);
        stageStarts(JobStep.generating_screenshot);
        elapse(Duration.ofMinutes(1));
        screenshot.pipeInput(JOB, SCREENSHOT, now);
        stageStarts(JobStep.composing_video);
        queues.consumedUpTo(Topics.VIDEOS_SCREENSHOT, 1);
        elapse(TIMEOUT.plusSeconds(30));
        assertThat(screenshotOut.readValuesToList())
                .as("re-driven at its new step")
                .containsExactly(SCREENSHOT);

        // this time the composer finishes, and so does storage
        stageStarts(JobStep.composing_video);
        elapse(Duration.ofMinutes(1));
        composed.pipeInput(
                JOB,
                VideoComposed.newBuilder()
                        .setVideoKey(ObjectLayout.videoKey(JOB))
                        .setDurationSeconds(5.0)
                        .setFileSize(1000)
                        .setWidth(1080)
                        .setHeight(1920)
                        .setComposedAt(now)
                        .build(),
                now);
        stageStarts(JobStep.saving_file);
        status.pipeInput(JOB, completed(now), now);
        elapse(Duration.ofHours(1));

        assertThat(statusOut.isEmpty()).as("never failed").isTrue();
        assertThat(composedOut.isEmpty()).isTrue();
        assertThat(job().getStatus()).isEqualTo(JobState.completed);
        assertThat(counted("tweetreel.jobs.redriven")).isEqualTo(2);
    }

    @Test
    void aCompletedJobIsNeverTouched() {
        submit();
        stageStarts(JobStep.generating_screenshot);
        screenshot.pipeInput(JOB, SCREENSHOT, now);
        stageStarts(JobStep.composing_video);
        stageStarts(JobStep.saving_file);
        status.pipeInput(JOB, completed(now), now);
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1).consumedUpTo(Topics.VIDEOS_SCREENSHOT, 1);

        elapse(Duration.ofHours(2));

        assertThat(requestedOut.isEmpty()).isTrue();
        assertThat(screenshotOut.isEmpty()).isTrue();
        assertThat(statusOut.isEmpty()).isTrue();
        assertThat(job().getStatus()).isEqualTo(JobState.completed);
        assertThat(watched.get(JOB)).as("its watch state is dropped").isNull();
    }

    @Test
    void whileKafkaCannotSayWhetherTheRequestWasConsumedNobodyIsJudged() {
        submit();
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1).unreachable(true);
        elapse(Duration.ofMinutes(30));
        assertThat(requestedOut.isEmpty()).isTrue();
        assertThat(statusOut.isEmpty()).isTrue();
        assertThat(queues.reads()).as("asked at every scan").isGreaterThan(40);

        queues.unreachable(false);
        elapse(JobWatch.scanInterval(TIMEOUT));
        assertThat(requestedOut.isEmpty())
                .as("judged by the reading before the current one, and there was none")
                .isTrue();
        elapse(JobWatch.scanInterval(TIMEOUT));
        assertThat(requestedOut.readValuesToList()).containsExactly(REQUEST);
    }

    @Test
    void aJobThatMovedWhileTheStatusTableLaggedIsNotRedriven() {
        submit();
        // the renderer took the request and says so, but the gateway's table has not read that yet (failover)
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1).statusTableLags(true);
        elapse(TIMEOUT.plus(JobWatch.scanInterval(TIMEOUT).multipliedBy(3)));
        assertThat(requestedOut.isEmpty()).as("not judged while the table lags").isTrue();

        stageStarts(JobStep.generating_screenshot); // the table catches up
        queues.statusTableLags(false);
        elapse(JobWatch.scanInterval(TIMEOUT).multipliedBy(2));
        assertThat(requestedOut.isEmpty()).as("it had moved: not re-driven").isTrue();
        assertThat(counted("tweetreel.jobs.redriven")).isZero();
    }

    @Test
    void aJobLostWhileTheStatusTableLaggedIsRedrivenOnceTheTableHasCaughtUp() {
        submit();
        stageStarts(JobStep.generating_screenshot);
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1).statusTableLags(true);
        elapse(TIMEOUT.plus(JobWatch.scanInterval(TIMEOUT)));
        assertThat(requestedOut.isEmpty()).isTrue();

        queues.statusTableLags(false); // caught up, and nothing came of the job
        elapse(JobWatch.scanInterval(TIMEOUT).multipliedBy(2));
        assertThat(requestedOut.readValuesToList()).containsExactly(REQUEST);
    }

    @Test
    void aJobKnownOnlyByItsStatusHasNothingToRepublishAndFailsAtTheNextStall() {
        stageStarts(JobStep.saving_file); // its events were never seen (e.g. older than the topics' retention)
        elapse(TIMEOUT.plusSeconds(30));
        assertThat(statusOut.isEmpty()).isTrue();
        assertThat(queues.reads()).as("nothing to ask Kafka about").isPositive();

        elapse(TIMEOUT);
        JobStatus failed = statusOut.readValue();
        assertThat(failed.getError().getCode()).isEqualTo("JOB_TIMED_OUT");
        assertThat(failed.getError().getStep()).isEqualTo(JobStep.saving_file);
        assertThat(requestedOut.isEmpty()).isTrue();
        assertThat(composedOut.isEmpty()).isTrue();
    }

    @Test
    void aRecordDeletedByRetentionBeforeItsStageReadItIsNotQueuedAnyMore() {
        submit();
        queues.deletedUpTo(Topics.VIDEOS_REQUESTED, 1); // nothing consumed, but the request is gone
        elapse(TIMEOUT.plusSeconds(30));
        assertThat(requestedOut.readValuesToList()).containsExactly(REQUEST);
    }

    @Test
    void anEarlierStepsEventReadLateDoesNotTakeTheJobBack() {
        screenshot.pipeInput(JOB, SCREENSHOT, now);
        stageStarts(JobStep.composing_video);
        submit(); // e.g. a client publishing the same request again
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1).consumedUpTo(Topics.VIDEOS_SCREENSHOT, 1);
        elapse(TIMEOUT.plusSeconds(30));
        assertThat(screenshotOut.readValuesToList()).containsExactly(SCREENSHOT);
        assertThat(requestedOut.isEmpty()).isTrue();
    }

    @Test
    void aRecordWhoseKeyIsNotAJobIdIsNotWatched() {
        requested.pipeInput("not-a-job", REQUEST, now);
        queues.consumedUpTo(Topics.VIDEOS_REQUESTED, 1);
        elapse(Duration.ofHours(1));
        assertThat(requestedOut.isEmpty()).isTrue();
        assertThat(statusOut.isEmpty()).isTrue();
    }

    @Test
    void scansAtAFifthOfTheTimeoutAndAtLeastEveryHalfMinute() {
        assertThat(JobWatch.scanInterval(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(2));
        assertThat(JobWatch.scanInterval(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
        assertThat(JobWatch.scanInterval(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
    }

    private static JobStatus completed(Instant at) {
        return JobStatus.newBuilder()
                .setStatus(JobState.completed)
                .setProgress(100)
                .setCurrentStep(JobStep.completed)
                .setUpdatedAt(at)
                .setJobResult(JobResult.newBuilder()
                        .setFilename("2026-11-28_" + "a".repeat(32) + ".mp4")
                        .setDownloadUrl("http://localhost:3000/download/x")
                        .setExpiresAt(at)
                        .setFileSize(1000)
                        .setDuration(5.0)
                        .setResolution("1080x1920")
                        .build())
                .build();
    }
}
