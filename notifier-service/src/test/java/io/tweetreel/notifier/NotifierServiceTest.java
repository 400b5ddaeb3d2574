package io.tweetreel.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.Json;
import io.tweetreel.core.testing.CountingHttpServer;
import io.tweetreel.core.testing.CountingHttpServer.ReceivedRequest;
import io.tweetreel.core.testing.PipelineProbe;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.VideoRequested;
import io.tweetreel.schemas.WebhookDelivery;
import io.tweetreel.schemas.WebhookOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The notifier on the real stack (Kafka, registry) delivering to a receiver on loopback. */
@ExtendWith(DevStackExtension.class)
class NotifierServiceTest {
    static final byte[] KEY = "notifier-service-test-key-32-bytes!".getBytes(StandardCharsets.US_ASCII);
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    static NotifierService service;
    static PipelineProbe probe;
    static CountingHttpServer receiver;
    /** The receiver fails the first request of each path, then answers 200. */
    static final Map<String, AtomicInteger> requestsByPath = new ConcurrentHashMap<>();

    @BeforeAll
    static void start(StackEndpoints stack, @TempDir Path state) throws Exception {
        receiver = CountingHttpServer.start("127.0.0.1", (path, out) -> {
            int n = requestsByPath
                    .computeIfAbsent(path, p -> new AtomicInteger())
                    .incrementAndGet();
            boolean failFirst = path.startsWith("/flaky/") && n == 1;
            CountingHttpServer.status(failFirst ? 500 : 200).respond(path, out);
        });
        Map<String, String> env = new HashMap<>(stack.asEnvironment());
        env.put("WEBHOOK_SECRET", SECRET);
        env.put("WEBHOOK_ALLOW_PRIVATE_HOSTS", "true");
        env.put("WEBHOOK_RETRY_SCHEDULE", "1s,1s");
        env.put("OPS_PORT", "0");
        env.put("STATE_DIR", state.toString());
        service = new NotifierService(NotifierConfig.read(EnvConfig.of(env))).start();
        probe = new PipelineProbe(stack.bootstrapServers(), stack.registryUrl());
        probe.watch(probe.topics().webhookDeliveries());
    }

    @AfterAll
    static void stop() throws Exception {
        if (probe != null) {
            probe.close();
        }
        if (service != null) {
            service.close();
        }
        receiver.close();
    }

    @Test
    void aFinalStatusIsDeliveredSignedAndRetriedAfterA500WithTheSameWebhookId() throws Exception {
        String jobId = UUID.randomUUID().toString();
        String path = "/flaky/" + jobId;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        probe.publish(
                probe.topics().requested(),
                jobId,
                VideoRequested.newBuilder()
                        .setTweetBody("hello")
                        .setProfileName("Ada")
                        .setUsername("ada")
                        .setRequestedAt(now)
                        .setWebhookUrl(receiver.url(path))
                        .setMetadata(Map.of("order", "42"))
                        .build());
        probe.publish(probe.topics().status(), jobId, JobStatuses.pending(now));
        probe.publish(
                probe.topics().status(),
                jobId,
                JobStatuses.failed(JobStep.generating_screenshot, "RENDER_FAILED", "no browser", Instant.now()));

        await().atMost(Duration.ofSeconds(60)).until(() -> requestsTo(path).size() == 2);
        List<ReceivedRequest> requests = requestsTo(path);
        assertThat(requests)
                .extracting(r -> r.header("webhook-id"))
                .containsOnly(requests.get(0).header("webhook-id"));
        assertThat(requests).allMatch(NotifierServiceTest::verifies);
        JsonNode body = Json.MAPPER.readTree(requests.get(1).body());
        assertThat(body.get("type").asText()).isEqualTo("job.failed");
        assertThat(body.at("/data/jobId").asText()).isEqualTo(jobId);
        assertThat(body.at("/data/error/code").asText()).isEqualTo("RENDER_FAILED");
        assertThat(body.at("/data/metadata/order").asText()).isEqualTo("42");
        assertThat(body.at("/data/createdAt").asText()).isEqualTo(now.toString());

        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        probe.seen(probe.topics().webhookDeliveries(), jobId).size() == 2);
        List<WebhookDelivery> log = probe.seen(probe.topics().webhookDeliveries(), jobId);
        assertThat(log)
                .extracting(WebhookDelivery::getOutcome)
                .containsExactly(WebhookOutcome.retrying, WebhookOutcome.delivered);
        assertThat(log).extracting(WebhookDelivery::getStatusCode).containsExactly(500, 200);
        assertThat(log).extracting(WebhookDelivery::getAttempt).containsExactly(1, 2);

        Thread.sleep(1500); // a second delivery would come within a tick; none must
        assertThat(requestsTo(path)).hasSize(2);
        String metrics = get("/metrics");
        assertThat(metrics)
                .contains("tweetreel_webhook_deliveries_total{outcome=\"delivered\"")
                .contains("tweetreel_webhook_delivery_latency_seconds_count");
        assertThat(get("/health/ready")).contains("\"status\":\"UP\"");
        assertThat(get("/status")).contains("\"maxConcurrentJobs\":64");
    }

    private static List<ReceivedRequest> requestsTo(String path) {
        return receiver.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    private static String get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.opsPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Standard Webhooks verification from the spec (see WebhookSenderTest). */
    private static boolean verifies(ReceivedRequest request) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            String expected = "v1,"
                    + Base64.getEncoder()
                            .encodeToString(hmac.doFinal((request.header("webhook-id") + "."
                                            + request.header("webhook-timestamp") + "." + request.bodyText())
                                    .getBytes(StandardCharsets.UTF_8)));
            return List.of(request.header("webhook-signature").split(" ")).contains(expected);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
