package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.testing.PipelineProbe;
import io.tweetreel.devstack.ProcessMemory;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VideoRequested;
import io.tweetreel.schemas.WebhookDelivery;
import io.tweetreel.schemas.WebhookOutcome;
import io.tweetreel.systemtests.WebhookReceiver.Received;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completion webhooks on the real stack: the notifier as its own process, receivers on loopback, requests published
 * straight to {@code videos.requested} with a {@code webhookUrl}. One job goes through the whole pipeline; the
 * others are requests the renderer refuses at once (a 99 s reel), so each ends with a real final status
 * ({@code failed}, {@code INVALID_REQUEST}) within a second and no render or encode: the tests take seconds.
 * Signatures are checked by {@link Received#verifies}, written from the specification.
 * The stack's notifier retries on {@value PipelineStackExtension#WEBHOOK_RETRY_SCHEDULE} with a
 * {@value PipelineStackExtension#WEBHOOK_TIMEOUT} timeout and lets webhooks go to loopback; that the default
 * refuses loopback is shown by {@code NotifierConfigTest} (default policy) with {@code WebhookSenderTest} (that
 * policy refuses {@code localhost} and {@code 169.254.169.254} without a connection).
 */
@ExtendWith(PipelineStackExtension.class)
class WebhookSystemTest {
    private static final Logger log = LoggerFactory.getLogger(WebhookSystemTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = PipelineStackExtension.WEBHOOK_SECRET;
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static PipelineProbe probe;
    private static KafkaProducer<String, Object> producer;

    @BeforeAll
    static void watchTheDeliveryLog(StackEndpoints stack) {
        probe = new PipelineProbe(stack.bootstrapServers(), stack.registryUrl());
        probe.watch(probe.topics().webhookDeliveries());
        probe.watch(probe.topics().status());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // one producer for requests and statuses: the topics' own serdes, chosen per record
        Serializer<VideoRequested> requests =
                probe.topics().requested().valueSerde().serializer();
        Serializer<JobStatus> statuses = probe.topics().status().valueSerde().serializer();
        String requestTopic = probe.topics().requested().name();
        producer = new KafkaProducer<>(
                p,
                probe.topics().requested().keySerde().serializer(),
                (topic, value) -> topic.equals(requestTopic)
                        ? requests.serialize(topic, (VideoRequested) value)
                        : statuses.serialize(topic, (JobStatus) value));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (producer != null) {
            producer.close();
        }
        if (probe != null) {
            probe.close();
        }
    }

    @Test
    void aPipelineJobsWebhookIsRetriedAfterA500ATimeoutAndARefusedConnectionUnderOneWebhookId() throws Exception {
        // 1st attempt 500, 2nd never answered (the notifier's timeout), 3rd refused (port closed), 4th 200
        try (WebhookReceiver receiver =
                WebhookReceiver.start("127.0.0.1", n -> n == 1 ? 500 : n == 2 ? WebhookReceiver.HANG : 200)) {
            String silent = UUID.randomUUID().toString();
            String jobId = UUID.randomUUID().toString();
            producer.send(new ProducerRecord<>(probe.topics().requested().name(), silent, pipelineRequest(null)));
            producer.send(new ProducerRecord<>(
                            probe.topics().requested().name(), jobId, pipelineRequest(receiver.url("/hooks/reels"))))
                    .get();

            await("the second attempt")
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> receiver.requests().size() == 2);
            receiver.stopListening();
            WebhookDelivery refused = await("the third attempt, refused")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> deliveries(jobId), log -> log.size() == 3)
                    .get(2);
            receiver.listenAgain();
            await("the fourth attempt")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> deliveries(jobId).size() == 4);

            List<WebhookDelivery> deliveries = deliveries(jobId);
            assertThat(deliveries).extracting(WebhookDelivery::getAttempt).containsExactly(1, 2, 3, 4);
            assertThat(deliveries)
                    .extracting(WebhookDelivery::getOutcome)
                    .containsExactly(
                            WebhookOutcome.retrying,
                            WebhookOutcome.retrying,
                            WebhookOutcome.retrying,
                            WebhookOutcome.delivered);
            assertThat(deliveries).extracting(WebhookDelivery::getStatusCode).containsExactly(500, null, null, 200);
            assertThat(deliveries.get(1).getError()).startsWith("timeout");
            assertThat(refused.getError()).as("a refused connection").isNotBlank();
            assertThat(deliveries.get(3).getNextAttemptAt()).isNull();
            assertThat(deliveries)
                    .extracting(WebhookDelivery::getWebhookId)
                    .containsOnly(deliveries.get(0).getWebhookId());

            List<Received> received = receiver.requests();
            assertThat(received).hasSize(3);
            assertThat(received)
                    .extracting(r -> r.header("webhook-id"))
                    .containsOnly(deliveries.get(0).getWebhookId());
            assertThat(received).allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/hooks/reels");
                assertThat(r.header("content-type")).startsWith("application/json");
                assertThat(r.verifies(SECRET, TOLERANCE))
                        .as("signature of %s", r.headers())
                        .isTrue();
            });
            assertThat(received.get(2).verifies("whsec_" + "A".repeat(44), TOLERANCE))
                    .as("another key")
                    .isFalse();

            JsonNode event = JSON.readTree(received.get(2).body());
            assertThat(event.get("type").asText()).isEqualTo("job.completed");
            assertThat(Instant.parse(event.get("timestamp").asText())).isBefore(Instant.now());
            JsonNode data = event.get("data");
            assertThat(data.at("/metadata/order").asText()).isEqualTo("A-17");
            JsonNode shown = job(jobId);
            assertThat(shown.get("status").asText()).isEqualTo("completed");
            // the job JSON as the API shows it: every field GET returns is in the event with the same value
            for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                assertThat(data.get(field.getKey()))
                        .as("data.%s", field.getKey())
                        .isEqualTo(field.getValue());
            }

            // the job without a webhookUrl, requested first, has ended too (its webhook would have been due at
            // once, while the one above needed four attempts): nothing was logged or sent for it
            await("the job without a webhook")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> job(silent).get("status").asText().equals("completed"));
            assertThat(deliveries(silent)).isEmpty();
            assertThat(received).noneMatch(r -> r.body().contains(silent));
        }
    }

    @Test
    void aNotifierKilledWhileAnAttemptIsScheduledDeliversItAfterRestartExactlyOnce(StackEndpoints stack)
            throws Exception {
        // three 500s: after the third the schedule waits 5 s, the time to kill the notifier
        try (WebhookReceiver receiver = WebhookReceiver.start("127.0.0.1", n -> n <= 3 ? 500 : 204)) {
            String jobId = publishRefusedJob(receiver.url("/kill"));
            WebhookDelivery third = await("third attempt failed")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> deliveries(jobId), log -> log.size() == 3)
                    .get(2);
            ServiceProcess notifier = PipelineStackExtension.notifier();
            notifier.kill();
            Instant killedAt = Instant.now();
            notifier.handle().orElseThrow().onExit().get();
            assertThat(third.getNextAttemptAt())
                    .as("killed while the 4th attempt was scheduled")
                    .isAfter(killedAt);
            assertThat(receiver.requests()).hasSize(3);

            notifier.start(stack);

            await("delivered after the restart")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> deliveries(jobId).size() == 4);
            List<WebhookDelivery> deliveries = deliveries(jobId);
            assertThat(deliveries)
                    .extracting(WebhookDelivery::getOutcome)
                    .containsExactly(
                            WebhookOutcome.retrying,
                            WebhookOutcome.retrying,
                            WebhookOutcome.retrying,
                            WebhookOutcome.delivered);
            // the delivered entry is committed with the schedule's end, so no later attempt can follow
            assertThat(receiver.requests()).hasSize(4);
            assertThat(receiver.requests())
                    .extracting(r -> r.header("webhook-id"))
                    .containsOnly(deliveries.get(0).getWebhookId());
            assertThat(receiver.requests()).allMatch(r -> r.verifies(SECRET, TOLERANCE));
        }
    }

    @Test
    void aReceiverThatNeverAnswersDoesNotDelayAnotherReceiversDelivery() throws Exception {
        // 127.0.0.2 is another host to the notifier: its per-endpoint limit fills with hung attempts
        try (WebhookReceiver dead = WebhookReceiver.start("127.0.0.2", n -> WebhookReceiver.HANG);
                WebhookReceiver healthy = WebhookReceiver.start("127.0.0.1", n -> 200)) {
            for (int i = 0; i < 6; i++) {
                publishRefusedJob(dead.url("/never/" + i));
            }
            await("the dead receiver's slots taken")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> dead.connections() >= 4);

            String jobId = publishRefusedJob(healthy.url("/healthy"));

            Received delivered = await().atMost(Duration.ofSeconds(30))
                    .until(healthy::requests, r -> r.size() == 1)
                    .get(0);
            assertThat(delivered.verifies(SECRET, TOLERANCE)).isTrue();
            assertThat(Duration.ofMillis(delivered.arrivedAt() - finalAt(jobId)))
                    .as("final status to the receiver")
                    .isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void aHundredJobsGetAHundredDistinctWebhooksEachOnce() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start("127.0.0.1", n -> 200)) {
            Set<String> published = new TreeSet<>();
            for (int i = 0; i < 100; i++) {
                published.add(publishRefusedJob(receiver.url("/batch")));
            }
            await("100 webhooks")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> receiver.requests().size() >= 100);
            await("100 deliveries logged")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> published.stream()
                            .allMatch(jobId -> deliveries(jobId).stream()
                                    .anyMatch(d -> d.getOutcome() == WebhookOutcome.delivered)));

            List<Received> received = receiver.requests();
            assertThat(received).hasSize(100);
            Set<String> webhookIds =
                    received.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
            assertThat(webhookIds).hasSize(100);
            assertThat(received).allMatch(r -> r.verifies(SECRET, TOLERANCE));
            List<Long> latencies = new ArrayList<>();
            Set<String> jobIds = new TreeSet<>();
            for (Received r : received) {
                String jobId = JSON.readTree(r.body()).at("/data/jobId").asText();
                jobIds.add(jobId);
                latencies.add(r.arrivedAt() - finalAt(jobId));
            }
            assertThat(jobIds).isEqualTo(published);

            Collections.sort(latencies);
            long pid = PipelineStackExtension.notifier().handle().orElseThrow().pid();
            String figures = String.format(
                    "webhook delivery latency over 100 jobs (final status written -> receiver): p50 %d ms,"
                            + " p99 %d ms, max %d ms; notifier memory: RSS %s, PSS %s",
                    percentile(latencies, 50),
                    percentile(latencies, 99),
                    latencies.get(latencies.size() - 1),
                    mib(ProcessMemory.residentBytes(pid)),
                    mib(proportionalBytes(pid)));
            log.info(figures);
            System.out.println(figures);
            Path report = Path.of("target", "webhook-figures.txt");
            Files.createDirectories(report.getParent());
            Files.writeString(report, figures + System.lineSeparator());
        }
    }

    @Test
    void theMetadataAddressStaysRefusedWithPrivateHostsAllowedAndIsNotRetried() {
        String jobId = publishRefusedJob("http://169.254.169.254/latest/meta-data/");

        await().atMost(Duration.ofSeconds(30)).until(() -> !deliveries(jobId).isEmpty());

        WebhookDelivery refused = deliveries(jobId).get(0);
        assertThat(refused.getOutcome()).isEqualTo(WebhookOutcome.refused);
        assertThat(refused.getError()).startsWith("address_not_allowed");
        assertThat(refused.getStatusCode()).isNull();
        assertThat(refused.getNextAttemptAt()).isNull();
        // a retry would come after the schedule's first delay; a tick beyond it, the log still has one entry
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> deliveries(jobId).size() == 1);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** A request through the whole pipeline: 3 s reel, metadata, a webhook when {@code webhookUrl} is not null. */
    private static VideoRequested pipelineRequest(String webhookUrl) {
        return VideoRequested.newBuilder()
                .setTweetBody("Call me when it is ready")
                .setProfileName("Hook Tester")
                .setUsername("hooks")
                .setTheme(Theme.dark)
                .setDurationSeconds(3)
                .setRequestedAt(Instant.now())
                .setWebhookUrl(webhookUrl)
                .setMetadata(Map.of("order", "A-17"))
                .build();
    }

    /**
     * A job that ends at once with a real final status: its request asks for a 99 s reel, which the renderer refuses
     * with the request rules ({@code failed}, {@code INVALID_REQUEST}) without rendering anything.
     */
    private static String publishRefusedJob(String webhookUrl) {
        String jobId = UUID.randomUUID().toString();
        try {
            producer.send(new ProducerRecord<>(
                            probe.topics().requested().name(),
                            jobId,
                            VideoRequested.newBuilder()
                                    .setTweetBody("refused at once")
                                    .setProfileName("Refused")
                                    .setUsername("refused")
                                    .setDurationSeconds(99)
                                    .setRequestedAt(Instant.now())
                                    .setWebhookUrl(webhookUrl)
                                    .setMetadata(Map.of("batch", "yes"))
                                    .build()))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("publishing job " + jobId + " failed", e);
        }
        return jobId;
    }

    /** When the job's final status was written ({@code updatedAt}), waiting for it to be seen. */
    private static long finalAt(String jobId) {
        JobStatus last = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> probe.seen(probe.topics().status(), jobId).stream()
                                .filter(JobStatuses::isFinal)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        return last.getUpdatedAt().toEpochMilli();
    }

    private static List<WebhookDelivery> deliveries(String jobId) {
        return probe.seen(probe.topics().webhookDeliveries(), jobId);
    }

    private static JsonNode job(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(PipelineStackExtension.GATEWAY + "/api/jobs/" + jobId))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** {@code Pss} of {@code /proc/<pid>/smaps_rollup}: resident memory with shared pages split among their users. */
    private static OptionalLong proportionalBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D+", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return OptionalLong.empty();
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? bytes.getAsLong() / (1024 * 1024) + " MiB" : "n/a";
    }
}
