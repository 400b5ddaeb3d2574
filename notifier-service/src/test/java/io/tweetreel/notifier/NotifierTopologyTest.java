package io.tweetreel.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.Json;
import io.tweetreel.notifier.WebhookDispatcher.Attempt;
import io.tweetreel.notifier.WebhookDispatcher.Message;
import io.tweetreel.notifier.WebhookDispatcher.Result;
import io.tweetreel.schemas.BatchOutcome;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.PlainAvroSerdeFactory;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import io.tweetreel.schemas.VideoStored;
import io.tweetreel.schemas.WebhookAction;
import io.tweetreel.schemas.WebhookCommand;
import io.tweetreel.schemas.WebhookDelivery;
import io.tweetreel.schemas.WebhookOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotifierTopologyTest {
    private static final Duration TICK = Duration.ofMillis(200);
    private static final List<Duration> SCHEDULE =
            List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2));
    private static final Duration LEASE = Duration.ofSeconds(40);
    private static final String URL = "https://hooks.example.com/reels";

    private final Topics topics = Topics.with(new PlainAvroSerdeFactory());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final FakeSender sender = new FakeSender();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, VideoRequested> requests;
    private TestInputTopic<String, JobStatus> statuses;
    private TestInputTopic<String, WebhookCommand> commands;
    private TestOutputTopic<String, WebhookDelivery> deliveries;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "notifier-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        var settings = new NotifierTopology.Settings(SCHEDULE, LEASE, Duration.ofDays(7), TICK);
        driver = new TopologyTestDriver(
                NotifierTopology.build(topics, sender, settings, clock, metrics), p, clock.instant());
        requests = driver.createInputTopic(
                Topics.VIDEOS_REQUESTED,
                topics.requested().keySerde().serializer(),
                topics.requested().valueSerde().serializer());
        statuses = driver.createInputTopic(
                Topics.VIDEOS_STATUS,
                topics.status().keySerde().serializer(),
                topics.status().valueSerde().serializer());
        commands = driver.createInputTopic(
                Topics.VIDEOS_WEBHOOK_COMMANDS,
                topics.webhookCommands().keySerde().serializer(),
                topics.webhookCommands().valueSerde().serializer());
        deliveries = driver.createOutputTopic(
                Topics.VIDEOS_WEBHOOK_DELIVERIES,
                topics.webhookDeliveries().keySerde().deserializer(),
                topics.webhookDeliveries().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aCompletedJobWithAWebhookSendsOneEventWithTheJobJsonAndMetadata() throws Exception {
        String jobId = submitWithWebhook(Map.of("campaign", "winter", "batch", "7"));
        statuses.pipeInput(jobId, JobStatuses.started(JobStep.composing_video, clock.instant()));
        JobStatus completed = completed(jobId);
        statuses.pipeInput(jobId, completed);
        statuses.pipeInput(jobId, completed);
        statuses.pipeInput(jobId, JobStatuses.failed(JobStep.saving_file, "STORAGE_FAILED", "late", clock.instant()));

        assertThat(sender.sent).hasSize(1);
        Message message = sender.sent.get(0);
        assertThat(message.webhookId())
                .isEqualTo(NotifierTopology.webhookId(jobId, "job.completed"))
                .startsWith("msg_");
        assertThat(message.url()).isEqualTo(URL);
        assertThat(message.attempt()).isEqualTo(1);
        JsonNode body = Json.MAPPER.readTree(message.body());
        assertThat(body.get("type").asText()).isEqualTo("job.completed");
        assertThat(body.get("timestamp").asText()).isEqualTo("2026-11-28T10:00:00Z");
        JsonNode data = body.get("data");
        assertThat(data.get("jobId").asText()).isEqualTo(jobId);
        assertThat(data.get("status").asText()).isEqualTo("completed");
        assertThat(data.get("progress").asInt()).isEqualTo(100);
        assertThat(data.get("result").get("filename").asText()).isEqualTo("2026-11-28_" + "a".repeat(32) + ".mp4");
        assertThat(data.get("createdAt").asText()).isEqualTo("2026-11-28T09:59:00Z");
        assertThat(data.get("metadata").get("campaign").asText()).isEqualTo("winter");
        assertThat(data.has("error")).isFalse();

        sender.finish(0, Result.DELIVERED, 200);
        tick();
        WebhookDelivery delivery = deliveries.readValue();
        assertThat(delivery.getOutcome()).isEqualTo(WebhookOutcome.delivered);
        assertThat(delivery.getStatusCode()).isEqualTo(200);
        assertThat(delivery.getAttempt()).isEqualTo(1);
        assertThat(delivery.getNextAttemptAt()).isNull();
        assertThat(delivery.getWebhookId()).isEqualTo(message.webhookId());
        assertThat(deliveries.isEmpty()).isTrue();

        advance(Duration.ofHours(1));
        assertThat(sender.sent).hasSize(1);
        assertThat(metrics.counter("tweetreel.webhook.deliveries", "outcome", "delivered")
                        .count())
                .isEqualTo(1);
        assertThat(metrics.timer("tweetreel.webhook.delivery.latency").count()).isEqualTo(1);
    }

    @Test
    void aFailedJobSendsJobFailedWithTheError() throws Exception {
        String jobId = submitWithWebhook(Map.of());
        statuses.pipeInput(
                jobId, JobStatuses.failed(JobStep.composing_video, "COMPOSE_FAILED", "ffmpeg: boom", clock.instant()));

        JsonNode body = Json.MAPPER.readTree(sender.sent.get(0).body());
        assertThat(body.get("type").asText()).isEqualTo("job.failed");
        assertThat(body.get("data").get("error").get("code").asText()).isEqualTo("COMPOSE_FAILED");
        assertThat(body.get("data").get("metadata").isEmpty()).isTrue();
        assertThat(sender.sent.get(0).webhookId())
                .isEqualTo(NotifierTopology.webhookId(jobId, "job.failed"))
                .isNotEqualTo(NotifierTopology.webhookId(jobId, "job.completed"));
    }

    @Test
    void aCanceledJobSendsJobCanceledWhereItStoppedWithoutResultAndALaterCompletionSendsNothingMore() throws Exception {
        String jobId = submitWithWebhook(Map.of("campaign", "winter"));
        statuses.pipeInput(jobId, JobStatuses.started(JobStep.composing_video, clock.instant()));
        statuses.pipeInput(jobId, JobStatuses.canceled(JobStep.composing_video, 60, clock.instant()));
        statuses.pipeInput(jobId, completed(jobId)); // storage's last word, read after the cancel

        assertThat(sender.sent).hasSize(1);
        Message message = sender.sent.get(0);
        assertThat(message.webhookId()).isEqualTo(NotifierTopology.webhookId(jobId, "job.canceled"));
        JsonNode body = Json.MAPPER.readTree(message.body());
        assertThat(body.get("type").asText()).isEqualTo("job.canceled");
        JsonNode data = body.get("data");
        assertThat(data.get("status").asText()).isEqualTo("canceled");
        assertThat(data.get("currentStep").asText()).isEqualTo("composing_video");
        assertThat(data.get("progress").asInt()).isEqualTo(60);
        assertThat(data.has("result")).isFalse();
        assertThat(data.has("error")).isFalse();
        assertThat(data.get("metadata").get("campaign").asText()).isEqualTo("winter");
    }

    @Test
    void aJobWithoutAWebhookSendsNothing() {
        String jobId = UUID.randomUUID().toString();
        requests.pipeInput(jobId, request(null, Map.of()));
        statuses.pipeInput(jobId, completed(jobId));
        advance(Duration.ofMinutes(1));

        assertThat(sender.sent).isEmpty();
        assertThat(deliveries.isEmpty()).isTrue();
    }

    @Test
    void failuresAreRetriedOnTheScheduleWithTheSameIdThenGivenUp() {
        String jobId = submitWithWebhook(Map.of());
        statuses.pipeInput(jobId, completed(jobId));
        List<Instant> attemptTimes = new ArrayList<>();
        attemptTimes.add(clock.instant());

        for (int i = 0; i <= SCHEDULE.size(); i++) {
            assertThat(sender.sent).hasSize(i + 1);
            sender.finish(i, Result.RETRYABLE, 500);
            Instant failedAt = clock.instant();
            tick();
            WebhookDelivery delivery = deliveries.readValue();
            assertThat(delivery.getAttempt()).isEqualTo(i + 1);
            assertThat(delivery.getStatusCode()).isEqualTo(500);
            assertThat(delivery.getError()).isEqualTo("HTTP 500");
            if (i == SCHEDULE.size()) {
                assertThat(delivery.getOutcome()).isEqualTo(WebhookOutcome.gave_up);
                assertThat(delivery.getNextAttemptAt()).isNull();
                break;
            }
            Instant due = failedAt.plus(SCHEDULE.get(i));
            assertThat(delivery.getOutcome()).isEqualTo(WebhookOutcome.retrying);
            assertThat(delivery.getNextAttemptAt()).isEqualTo(due);

            advanceUntil(due.minusMillis(1));
            assertThat(sender.sent).as("not before it is due").hasSize(i + 1);
            advanceUntil(due.plus(TICK));
            attemptTimes.add(clock.instant());
        }

        advance(Duration.ofHours(10));
        assertThat(sender.sent).hasSize(SCHEDULE.size() + 1);
        assertThat(sender.sent)
                .extracting(Message::webhookId)
                .containsOnly(sender.sent.get(0).webhookId());
        assertThat(sender.sent).extracting(Message::attempt).containsExactly(1, 2, 3, 4);
        assertThat(metrics.counter("tweetreel.webhook.deliveries", "outcome", "retrying")
                        .count())
                .isEqualTo(3);
        assertThat(metrics.counter("tweetreel.webhook.deliveries", "outcome", "gave_up")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        String jobId = submitWithWebhook(Map.of());
        statuses.pipeInput(jobId, completed(jobId));
        sender.finish(0, Result.PERMANENT, null);
        tick();

        WebhookDelivery delivery = deliveries.readValue();
        assertThat(delivery.getOutcome()).isEqualTo(WebhookOutcome.refused);
        assertThat(delivery.getNextAttemptAt()).isNull();
        advance(Duration.ofHours(24));
        assertThat(sender.sent).hasSize(1);
    }

    @Test
    void redeliverAfterAGiveUpSendsTheSameEventAgainOnceAndItIsNotRetried() {
        String jobId = submitWithWebhook(Map.of());
        statuses.pipeInput(jobId, completed(jobId));
        for (int i = 0; i <= SCHEDULE.size(); i++) {
            sender.finish(i, Result.RETRYABLE, 503);
            tick();
            if (i < SCHEDULE.size()) {
                advance(SCHEDULE.get(i));
            }
        }
        assertThat(deliveries.readValuesToList())
                .last()
                .extracting(WebhookDelivery::getOutcome)
                .isEqualTo(WebhookOutcome.gave_up);
        int before = sender.sent.size();

        commands.pipeInput(jobId, redeliver());

        assertThat(sender.sent).hasSize(before + 1);
        Message again = sender.sent.get(before);
        assertThat(again.webhookId()).isEqualTo(sender.sent.get(0).webhookId());
        assertThat(again.body()).isEqualTo(sender.sent.get(0).body());
        assertThat(again.attempt()).isEqualTo(before + 1);
        sender.finish(before, Result.RETRYABLE, 500);
        tick();
        assertThat(deliveries.readValue().getOutcome()).isEqualTo(WebhookOutcome.gave_up);
        advance(Duration.ofHours(1));
        assertThat(sender.sent).hasSize(before + 1);

        commands.pipeInput(jobId, redeliver());
        sender.finish(before + 1, Result.DELIVERED, 204);
        tick();
        assertThat(deliveries.readValue().getOutcome()).isEqualTo(WebhookOutcome.delivered);
    }

    @Test
    void theKeyThatMadeAJobOrBatchGoesWithEveryAttemptOfItsEvent() {
        String jobId = UUID.randomUUID().toString();
        requests.pipeInput(
                jobId,
                VideoRequested.newBuilder(request(URL, Map.of()))
                        .setKeyId("key_jobOwner000000")
                        .build());
        statuses.pipeInput(jobId, completed(jobId));
        sender.finish(0, Result.RETRYABLE, 503);
        advance(SCHEDULE.get(0).plus(TICK));
        String anonymous = submitWithWebhook(Map.of());
        statuses.pipeInput(anonymous, completed(anonymous));
        String batchId = UUID.randomUUID().toString();
        commands.pipeInput(
                batchId,
                WebhookCommand.newBuilder()
                        .setAction(WebhookAction.batch_completed)
                        .setRequestedAt(clock.instant())
                        .setWebhookUrl("https://hooks.example.com/batches")
                        .setBatch(BatchOutcome.newBuilder()
                                .setBatchId(batchId)
                                .setTotal(1)
                                .setCompleted(1)
                                .setFailed(0)
                                .setCanceled(0)
                                .build())
                        .setKeyId("key_batchOwner0000")
                        .build());

        assertThat(sender.sent)
                .extracting(Message::jobId, Message::attempt, Message::keyId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(jobId, 1, "key_jobOwner000000"),
                        org.assertj.core.groups.Tuple.tuple(jobId, 2, "key_jobOwner000000"),
                        org.assertj.core.groups.Tuple.tuple(anonymous, 1, null),
                        org.assertj.core.groups.Tuple.tuple(batchId, 1, "key_batchOwner0000"));
    }

    @Test
    void batchCompletedIsSentOnceToTheBatchWebhookRetriedAndLoggedUnderTheBatchId() throws Exception {
        String batchId = UUID.randomUUID().toString();
        WebhookCommand batchCompleted = WebhookCommand.newBuilder()
                .setAction(WebhookAction.batch_completed)
                .setRequestedAt(clock.instant())
                .setWebhookUrl("https://hooks.example.com/batches")
                .setBatch(BatchOutcome.newBuilder()
                        .setBatchId(batchId)
                        .setTotal(4)
                        .setCompleted(2)
                        .setFailed(1)
                        .setCanceled(1)
                        .setMetadata(Map.of("campaign", "spring"))
                        .build())
                .build();

        commands.pipeInput(batchId, batchCompleted);
        commands.pipeInput(batchId, batchCompleted); // a repeat sends nothing new

        assertThat(sender.sent).hasSize(1);
        Message message = sender.sent.get(0);
        assertThat(message.url()).isEqualTo("https://hooks.example.com/batches");
        assertThat(message.webhookId()).isEqualTo(NotifierTopology.webhookId(batchId, "batch.completed"));
        JsonNode body = Json.MAPPER.readTree(message.body());
        assertThat(body.get("type").asText()).isEqualTo("batch.completed");
        assertThat(body.get("data"))
                .isEqualTo(Json.MAPPER.readTree("{\"batchId\":\"" + batchId + "\",\"total\":4,\"completed\":2,"
                        + "\"failed\":1,\"canceled\":1,\"metadata\":{\"campaign\":\"spring\"}}"));

        sender.finish(0, Result.RETRYABLE, 503);
        tick();
        WebhookDelivery retrying = deliveries.readValue();
        assertThat(retrying.getOutcome()).isEqualTo(WebhookOutcome.retrying);
        assertThat(retrying.getJobId()).isEqualTo(batchId);
        assertThat(retrying.getEvent()).isEqualTo("batch.completed");
        advance(SCHEDULE.get(0));
        assertThat(sender.sent).hasSize(2);
        assertThat(sender.sent.get(1).body()).isEqualTo(message.body());
        sender.finish(1, Result.DELIVERED, 200);
        tick();
        assertThat(deliveries.readValue().getOutcome()).isEqualTo(WebhookOutcome.delivered);
    }

    @Test
    void redeliverOfAJobWithoutAnEventDoesNothing() {
        commands.pipeInput(UUID.randomUUID().toString(), redeliver());
        advance(Duration.ofSeconds(1));
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void anEndpointAtItsLimitKeepsTheEventDueUntilTheSenderTakesIt() {
        sender.accepting = false;
        String jobId = submitWithWebhook(Map.of());
        statuses.pipeInput(jobId, completed(jobId));
        advance(Duration.ofSeconds(2));
        assertThat(sender.sent).isEmpty();

        sender.accepting = true;
        tick();
        assertThat(sender.sent).hasSize(1);
        assertThat(sender.sent.get(0).attempt()).isEqualTo(1);
    }

    @Test
    void aLostResultIsRetriedWhenTheLeaseRunsOut() {
        String jobId = submitWithWebhook(Map.of());
        statuses.pipeInput(jobId, completed(jobId));
        sender.lose(0);

        advanceUntil(clock.instant().plus(LEASE).minusMillis(1));
        assertThat(sender.sent).hasSize(1);
        advance(TICK.multipliedBy(2));

        assertThat(sender.sent).hasSize(2);
        assertThat(sender.sent.get(1).webhookId()).isEqualTo(sender.sent.get(0).webhookId());
        assertThat(sender.sent.get(1).attempt()).isEqualTo(2);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private String submitWithWebhook(Map<String, String> metadata) {
        String jobId = UUID.randomUUID().toString();
        requests.pipeInput(jobId, request(URL, metadata));
        statuses.pipeInput(jobId, JobStatuses.pending(Instant.parse("2026-11-28T09:59:00Z")));
        return jobId;
    }

    private static VideoRequested request(String webhookUrl, Map<String, String> metadata) {
        return VideoRequested.newBuilder()
                .setTweetBody("hello")
                .setProfileName("Ada")
                .setUsername("ada")
                .setRequestedAt(Instant.parse("2026-11-28T09:59:00Z"))
                .setWebhookUrl(webhookUrl)
                .setMetadata(metadata)
                .build();
    }

    private JobStatus completed(String jobId) {
        VideoStored stored = VideoStored.newBuilder()
                .setFilename("2026-11-28_" + "a".repeat(32) + ".mp4")
                .setDownloadUrl("http://localhost:3000/download/2026-11-28_" + "a".repeat(32) + ".mp4")
                .setExpiresAt(Instant.parse("2026-11-29T10:00:00Z"))
                .setFileSize(1000)
                .setDurationSeconds(5.0)
                .setResolution("1080x1920")
                .setStoredAt(clock.instant())
                .build();
        return JobStatuses.completed(stored, clock.instant());
    }

    private static WebhookCommand redeliver() {
        return WebhookCommand.newBuilder()
                .setAction(WebhookAction.redeliver)
                .setRequestedAt(Instant.parse("2026-11-28T12:00:00Z"))
                .build();
    }

    /** One punctuation, without time passing for the schedule. */
    private void tick() {
        advance(TICK);
    }

    private void advance(Duration by) {
        advanceUntil(clock.instant().plus(by));
    }

    /** Moves the injected clock and the driver's wall clock together, one tick at a time up to {@code until}. */
    private void advanceUntil(Instant until) {
        while (clock.instant().isBefore(until)) {
            Duration step = Duration.between(clock.instant(), until);
            if (step.compareTo(TICK) > 0) {
                step = step.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofSeconds(30) : TICK;
            }
            clock.advance(step);
            driver.advanceWallClockTime(step);
        }
    }

    /** Records what it is handed; the test decides how each attempt ends. */
    private final class FakeSender implements WebhookDispatcher {
        final List<Message> sent = new ArrayList<>();
        final List<Consumer<Attempt>> callbacks = new ArrayList<>();
        final List<Instant> startedAt = new ArrayList<>();
        boolean accepting = true;

        @Override
        public boolean trySend(Message message, Consumer<Attempt> whenDone) {
            if (!accepting) {
                return false;
            }
            sent.add(message);
            callbacks.add(whenDone);
            startedAt.add(clock.instant());
            return true;
        }

        void finish(int index, Result result, Integer status) {
            callbacks
                    .get(index)
                    .accept(new Attempt(
                            sent.get(index),
                            result,
                            status,
                            result == Result.DELIVERED ? null : status != null ? "HTTP " + status : "refused",
                            startedAt.get(index),
                            clock.instant()));
        }

        void lose(int index) {
            callbacks.set(index, attempt -> {});
        }
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
