package io.tweetreel.systemtests;

import static io.tweetreel.systemtests.AccessStackExtension.ADMIN_TOKEN;
import static io.tweetreel.systemtests.AccessStackExtension.GATEWAY_1;
import static io.tweetreel.systemtests.AccessStackExtension.GATEWAY_2;
import static io.tweetreel.systemtests.FaultTestSupport.HTTP;
import static io.tweetreel.systemtests.FaultTestSupport.JSON;
import static io.tweetreel.systemtests.FaultTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys, ownership and per-key limits on the real stack, with two gateway instances that share the work as behind
 * a load balancer: no key, an unknown key and a revoked key get 401 on both, and a revocation on one instance reaches
 * both within 2 s; another key's job or batch is 404 on every endpoint (whichever instance owns it), a key limited to
 * 30 per minute gets at most 33 of 100 requests sent alternately to both instances, and the daily quota answers 429
 * with its reset time.
 */
@ExtendWith(AccessStackExtension.class)
class AccessSystemTest {
    private static final Logger log = LoggerFactory.getLogger(AccessSystemTest.class);
    private static final List<String> GATEWAYS = List.of(GATEWAY_1, GATEWAY_2);
    private static final Duration REVOCATION_LIMIT = Duration.ofSeconds(2);

    private static HttpResponse<String> send(String method, String url, String bearer, Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A new key made through the admin API of the first instance; usable on both once they answer 404, not 401. */
    private static String createKey(Map<String, Object> settings) throws Exception {
        return createdKey(settings).get("key").asText();
    }

    /** The admin API's answer for a new key (with its id), once both instances take the key. */
    private static JsonNode createdKey(Map<String, Object> settings) throws Exception {
        // right after the stack started (a rebalance, a loaded machine) a write may time out: ask again
        AtomicReference<HttpResponse<String>> created = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(120))
                .ignoreException(HttpTimeoutException.class)
                .until(() -> {
                    created.set(send("POST", GATEWAY_1 + "/admin/keys", ADMIN_TOKEN, settings));
                    return created.get().statusCode() != 503;
                });
        assertThat(created.get().statusCode()).as(created.get().body()).isEqualTo(201);
        JsonNode answer = JSON.readTree(created.get().body());
        String key = answer.get("key").asText();
        for (String gateway : GATEWAYS) {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> send("GET", gateway + "/api/jobs/" + UUID.randomUUID(), key, null)
                                    .statusCode()
                            == 404);
        }
        return answer;
    }

    private static Map<String, Object> key(String name, Object... more) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("name", name);
        for (int i = 0; i < more.length; i += 2) {
            settings.put((String) more[i], more[i + 1]);
        }
        return settings;
    }

    private static JsonNode withoutId(HttpResponse<String> response, String id) throws IOException {
        return JSON.readTree(response.body().replace(id, "ID"));
    }

    @Test
    void anotherKeysJobAndBatchAreNotFoundOnEveryEndpointOfEveryInstance() throws Exception {
        String keyA = createKey(key("owner"));
        String keyB = createKey(key("someone else"));

        HttpResponse<String> job = send("POST", GATEWAY_1 + "/api/generate", keyA, request("A's job", 3));
        assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
        String jobId = JSON.readTree(job.body()).get("jobId").asText();
        HttpResponse<String> batch = send(
                "POST",
                GATEWAY_2 + "/api/batches",
                keyA,
                Map.of("items", List.of(request("A's item 1", 3), request("A's item 2", 3))));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        String batchId = JSON.readTree(batch.body()).get("batchId").asText();
        // both are in the tables (wherever they live) before B asks
        for (String gateway : GATEWAYS) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> send("GET", gateway + "/api/jobs/" + jobId, keyA, null)
                                            .statusCode()
                                    == 200
                            && send("GET", gateway + "/api/batches/" + batchId, keyA, null)
                                            .statusCode()
                                    == 200);
        }

        String unknownJob = UUID.randomUUID().toString();
        String unknownBatch = UUID.randomUUID().toString();
        List<String[]> jobEndpoints = List.of(
                new String[] {"GET", "/api/jobs/%s"},
                new String[] {"GET", "/api/jobs/%s/events"},
                new String[] {"POST", "/api/jobs/%s/cancel"},
                new String[] {"GET", "/api/jobs/%s/deliveries"},
                new String[] {"POST", "/api/jobs/%s/deliveries/redeliver"});
        List<String[]> batchEndpoints = List.of(
                new String[] {"GET", "/api/batches/%s"},
                new String[] {"GET", "/api/batches/%s/events"},
                new String[] {"POST", "/api/batches/%s/cancel"},
                new String[] {"GET", "/api/batches/%s/archive"});
        for (String gateway : GATEWAYS) {
            for (String[] endpoint : jobEndpoints) {
                HttpResponse<String> others = send(endpoint[0], gateway + endpoint[1].formatted(jobId), keyB, null);
                HttpResponse<String> none = send(endpoint[0], gateway + endpoint[1].formatted(unknownJob), keyB, null);
                assertThat(others.statusCode()).as(gateway + endpoint[1]).isEqualTo(404);
                assertThat(withoutId(others, jobId)).as(endpoint[1]).isEqualTo(withoutId(none, unknownJob));
            }
            for (String[] endpoint : batchEndpoints) {
                HttpResponse<String> others = send(endpoint[0], gateway + endpoint[1].formatted(batchId), keyB, null);
                HttpResponse<String> none =
                        send(endpoint[0], gateway + endpoint[1].formatted(unknownBatch), keyB, null);
                assertThat(others.statusCode()).as(gateway + endpoint[1]).isEqualTo(404);
                assertThat(withoutId(others, batchId)).as(endpoint[1]).isEqualTo(withoutId(none, unknownBatch));
            }
        }
        // B's cancels wrote nothing: A's job and items are still pending
        for (String gateway : GATEWAYS) {
            assertThat(JSON.readTree(send("GET", gateway + "/api/jobs/" + jobId, keyA, null)
                                    .body())
                            .get("status")
                            .asText())
                    .isEqualTo("pending");
            assertThat(JSON.readTree(send("GET", gateway + "/api/batches/" + batchId, keyA, null)
                                    .body())
                            .get("canceled")
                            .asInt())
                    .isZero();
        }
    }

    @Test
    void aKeyLimitedTo30PerMinuteGetsAtMost33Of100RequestsSpreadOverTwoInstances() throws Exception {
        String limited = createKey(key("thirty a minute", "ratePerMinute", 30));
        int accepted = 0;
        List<HttpResponse<String>> refused = new ArrayList<>();
        Instant start = Instant.now();
        for (int i = 0; i < 100; i++) {
            String gateway = GATEWAYS.get(i % 2);
            HttpResponse<String> answer = send("POST", gateway + "/api/generate", limited, request("Limited " + i, 3));
            if (answer.statusCode() == 202) {
                accepted++;
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
                refused.add(answer);
            }
        }
        Duration took = Duration.between(start, Instant.now());
        log.info(
                "30/min key: {} of 100 requests accepted across two gateway instances in {} ms",
                accepted,
                took.toMillis());
        System.out.printf(
                "ACCESS: 30/min key, 100 requests alternately to 2 gateways in %d ms: %d accepted%n",
                took.toMillis(), accepted);
        assertThat(accepted).isLessThanOrEqualTo(33).isPositive();
        assertThat(refused).isNotEmpty();
        for (HttpResponse<String> answer : refused) {
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            assertThat(Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow()))
                    .isPositive();
            assertThat(answer.headers().firstValue("RateLimit-Limit")).hasValue("30");
            assertThat(answer.headers().firstValue("RateLimit-Remaining")).isPresent();
            assertThat(answer.headers().firstValue("RateLimit-Reset")).isPresent();
            assertThat(JSON.readTree(answer.body()).get("type").asText()).endsWith("rate-limited");
        }
    }

    @Test
    void theDailyQuotaAnswers429WithTheNextMidnight() throws Exception {
        String three = createKey(key("three a day", "jobsPerDay", 3));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> accepted =
                    send("POST", GATEWAYS.get(i % 2) + "/api/generate", three, request("Quota " + i, 3));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        }
        HttpResponse<String> fourth = send("POST", GATEWAY_2 + "/api/generate", three, request("Quota 4", 3));
        assertThat(fourth.statusCode()).as(fourth.body()).isEqualTo(429);
        JsonNode problem = JSON.readTree(fourth.body());
        assertThat(problem.get("type").asText()).endsWith("quota-exceeded");
        Instant resetAt = Instant.parse(problem.get("resetAt").asText());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(resetAt)
                .isIn(
                        today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                        today.plusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC)); // the test ran over midnight
        assertThat(fourth.headers().firstValue("Retry-After")).isPresent();
        log.info("quota: 4th job of a 3-a-day key refused, resets at {}", resetAt);
    }

    @Test
    void noKeyAnUnknownKeyAndARevokedKeyGet401OnBothInstancesTheRevocationWithin2Seconds() throws Exception {
        JsonNode created = createdKey(key("revoked soon"));
        String apiKey = created.get("key").asText();
        String id = created.get("id").asText();
        for (String gateway : GATEWAYS) {
            assertUnauthorized(send("POST", gateway + "/api/generate", null, request("No key", 3)));
            assertUnauthorized(send("POST", gateway + "/api/generate", "trk_" + "0".repeat(40), request("Unknown", 3)));
            assertUnauthorized(send("GET", gateway + "/admin/keys", apiKey, null));
        }

        long start = System.nanoTime();
        HttpResponse<String> revoked = send("DELETE", GATEWAY_1 + "/admin/keys/" + id, ADMIN_TOKEN, null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        long seenBy1 = untilRefused(GATEWAY_1, apiKey, start);
        long seenBy2 = untilRefused(GATEWAY_2, apiKey, start);
        System.out.printf(
                "ACCESS: revocation on gateway 1 refused on 1 after %d ms and on 2 after %d ms (limit %d ms)%n",
                seenBy1, seenBy2, REVOCATION_LIMIT.toMillis());
        assertThat(seenBy1).isLessThanOrEqualTo(REVOCATION_LIMIT.toMillis());
        assertThat(seenBy2).isLessThanOrEqualTo(REVOCATION_LIMIT.toMillis());
        for (String gateway : GATEWAYS) {
            assertUnauthorized(send("POST", gateway + "/api/generate", apiKey, request("Revoked", 3)));
        }
    }

    private static void assertUnauthorized(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(JSON.readTree(response.body()).get("type").asText()).endsWith("unauthorized");
    }

    /**
     * Whether {@code gateway} takes the key, asked with a call answered right after the key check (404 for a job
     * nobody made), so no Kafka write adds to the time measured.
     */
    private static boolean authenticates(String gateway, String apiKey) throws Exception {
        int status = send("GET", gateway + "/api/jobs/" + UUID.randomUUID(), apiKey, null)
                .statusCode();
        assertThat(status).isIn(404, 401);
        return status == 404;
    }

    /** Milliseconds from {@code startNanos} until {@code gateway} refuses the key (polled every 20 ms, up to 10 s). */
    private static long untilRefused(String gateway, String apiKey, long startNanos) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !authenticates(gateway, apiKey));
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
