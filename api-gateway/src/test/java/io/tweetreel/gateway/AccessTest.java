package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tweetreel.schemas.ApiKey;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ownership and per-key limits over HTTP, with the Kafka side faked and a clock the test moves. */
class AccessTest {
    private static final String JOB = """
            {"tweetBody":"Hello","profileName":"Ada Lovelace","username":"@ada"}""";
    private static final String BATCH = """
            {"items":[{"tweetBody":"One","profileName":"Ada","username":"ada"},
                      {"tweetBody":"Two","profileName":"Ada","username":"ada"}]}""";
    private static final String SECRET_A = "trk_" + "A".repeat(40);
    private static final String SECRET_B = "trk_" + "B".repeat(40);

    private static final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T10:00:00Z"));

    @RegisterExtension
    static final GatewayFixture gateway = new GatewayFixture(clock, Duration.ofSeconds(15), true, null);

    private static final TestHttp http = gateway.http;
    private ApiKey keyA;

    @BeforeEach
    void reset() {
        clock.advance(Duration.ofHours(1)); // every bucket full again
        keyA = gateway.addKey("key_AAAAAAAAAAAAAAAA", SECRET_A);
        gateway.addKey("key_BBBBBBBBBBBBBBBB", SECRET_B);
    }

    private static HttpResponse<byte[]> send(String method, String path, String secret, String json) {
        return http.sendJson(method, path, GatewayFixture.bearer(secret), json);
    }

    private static HttpResponse<byte[]> post(String path, String secret, String json, String idempotencyKey) {
        return http.sendJson(
                "POST", path, Map.of("Authorization", "Bearer " + secret, "Idempotency-Key", idempotencyKey), json);
    }

    /** The answer with the id replaced, so answers about two ids can be compared. */
    private static JsonNode withoutId(HttpResponse<byte[]> response, String id) {
        String text = new String(response.body(), StandardCharsets.UTF_8).replace(id, "ID");
        try {
            return io.tweetreel.core.Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }

    @Test
    void aJobRecordsItsKeyAndTheKeysDefaultWebhook() {
        gateway.addKey(
                ApiKey.newBuilder(keyA).setWebhookUrl("https://hooks.example/a").build(), SECRET_A);
        HttpResponse<byte[]> accepted = send("POST", "/api/generate", SECRET_A, JOB);
        assertThat(accepted.statusCode()).isEqualTo(202);

        FakeJobs.Published published = gateway.jobs.published.get(0);
        assertThat(published.request().getKeyId()).isEqualTo("key_AAAAAAAAAAAAAAAA");
        assertThat(published.pending().getKeyId()).isEqualTo("key_AAAAAAAAAAAAAAAA");
        assertThat(published.request().getWebhookUrl()).isEqualTo("https://hooks.example/a");

        String own = JOB.replace("}", ",\"webhookUrl\":\"https://own.example/hook\"}");
        send("POST", "/api/generate", SECRET_A, own);
        assertThat(gateway.jobs.published.get(1).request().getWebhookUrl()).isEqualTo("https://own.example/hook");
    }

    @Test
    void aBatchAndItsItemsRecordTheirKey() {
        gateway.addKey(
                ApiKey.newBuilder(keyA).setWebhookUrl("https://hooks.example/a").build(), SECRET_A);
        assertThat(send("POST", "/api/batches", SECRET_A, BATCH).statusCode()).isEqualTo(202);

        FakeBatches.Published published = gateway.batches.published.get(0);
        assertThat(published.batch().getKeyId()).isEqualTo("key_AAAAAAAAAAAAAAAA");
        assertThat(published.batch().getWebhookUrl()).isEqualTo("https://hooks.example/a");
        for (BatchPublisher.Item item : published.items()) {
            assertThat(item.request().getKeyId()).isEqualTo("key_AAAAAAAAAAAAAAAA");
            assertThat(item.pending().getKeyId()).isEqualTo("key_AAAAAAAAAAAAAAAA");
            assertThat(item.request().getWebhookUrl()).isNull(); // items keep their own, as with a batch webhook
        }
    }

    @Test
    void anotherKeysJobIsNotFoundOnEveryJobEndpointExactlyAsAnUnknownOne() {
        String jobId = TestHttp.json(send("POST", "/api/generate", SECRET_A, JOB))
                .get("jobId")
                .asText();
        String unknown = UUID.randomUUID().toString();
        List<String[]> endpoints = List.of(
                new String[] {"GET", "/api/jobs/%s"},
                new String[] {"GET", "/api/jobs/%s/events"},
                new String[] {"POST", "/api/jobs/%s/cancel"},
                new String[] {"GET", "/api/jobs/%s/deliveries"},
                new String[] {"POST", "/api/jobs/%s/deliveries/redeliver"});
        for (String[] endpoint : endpoints) {
            HttpResponse<byte[]> others = send(endpoint[0], endpoint[1].formatted(jobId), SECRET_B, null);
            HttpResponse<byte[]> none = send(endpoint[0], endpoint[1].formatted(unknown), SECRET_B, null);
            assertThat(others.statusCode()).as(endpoint[1]).isEqualTo(404);
            assertThat(withoutId(others, jobId)).as(endpoint[1]).isEqualTo(withoutId(none, unknown));
        }
        assertThat(gateway.jobs.cancels).isEmpty();
        assertThat(gateway.jobs.redelivered).isEmpty();

        assertThat(send("GET", "/api/jobs/" + jobId, SECRET_A, null).statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/api/jobs/" + jobId + "/cancel", SECRET_A, null)
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void anotherKeysBatchIsNotFoundOnEveryBatchEndpointExactlyAsAnUnknownOne() {
        String batchId = TestHttp.json(send("POST", "/api/batches", SECRET_A, BATCH))
                .get("batchId")
                .asText();
        String unknown = UUID.randomUUID().toString();
        List<String[]> endpoints = List.of(
                new String[] {"GET", "/api/batches/%s"},
                new String[] {"GET", "/api/batches/%s/events"},
                new String[] {"POST", "/api/batches/%s/cancel"},
                new String[] {"GET", "/api/batches/%s/archive"});
        for (String[] endpoint : endpoints) {
            HttpResponse<byte[]> others = send(endpoint[0], endpoint[1].formatted(batchId), SECRET_B, null);
            HttpResponse<byte[]> none = send(endpoint[0], endpoint[1].formatted(unknown), SECRET_B, null);
            assertThat(others.statusCode()).as(endpoint[1]).isEqualTo(404);
            assertThat(withoutId(others, batchId)).as(endpoint[1]).isEqualTo(withoutId(none, unknown));
        }
        assertThat(gateway.batches.canceled).isEmpty();
        assertThat(send("GET", "/api/batches/" + batchId, SECRET_A, null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void idempotencyKeysBelongToTheirApiKey() {
        HttpResponse<byte[]> first = post("/api/generate", SECRET_A, JOB, "order-1");
        HttpResponse<byte[]> replay = post("/api/generate", SECRET_A, JOB, "order-1");
        HttpResponse<byte[]> otherKey = post("/api/generate", SECRET_B, JOB, "order-1");
        HttpResponse<byte[]> otherKeyOtherBody =
                post("/api/generate", SECRET_B, JOB.replace("Hello", "Bye"), "order-2");
        HttpResponse<byte[]> aOtherBody = post("/api/generate", SECRET_A, JOB.replace("Hello", "Bye"), "order-2");

        String jobA = TestHttp.json(first).get("jobId").asText();
        assertThat(TestHttp.json(replay).get("jobId").asText()).isEqualTo(jobA);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(otherKey.statusCode()).isEqualTo(202);
        assertThat(otherKey.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(TestHttp.json(otherKey).get("jobId").asText()).isNotEqualTo(jobA);
        assertThat(otherKeyOtherBody.statusCode()).isEqualTo(202);
        assertThat(aOtherBody.statusCode()).as("not a 409 about B's job").isEqualTo(202);

        HttpResponse<byte[]> batchA = post("/api/batches", SECRET_A, BATCH, "batch-1");
        HttpResponse<byte[]> batchB = post("/api/batches", SECRET_B, BATCH, "batch-1");
        assertThat(batchB.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(TestHttp.json(batchB).get("batchId").asText())
                .isNotEqualTo(TestHttp.json(batchA).get("batchId").asText());
    }

    @Test
    void theBurstPassesThenA429SaysWhenToRetryWithTheRateLimitHeaders() {
        for (int i = 0; i < 6; i++) {
            HttpResponse<byte[]> accepted = send("POST", "/api/generate", SECRET_A, JOB);
            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(accepted.headers().firstValue("RateLimit-Limit")).hasValue("60");
            assertThat(accepted.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(5 - i));
        }
        HttpResponse<byte[]> refused = send("POST", "/api/generate", SECRET_A, JOB);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
        assertThat(TestHttp.json(refused).get("type").asText()).isEqualTo(Problem.RATE_LIMITED);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("60");
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(refused.headers().firstValue("RateLimit-Reset")).hasValue("6");
        assertThat(gateway.jobs.published).hasSize(6);

        // another key has its own bucket; reads show the caller's state and take nothing
        assertThat(send("POST", "/api/generate", SECRET_B, JOB).statusCode()).isEqualTo(202);
        String jobId = gateway.jobs.published.get(0).jobId();
        HttpResponse<byte[]> read = send("GET", "/api/jobs/" + jobId, SECRET_A, null);
        assertThat(read.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        HttpResponse<byte[]> notFound = send("GET", "/api/jobs/" + UUID.randomUUID(), SECRET_A, null);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("RateLimit-Limit")).hasValue("60");

        clock.advance(Duration.ofSeconds(1));
        assertThat(send("POST", "/api/generate", SECRET_A, JOB).statusCode()).isEqualTo(202);
    }

    @Test
    void anInvalidRequestAndAReplayCostNothing() {
        String invalid = JOB.replace("@ada", "not a handle!");
        for (int i = 0; i < 10; i++) {
            assertThat(send("POST", "/api/generate", SECRET_A, invalid).statusCode())
                    .isEqualTo(400);
            assertThat(send("POST", "/api/batches", SECRET_A, "{\"items\":[]}").statusCode())
                    .isEqualTo(400);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(post("/api/generate", SECRET_A, JOB, "same").statusCode())
                    .isEqualTo(202);
        }
        HttpResponse<byte[]> next = send("POST", "/api/generate", SECRET_A, JOB);
        assertThat(next.headers().firstValue("RateLimit-Remaining")).hasValue("4");
    }

    @Test
    void aBatchCostsItsItemsAndMayTakeTheKeyIntoDebt() {
        StringBuilder items = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 10; i++) {
            items.append(i == 0 ? "" : ",").append(JOB);
        }
        String tenItems = items.append("]}").toString();
        HttpResponse<byte[]> batch = send("POST", "/api/batches", SECRET_A, tenItems);
        assertThat(batch.statusCode()).isEqualTo(202);
        assertThat(batch.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(batch.headers().firstValue("RateLimit-Reset")).hasValue("10");

        HttpResponse<byte[]> refused = send("POST", "/api/generate", SECRET_A, JOB);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5"); // from -4 to +1 at 1 per second
    }

    @Test
    void theDailyQuotaAnswers429WithItsResetTime() {
        gateway.addKey(ApiKey.newBuilder(keyA).setJobsPerDay(3).build(), SECRET_A);
        clock.set(Instant.parse("2026-12-05T23:00:00Z"));
        for (int i = 0; i < 3; i++) {
            assertThat(send("POST", "/api/generate", SECRET_A, JOB).statusCode())
                    .isEqualTo(202);
        }
        HttpResponse<byte[]> fourth = send("POST", "/api/generate", SECRET_A, JOB);
        assertThat(fourth.statusCode()).isEqualTo(429);
        JsonNode problem = TestHttp.json(fourth);
        assertThat(problem.get("type").asText()).isEqualTo(Problem.QUOTA_EXCEEDED);
        assertThat(problem.get("resetAt").asText()).isEqualTo("2026-12-06T00:00:00Z");
        assertThat(fourth.headers().firstValue("Retry-After")).hasValue("3600");
        assertThat(fourth.headers().firstValue("RateLimit-Limit")).hasValue("60");
        assertThat(((ObjectNode) problem).has("errors")).isFalse();

        HttpResponse<byte[]> batch = send("POST", "/api/batches", SECRET_A, BATCH);
        assertThat(batch.statusCode()).isEqualTo(429);

        clock.set(Instant.parse("2026-12-06T00:00:00Z"));
        assertThat(send("POST", "/api/generate", SECRET_A, JOB).statusCode()).isEqualTo(202);
    }
}
