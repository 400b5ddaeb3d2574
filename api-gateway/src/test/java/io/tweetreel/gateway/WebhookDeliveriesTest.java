package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.WebhookEvents;
import io.tweetreel.schemas.JobStep;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /api/jobs/{id}/deliveries and POST .../deliveries/redeliver, over HTTP with the Kafka side faked. */
class WebhookDeliveriesTest {
    private static final String JOB = "5f0c2d7e-8a47-4a55-9c6e-3f1b2a9d4e10";
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final RequestSummary WITH_WEBHOOK = new RequestSummary("f".repeat(64), Map.of(), true);

    @RegisterExtension
    static final GatewayFixture gateway = new GatewayFixture(java.time.Clock.systemUTC(), Duration.ofSeconds(15));

    private static final TestHttp http = gateway.http;

    private static HttpResponse<byte[]> redeliver(String jobId) {
        return http.send("POST", "/api/jobs/" + jobId + "/deliveries/redeliver", Map.of(), null);
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
        assertThat(TestHttp.json(response).get("type").asText()).isEqualTo(type);
    }

    @Test
    void listsTheAttemptsOldestFirstWithAbsentValuesAsNull() {
        gateway.jobs.update(JOB, JobLookupTest.completed(T0.plusSeconds(4)));
        gateway.jobs.deliveries.put(
                JOB,
                new DeliveryLog(List.of(
                        new DeliveryLog.Entry(
                                "msg_1",
                                "job.completed",
                                1,
                                T0.plusSeconds(5),
                                "retrying",
                                null,
                                "connection refused",
                                3,
                                T0.plusSeconds(10)),
                        new DeliveryLog.Entry(
                                "msg_1", "job.completed", 2, T0.plusSeconds(10), "delivered", 204, null, 41, null))));

        HttpResponse<byte[]> response = http.get("/api/jobs/" + JOB + "/deliveries");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttp.text(response))
                .isEqualTo("{\"deliveries\":["
                        + "{\"webhookId\":\"msg_1\",\"event\":\"job.completed\",\"attempt\":1,\"at\":\"2026-11-28T10:00:05Z\","
                        + "\"outcome\":\"retrying\",\"statusCode\":null,\"error\":\"connection refused\",\"durationMs\":3,"
                        + "\"nextAttemptAt\":\"2026-11-28T10:00:10Z\"},"
                        + "{\"webhookId\":\"msg_1\",\"event\":\"job.completed\",\"attempt\":2,\"at\":\"2026-11-28T10:00:10Z\","
                        + "\"outcome\":\"delivered\",\"statusCode\":204,\"error\":null,\"durationMs\":41,"
                        + "\"nextAttemptAt\":null}]}");
    }

    @Test
    void aKnownJobWithoutAttemptsHasAnEmptyListAnUnknownOneIs404() {
        gateway.jobs.update(JOB, JobStatuses.pending(T0));
        assertThat(TestHttp.text(http.get("/api/jobs/" + JOB + "/deliveries"))).isEqualTo("{\"deliveries\":[]}");

        assertProblem(http.get("/api/jobs/0b7f6f1c-4d3e-4b8a-9a61-2c5d7e8f9a01/deliveries"), 404, "about:blank");
        assertThat(http.get("/api/jobs/not-a-uuid/deliveries").statusCode()).isEqualTo(400);
    }

    @Test
    void redeliveringAFinishedJobsWebhookIs202AndOneCommand() {
        gateway.jobs.update(
                JOB, JobStatuses.failed(JobStep.composing_video, "COMPOSE_FAILED", "boom", T0.plusSeconds(3)));
        gateway.jobs.requests.put(JOB, WITH_WEBHOOK);

        HttpResponse<byte[]> response = redeliver(JOB);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = TestHttp.json(response);
        assertThat(body.get("jobId").asText()).isEqualTo(JOB);
        assertThat(body.get("event").asText()).isEqualTo("job.failed");
        assertThat(body.get("webhookId").asText())
                .isEqualTo(WebhookEvents.webhookId(JOB, "job.failed"))
                .startsWith("msg_");
        assertThat(body.get("deliveriesUrl").asText())
                .isEqualTo(GatewayFixture.BASE_URL + "/api/jobs/" + JOB + "/deliveries");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/jobs/" + JOB + "/deliveries");
        assertThat(gateway.jobs.redelivered).containsExactly(JOB);
    }

    @Test
    void redeliveringIs409WhileTheJobRunsOrWhenItHasNoWebhookAnd404WhenUnknown() {
        gateway.jobs.update(JOB, JobStatuses.started(JobStep.composing_video, T0.plusSeconds(2)));
        gateway.jobs.requests.put(JOB, WITH_WEBHOOK);
        assertProblem(redeliver(JOB), 409, Problem.JOB_NOT_FINAL);

        String withoutWebhook = "0b7f6f1c-4d3e-4b8a-9a61-2c5d7e8f9a01";
        gateway.jobs.update(withoutWebhook, JobLookupTest.completed(T0.plusSeconds(4)));
        gateway.jobs.requests.put(withoutWebhook, new RequestSummary("e".repeat(64), Map.of(), false));
        assertProblem(redeliver(withoutWebhook), 409, Problem.NO_WEBHOOK);

        assertProblem(redeliver("7d5f8a9c-1b2e-4c3d-8e9f-0a1b2c3d4e5f"), 404, "about:blank");
        assertThat(gateway.jobs.redelivered).isEmpty();
    }

    @Test
    void aCommandKafkaDoesNotTakeIs503() {
        gateway.jobs.update(JOB, JobLookupTest.completed(T0.plusSeconds(4)));
        gateway.jobs.requests.put(JOB, WITH_WEBHOOK);
        gateway.jobs.commandsUnavailable = new TemporarilyUnavailableException("broker away", Duration.ofSeconds(2));
        HttpResponse<byte[]> response = redeliver(JOB);
        assertProblem(response, 503, Problem.STORE_UNAVAILABLE);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(gateway.jobs.redelivered).isEmpty();
    }
}
