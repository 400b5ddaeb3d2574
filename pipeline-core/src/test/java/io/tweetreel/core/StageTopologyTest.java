package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.schemas.JobCancellation;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.ScreenshotReady;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stage skeleton against {@link TopologyTestDriver}: success, permanent and transient failures, poison. */
class StageTopologyTest {
    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private final List<JobStatus> announced = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JobTracker tracker = new JobTracker("renderer", meters);
    private TopologyTestDriver driver;
    private TestInputTopic<String, VideoRequested> input;
    private TestOutputTopic<String, ScreenshotReady> output;
    private TestOutputTopic<String, JobStatus> status;
    private TestOutputTopic<byte[], byte[]> deadLetter;
    private final JobCancellations cancellations = new JobCancellations();
    private final List<String> deletedWorkObjects = new CopyOnWriteArrayList<>();
    private TestInputTopic<String, JobCancellation> cancels;

    private void start(StageWork<VideoRequested, ScreenshotReady> work) {
        start(work, new RetrySettings(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(2)));
    }

    private void start(StageWork<VideoRequested, ScreenshotReady> work, RetrySettings retry) {
        start(work, retry, null);
    }

    private void start(
            StageWork<VideoRequested, ScreenshotReady> work,
            RetrySettings retry,
            Function<ScreenshotReady, JobStatus> successStatus) {
        StageDefinition<VideoRequested, ScreenshotReady> stage = new StageDefinition<>(
                "renderer",
                topics.requested(),
                topics.screenshot(),
                topics.status(),
                topics.cancellations(),
                JobStep.generating_screenshot,
                "RENDER_FAILED",
                successStatus);
        StageRuntime runtime = new StageRuntime(
                (jobId, s) -> announced.add(s),
                tracker,
                retry,
                Clock.systemUTC(),
                cancellations,
                deletedWorkObjects::add);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class);
        props.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.VIDEOS_DEAD_LETTER);
        driver = new TopologyTestDriver(StageTopology.build(stage, work, runtime), props);
        input = driver.createInputTopic(
                Topics.VIDEOS_REQUESTED,
                new StringSerializer(),
                topics.requested().valueSerde().serializer());
        output = driver.createOutputTopic(
                Topics.VIDEOS_SCREENSHOT,
                topics.screenshot().keySerde().deserializer(),
                topics.screenshot().valueSerde().deserializer());
        status = driver.createOutputTopic(
                Topics.VIDEOS_STATUS,
                topics.status().keySerde().deserializer(),
                topics.status().valueSerde().deserializer());
        cancels = driver.createInputTopic(
                Topics.VIDEOS_CANCELLATIONS,
                new StringSerializer(),
                topics.cancellations().valueSerde().serializer());
        deadLetter = driver.createOutputTopic(
                Topics.VIDEOS_DEAD_LETTER,
                topics.deadLetter().keySerde().deserializer(),
                topics.deadLetter().valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static VideoRequested request(String body) {
        return VideoRequested.newBuilder()
                .setTweetBody(body)
                .setProfileName("Ada")
                .setUsername("ada")
                .build();
    }

    private static ScreenshotReady screenshot(String jobId) {
        return ScreenshotReady.newBuilder()
                .setScreenshotKey(ObjectLayout.cardKey(jobId))
                .setWidth(1080)
                .setHeight(1920)
                .setDurationSeconds(5)
                .setRenderedAt(Instant.now())
                .build();
    }

    @Test
    void successAnnouncesTheStepThenWritesTheOutput() {
        start(job -> screenshot(job.jobId()));
        String jobId = UUID.randomUUID().toString();
        input.pipeInput(jobId, request("hello"));

        assertThat(announced).singleElement().satisfies(s -> {
            assertThat(s.getStatus()).isEqualTo(JobState.processing);
            assertThat(s.getCurrentStep()).isEqualTo(JobStep.generating_screenshot);
            assertThat(s.getProgress()).isEqualTo(20);
        });
        var out = output.readKeyValue();
        assertThat(out.key).isEqualTo(jobId);
        assertThat(out.value.getScreenshotKey()).isEqualTo(ObjectLayout.cardKey(jobId));
        assertThat(status.isEmpty()).isTrue();
        assertThat(meters.counter("tweetreel.jobs.succeeded", "stage", "renderer")
                        .count())
                .isEqualTo(1.0);
        assertThat(tracker.currentJobCount()).isZero();
    }

    @Test
    void successStatusIsWrittenWithTheOutputOnlyWhenTheStageHasOneForIt() {
        RetrySettings retry = new RetrySettings(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(2));
        // a status only for outputs of a long body: the other output has nothing to report
        start(
                job -> job.input().getTweetBody().length() > 5
                        ? ScreenshotReady.newBuilder(screenshot(job.jobId()))
                                .setWidth(1920)
                                .build()
                        : screenshot(job.jobId()),
                retry,
                out -> out.getWidth() == 1920
                        ? JobStatuses.started(JobStep.generating_screenshot, Instant.EPOCH)
                        : null);
        String quiet = UUID.randomUUID().toString();
        String talkative = UUID.randomUUID().toString();
        input.pipeInput(quiet, request("hello"));
        input.pipeInput(talkative, request("hello, world"));

        assertThat(output.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(quiet, talkative);
        List<TestRecord<String, JobStatus>> written = status.readRecordsToList();
        assertThat(written).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(talkative);
            assertThat(record.value()).isNotNull();
            assertThat(record.value().getCurrentStep()).isEqualTo(JobStep.generating_screenshot);
        });
    }

    @Test
    void permanentFailureFailsTheJobAtOnceWithItsCode() {
        AtomicInteger attempts = new AtomicInteger();
        start(job -> {
            attempts.incrementAndGet();
            throw new JobFailure("INVALID_REQUEST", "tweetBody must not be empty");
        });
        String jobId = UUID.randomUUID().toString();
        input.pipeInput(jobId, request(""));

        assertThat(attempts).hasValue(1);
        assertThat(output.isEmpty()).isTrue();
        JobStatus failed = status.readValue();
        assertThat(failed.getStatus()).isEqualTo(JobState.failed);
        assertThat(failed.getError().getCode()).isEqualTo("INVALID_REQUEST");
        assertThat(failed.getError().getMessage()).isEqualTo("tweetBody must not be empty");
        assertThat(failed.getError().getStep()).isEqualTo(JobStep.generating_screenshot);
    }

    @Test
    void transientFailureIsRetriedUntilItSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        start(job -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("connection refused");
            }
            return screenshot(job.jobId());
        });
        input.pipeInput(UUID.randomUUID().toString(), request("hello"));

        assertThat(attempts).hasValue(3);
        assertThat(output.readValue()).isNotNull();
        assertThat(status.isEmpty()).isTrue();
    }

    @Test
    void transientFailureThatOutlastsTheRetriesFailsWithTheStageCode() {
        start(job -> {
            throw new IOException("object store unreachable");
        });
        input.pipeInput(UUID.randomUUID().toString(), request("hello"));

        JobStatus failed = status.readValue();
        assertThat(failed.getError().getCode()).isEqualTo("RENDER_FAILED");
        assertThat(failed.getError().getMessage()).isEqualTo("object store unreachable");
        assertThat(output.isEmpty()).isTrue();
    }

    @Test
    void anUnreadableCancellationIsSkippedAndLaterCancelsAndJobsStillWork() {
        start(job -> screenshot(job.jobId()));
        TestInputTopic<String, byte[]> raw =
                driver.createInputTopic(Topics.VIDEOS_CANCELLATIONS, new StringSerializer(), new ByteArraySerializer());
        String garbled = UUID.randomUUID().toString();
        raw.pipeInput(garbled, "not avro at all".getBytes(StandardCharsets.UTF_8));
        String canceledId = UUID.randomUUID().toString();
        cancels.pipeInput(canceledId, cancellation());

        input.pipeInput(garbled, request("its cancel was unreadable, so it runs"));
        input.pipeInput(canceledId, request("canceled after the garbage"));
        assertThat(output.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(garbled);
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndTheNextJobStillRuns() {
        start(job -> screenshot(job.jobId()));
        TestInputTopic<String, byte[]> raw =
                driver.createInputTopic(Topics.VIDEOS_REQUESTED, new StringSerializer(), new ByteArraySerializer());
        String poisonId = UUID.randomUUID().toString();
        raw.pipeInput(poisonId, "not avro at all".getBytes(StandardCharsets.UTF_8));
        input.pipeInput(UUID.randomUUID().toString(), request("after the poison"));

        TestRecord<byte[], byte[]> dead = deadLetter.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(poisonId);
        assertThat(headerNames(dead)).anyMatch(h -> h.contains("exception"));
        assertThat(output.getQueueSize()).isEqualTo(1);
    }

    @Test
    void recordWhoseKeyIsNotAJobIdIsDeadLettered() {
        start(job -> screenshot(job.jobId()));
        input.pipeInput("not-a-uuid", request("hello"));
        input.pipeInput(UUID.randomUUID().toString(), request("next"));

        TestRecord<byte[], byte[]> dead = deadLetter.readRecord();
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("not-a-uuid");
        assertThat(headerValues(dead)).anyMatch(v -> v.contains("must be a job id"));
        assertThat(output.getQueueSize()).isEqualTo(1);
        assertThat(announced).hasSize(1);
    }

    @Test
    void progressIsThrottledAndNeverGoesBackwards() {
        start(job -> {
            for (int p = 60; p < 80; p++) {
                job.progress().report(p);
            }
            return screenshot(job.jobId());
        });
        input.pipeInput(UUID.randomUUID().toString(), request("hello"));
        // the start announcement plus at most one progress update within 250 ms
        assertThat(announced).hasSizeBetween(1, 3);
        assertThat(announced.stream().mapToInt(JobStatus::getProgress)).isSorted();
    }

    private static JobCancellation cancellation() {
        return JobCancellation.newBuilder().setRequestedAt(Instant.now()).build();
    }

    @Test
    void jobCanceledBeforeItsRecordArrivesIsSkippedWithoutStatusOrOutput() {
        AtomicInteger attempts = new AtomicInteger();
        start(job -> {
            attempts.incrementAndGet();
            return screenshot(job.jobId());
        });
        String canceledId = UUID.randomUUID().toString();
        String otherId = UUID.randomUUID().toString();
        cancels.pipeInput(canceledId, cancellation());
        input.pipeInput(canceledId, request("never rendered"));
        input.pipeInput(otherId, request("rendered"));

        assertThat(attempts).hasValue(1);
        assertThat(output.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(otherId);
        assertThat(status.isEmpty()).isTrue();
        assertThat(announced).hasSize(1); // the other job's start only
        assertThat(deletedWorkObjects).containsExactly(canceledId);
        assertThat(meters.counter("tweetreel.jobs.canceled", "stage", "renderer")
                        .count())
                .isEqualTo(1.0);
        assertThat(tracker.currentJobCount()).isZero();
    }

    @Test
    void cancelRestoredIntoTheStoreAtStartUpIsSeenToo() {
        // a restore fills the store without calling the store's processor: the lookup must read the store
        AtomicInteger attempts = new AtomicInteger();
        start(job -> {
            attempts.incrementAndGet();
            return screenshot(job.jobId());
        });
        String jobId = UUID.randomUUID().toString();
        driver.<String, byte[]>getKeyValueStore(JobCancellations.STORE)
                .put(jobId, topics.cancellations().valueSerde().serializer().serialize("t", cancellation()));
        input.pipeInput(jobId, request("canceled before this instance started"));

        assertThat(attempts).hasValue(0);
        assertThat(output.isEmpty()).isTrue();
        assertThat(status.isEmpty()).isTrue();
    }

    @Test
    void jobCanceledDuringItsWorkIsStoppedAndForwardsNothing() {
        AtomicBoolean stopped = new AtomicBoolean();
        start(job -> {
            job.onCancel(() -> stopped.set(true));
            // what the global thread does when the cancel is read while the job runs
            cancellations.cancel(job.jobId());
            return screenshot(job.jobId());
        });
        String jobId = UUID.randomUUID().toString();
        input.pipeInput(jobId, request("canceled mid-render"));

        assertThat(stopped).isTrue();
        assertThat(output.isEmpty()).isTrue();
        assertThat(status.isEmpty()).isTrue();
        assertThat(deletedWorkObjects).containsExactly(jobId);
        assertThat(meters.counter("tweetreel.jobs.canceled", "stage", "renderer")
                        .count())
                .isEqualTo(1.0);
        assertThat(tracker.currentJobCount()).isZero();
    }

    @Test
    void workThatFailsBecauseItWasStoppedDoesNotFailTheJob() {
        start(job -> {
            cancellations.cancel(job.jobId());
            // e.g. the composer's ffmpeg, killed by the cancel, exits with an error
            throw new IOException("ffmpeg exited with signal 9");
        });
        String jobId = UUID.randomUUID().toString();
        input.pipeInput(jobId, request("canceled mid-compose"));

        assertThat(status.isEmpty()).isTrue();
        assertThat(output.isEmpty()).isTrue();
        assertThat(deletedWorkObjects).containsExactly(jobId);
    }

    @Test
    void retriesStopAtOnceWhenTheJobIsCanceledDuringABackoffDelay() {
        String jobId = UUID.randomUUID().toString();
        AtomicInteger attempts = new AtomicInteger();
        // ten seconds between attempts, for a minute: only the cancel can end this job quickly
        start(
                job -> {
                    if (!job.jobId().equals(jobId)) {
                        return screenshot(job.jobId());
                    }
                    attempts.incrementAndGet();
                    throw new IOException("object store unreachable");
                },
                new RetrySettings(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(1)));
        ExecutorService globalThread = Executors.newSingleThreadExecutor();
        try {
            globalThread.submit(() -> {
                await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
                cancellations.cancel(jobId);
            });
            long started = System.nanoTime();
            input.pipeInput(jobId, request("canceled while waiting to retry"));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            globalThread.shutdownNow();
        }
        assertThat(attempts).hasValue(1);
        assertThat(status.isEmpty()).isTrue();
        assertThat(output.isEmpty()).isTrue();
        // the wake-up leaves no interrupt behind: the next job runs and forwards on the same thread
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        String nextId = UUID.randomUUID().toString();
        input.pipeInput(nextId, request("next"));
        assertThat(output.readKeyValue().key).isEqualTo(nextId);
    }

    private static List<String> headerNames(TestRecord<byte[], byte[]> r) {
        List<String> names = new ArrayList<>();
        for (Header h : r.headers()) {
            names.add(h.key());
        }
        return names;
    }

    private static List<String> headerValues(TestRecord<byte[], byte[]> r) {
        List<String> values = new ArrayList<>();
        for (Header h : r.headers()) {
            if (h.value() != null) {
                values.add(new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
