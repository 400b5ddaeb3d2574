package io.tweetreel.systemtests;

import static io.tweetreel.systemtests.FaultTestSupport.HTTP;
import static io.tweetreel.systemtests.FaultTestSupport.JSON;
import static io.tweetreel.systemtests.FaultTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.devstack.ServiceModule;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * API keys on the real stack with two gateway instances of their own (child JVMs with {@code API_AUTH=keys} and an
 * admin token, beside the stack's keyless gateway): a key made on one works on both; no key, an unknown key and a
 * revoked key get 401 on both, and a revocation on one instance reaches both within 2 s.
 */
@ExtendWith(PipelineStackExtension.class)
class AccessSystemTest {
    private static final String ADMIN_TOKEN = "access-system-test-admin-token-0123456789abcdef";
    private static final Duration REVOCATION_LIMIT = Duration.ofSeconds(2);
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;
    private static String a;
    private static String b;

    @BeforeAll
    static void startGatewaysWithKeys(StackEndpoints stack) throws Exception {
        Map<String, String> env = new HashMap<>(ServiceProcess.sharedEnvironment(
                "system-test-filename-secret-0123456789", PipelineStackExtension.GATEWAY));
        env.put("API_AUTH", "keys");
        env.put("ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("GATEWAY_HOST", "127.0.0.1");
        var root = ServiceModule.repoRoot();
        // instances 1 and 2: names, state and logs apart from the stack's own gateway (instance 0)
        gatewayA = new ServiceProcess(ServiceModule.GATEWAY, 1, PipelineStackExtension.freePort(), root, env);
        gatewayB = new ServiceProcess(ServiceModule.GATEWAY, 2, PipelineStackExtension.freePort(), root, env);
        gatewayA.start(stack);
        gatewayB.start(stack);
        a = "http://127.0.0.1:" + gatewayA.port();
        b = "http://127.0.0.1:" + gatewayB.port();
    }

    @AfterAll
    static void stopGateways() throws Exception {
        for (ServiceProcess gateway : new ServiceProcess[] {gatewayA, gatewayB}) {
            if (gateway != null) {
                gateway.stop();
            }
        }
    }

    private static HttpResponse<String> send(String method, String url, String bearer, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int generate(String gateway, String key) throws Exception {
        return send("POST", gateway + "/api/generate", key, JSON.writeValueAsString(request("Access check", 3)))
                .statusCode();
    }

    private static void assertUnauthorized(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(JSON.readTree(response.body()).get("type").asText()).endsWith("unauthorized");
    }

    @Test
    void aKeyMadeOnOneInstanceWorksOnBothUntilItIsRevokedThenNeitherTakesIt() throws Exception {
        HttpResponse<String> created =
                send("POST", a + "/admin/keys", ADMIN_TOKEN, "{\"name\":\"access system test\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = JSON.readTree(created.body());
        String apiKey = key.get("key").asText();
        String id = key.get("id").asText();

        // known at once on the instance that wrote it; on the other within its directory's next poll
        assertThat(authenticates(a, apiKey)).isTrue();
        await().atMost(REVOCATION_LIMIT).pollInterval(Duration.ofMillis(20)).until(() -> authenticates(b, apiKey));
        // a gateway's first job takes seconds (producer and schema set-up), so it is not part of the timed checks
        assertThat(generate(a, apiKey)).isEqualTo(202);
        assertThat(generate(b, apiKey)).isEqualTo(202);
        assertThat(JSON.readTree(send("GET", b + "/admin/keys", ADMIN_TOKEN, null)
                                .body())
                        .get("keys")
                        .findValuesAsText("id"))
                .contains(id);

        for (String gateway : List.of(a, b)) {
            assertUnauthorized(send("POST", gateway + "/api/generate", null, "{}"));
            assertUnauthorized(send("POST", gateway + "/api/generate", "trk_" + "0".repeat(40), "{}"));
            assertUnauthorized(send("GET", gateway + "/admin/keys", apiKey, null));
        }

        long start = System.nanoTime();
        HttpResponse<String> revoked = send("DELETE", a + "/admin/keys/" + id, ADMIN_TOKEN, null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        long seenByA = untilRefused(a, apiKey, start);
        long seenByB = untilRefused(b, apiKey, start);
        System.out.printf(
                "revocation on gateway A refused on A after %d ms and on B after %d ms (limit %d ms)%n",
                seenByA, seenByB, REVOCATION_LIMIT.toMillis());

        assertThat(seenByA).isLessThanOrEqualTo(REVOCATION_LIMIT.toMillis());
        assertThat(seenByB).isLessThanOrEqualTo(REVOCATION_LIMIT.toMillis());
        for (String gateway : List.of(a, b)) {
            assertUnauthorized(
                    send("POST", gateway + "/api/generate", apiKey, JSON.writeValueAsString(request("Revoked", 3))));
        }
    }

    /**
     * Whether {@code gateway} takes the key, asked with a call that is answered right after the key check (400 for
     * a job id that is not one), so no lookup, rebalance or Kafka write adds to the time measured.
     */
    private static boolean authenticates(String gateway, String apiKey) throws Exception {
        int status =
                send("GET", gateway + "/api/jobs/not-a-job-id", apiKey, null).statusCode();
        assertThat(status).isIn(400, 401);
        return status == 400;
    }

    /** Milliseconds from {@code startNanos} until {@code gateway} refuses the key (polled every 20 ms, up to 10 s). */
    private static long untilRefused(String gateway, String apiKey, long startNanos) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !authenticates(gateway, apiKey));
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
