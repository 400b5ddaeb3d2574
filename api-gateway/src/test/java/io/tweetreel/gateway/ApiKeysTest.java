package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.ApiKeyDirectory;
import io.tweetreel.schemas.ApiKey;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin endpoints of API keys and the key check of /api, over HTTP with the key store in memory. */
class ApiKeysTest {
    private static final String ADMIN_TOKEN = "admin-token-for-the-api-keys-test-0123456789";
    private static final Instant NOW = Instant.parse("2026-12-02T09:30:00Z");
    private static final String VALID_JOB = """
            {"tweetBody":"Hello","profileName":"Ada","username":"ada"}""";

    @RegisterExtension
    static final GatewayFixture gateway =
            new GatewayFixture(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(15), true, ADMIN_TOKEN);

    private static final TestHttp http = gateway.http;

    private static HttpResponse<byte[]> admin(String method, String path, String json) {
        return adminAs(ADMIN_TOKEN, method, path, json);
    }

    private static HttpResponse<byte[]> adminAs(String token, String method, String path, String json) {
        return http.sendJson(method, path, token == null ? Map.of() : GatewayFixture.bearer(token), json);
    }

    private static JsonNode create(String json) {
        HttpResponse<byte[]> created = admin("POST", "/admin/keys", json);
        assertThat(created.statusCode()).as(TestHttp.text(created)).isEqualTo(201);
        return TestHttp.json(created);
    }

    private static HttpResponse<byte[]> generate(String authorization) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("Authorization", authorization);
        return http.sendJson("POST", "/api/generate", headers, VALID_JOB);
    }

    private static void assertUnauthorized(HttpResponse<byte[]> response, String challengeError) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
        assertThat(TestHttp.json(response).get("type").asText()).endsWith("unauthorized");
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer");
        if (challengeError == null) {
            assertThat(challenge).doesNotContain("error=");
        } else {
            assertThat(challenge).contains("error=\"" + challengeError + "\"");
        }
    }

    @Test
    void aCreatedKeyIsShownOnceWithItsSecretAndWorksAtOnce() {
        JsonNode created = create("{\"name\":\"newsroom\",\"webhookUrl\":\"https://hooks.example/reels\"}");

        String key = created.get("key").asText();
        assertThat(key).matches("trk_[0-9A-Za-z]{40}");
        assertThat(created.get("id").asText()).matches("key_[0-9A-Za-z]{16}");
        assertThat(created.get("prefix").asText()).isEqualTo(key.substring(0, 8));
        assertThat(created.get("name").asText()).isEqualTo("newsroom");
        assertThat(created.get("createdAt").asText()).isEqualTo("2026-12-02T09:30:00Z");
        assertThat(created.get("revokedAt").isNull()).isTrue();
        assertThat(created.get("ratePerMinute").asInt()).isEqualTo(60);
        assertThat(created.get("burst").asInt()).isEqualTo(6);
        assertThat(created.get("jobsPerDay").asInt()).isEqualTo(1000);
        assertThat(created.get("webhookUrl").asText()).isEqualTo("https://hooks.example/reels");
        assertThat(created.get("webhookSecret").asText()).startsWith("whsec_");
        // stored as a hash only
        ApiKey stored = gateway.keys.byId.get(created.get("id").asText());
        assertThat(stored.getKeyHash()).isEqualTo(ApiKeyDirectory.hash(key));
        assertThat(stored.toString()).doesNotContain(key);

        assertThat(generate("Bearer " + key).statusCode()).isEqualTo(202);

        JsonNode listed = TestHttp.json(admin("GET", "/admin/keys", null));
        assertThat(listed.get("keys")).hasSize(1);
        JsonNode shown = listed.get("keys").get(0);
        assertThat(shown.get("id").asText()).isEqualTo(created.get("id").asText());
        assertThat(shown.has("key")).isFalse();
        assertThat(shown.has("webhookSecret")).isFalse();
        assertThat(shown.has("revokedAt")).isTrue();
        assertThat(TestHttp.text(admin("GET", "/admin/keys", null))).doesNotContain(key);
    }

    @Test
    void theBurstFollowsTheRateUnlessGiven() {
        assertThat(create("{\"name\":\"a\",\"ratePerMinute\":30}").get("burst").asInt())
                .isEqualTo(3);
        assertThat(create("{\"name\":\"b\",\"ratePerMinute\":5}").get("burst").asInt())
                .isEqualTo(1);
        assertThat(create("{\"name\":\"c\",\"ratePerMinute\":95}").get("burst").asInt())
                .isEqualTo(10);
        assertThat(create("{\"name\":\"d\",\"ratePerMinute\":30,\"burst\":20}")
                        .get("burst")
                        .asInt())
                .isEqualTo(20);
    }

    @Test
    void everyBadFieldOfANewKeyIsReported() {
        HttpResponse<byte[]> refused = admin(
                "POST",
                "/admin/keys",
                "{\"name\":\"\",\"ratePerMinute\":0,\"burst\":100001,\"jobsPerDay\":\"10\","
                        + "\"webhookUrl\":\"ftp://x\",\"colour\":\"red\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode problem = TestHttp.json(refused);
        assertThat(problem.get("type").asText()).isEqualTo(Problem.INVALID_REQUEST);
        Map<String, String> errors = new LinkedHashMap<>();
        problem.get("errors")
                .forEach(e ->
                        errors.put(e.get("field").asText(), e.get("message").asText()));
        assertThat(errors)
                .containsOnlyKeys("name", "ratePerMinute", "burst", "jobsPerDay", "webhookUrl", "colour")
                .containsEntry("ratePerMinute", "must be a whole number from 1 to 100000")
                .containsEntry("jobsPerDay", "must be a whole number from 1 to 10000000")
                .containsEntry("colour", "is not a known field");
        assertThat(gateway.keys.byId).isEmpty();
    }

    @Test
    void aNameIsRequiredAndAtMostOneHundredCharacters() {
        assertThat(admin("POST", "/admin/keys", "{}").statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/admin/keys", "{\"name\":\"" + "n".repeat(101) + "\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(create("{\"name\":\"" + "n".repeat(100) + "\"}").get("name").asText())
                .hasSize(100);
    }

    @Test
    void aChangeKeepsWhatItDoesNotName() {
        JsonNode created = create("{\"name\":\"old\",\"jobsPerDay\":50,\"webhookUrl\":\"https://hooks.example/a\"}");
        String path = "/admin/keys/" + created.get("id").asText();

        HttpResponse<byte[]> changed = admin("PATCH", path, "{\"name\":\"new\",\"ratePerMinute\":120}");

        assertThat(changed.statusCode()).isEqualTo(200);
        JsonNode key = TestHttp.json(changed);
        assertThat(key.get("name").asText()).isEqualTo("new");
        assertThat(key.get("ratePerMinute").asInt()).isEqualTo(120);
        assertThat(key.get("burst").asInt()).isEqualTo(12);
        assertThat(key.get("jobsPerDay").asInt()).isEqualTo(50);
        assertThat(key.get("webhookUrl").asText()).isEqualTo("https://hooks.example/a");
        assertThat(key.has("webhookSecret")).isFalse();
        assertThat(gateway.keys.byId.get(created.get("id").asText()).getWebhookSecret())
                .isEqualTo(created.get("webhookSecret").asText());

        JsonNode cleared = TestHttp.json(admin("PATCH", path, "{\"webhookUrl\":null}"));
        assertThat(cleared.get("webhookUrl").isNull()).isTrue();
        assertThat(admin("PATCH", path, "{\"jobsPerDay\":0}").statusCode()).isEqualTo(400);
        assertThat(admin("PATCH", "/admin/keys/key_0000000000000000", "{\"name\":\"x\"}")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aRevokedKeyIsRefusedAndRevokingAgainAnswersTheSame() {
        JsonNode created = create("{\"name\":\"leaked\"}");
        String key = created.get("key").asText();
        String path = "/admin/keys/" + created.get("id").asText();

        HttpResponse<byte[]> revoked = admin("DELETE", path, null);

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(revoked).get("revokedAt").asText()).isEqualTo("2026-12-02T09:30:00Z");
        assertUnauthorized(generate("Bearer " + key), "invalid_token");
        HttpResponse<byte[]> again = admin("DELETE", path, null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(again)).isEqualTo(TestHttp.json(revoked));
        assertThat(admin("DELETE", "/admin/keys/key_0000000000000000", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aRotatedWebhookSecretIsShownOnceAndReplacesTheOldOne() {
        JsonNode created = create("{\"name\":\"hooks\"}");
        String id = created.get("id").asText();

        HttpResponse<byte[]> rotated = admin("POST", "/admin/keys/" + id + "/webhook-secret", null);

        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode answer = TestHttp.json(rotated);
        assertThat(answer.get("id").asText()).isEqualTo(id);
        String secret = answer.get("webhookSecret").asText();
        assertThat(secret)
                .startsWith("whsec_")
                .isNotEqualTo(created.get("webhookSecret").asText());
        assertThat(gateway.keys.byId.get(id).getWebhookSecret()).isEqualTo(secret);
        assertThat(admin("POST", "/admin/keys/key_0000000000000000/webhook-secret", null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void theAdminEndpointsWantTheAdminToken() {
        for (String token : new String[] {null, "", ADMIN_TOKEN + "x", ADMIN_TOKEN.substring(1)}) {
            assertUnauthorized(adminAs(token, "GET", "/admin/keys", null), null);
            assertUnauthorized(adminAs(token, "POST", "/admin/keys", "{\"name\":\"x\"}"), null);
            assertUnauthorized(adminAs(token, "DELETE", "/admin/keys/key_0000000000000000", null), null);
        }
        // an API key is not an admin token
        String key = create("{\"name\":\"user\"}").get("key").asText();
        assertUnauthorized(adminAs(key, "GET", "/admin/keys", null), null);
        assertThat(gateway.keys.byId).hasSize(1);
    }

    @Test
    void withoutAnAdminTokenSetTheAdminEndpointsAreOff() {
        try (GatewayFixture noAdmin = new GatewayFixture(Clock.systemUTC(), Duration.ofSeconds(15), true, null)) {
            HttpResponse<byte[]> refused =
                    noAdmin.http.send("GET", "/admin/keys", Map.of("Authorization", "Bearer " + ADMIN_TOKEN), null);

            assertUnauthorized(refused, null);
            assertThat(TestHttp.json(refused).get("detail").asText()).contains("ADMIN_TOKEN is not set");
        }
    }

    @Test
    void theApiWantsAValidKey() {
        String key = create("{\"name\":\"reader\"}").get("key").asText();

        assertUnauthorized(generate(null), null);
        assertUnauthorized(generate("Basic " + key), "invalid_token");
        assertUnauthorized(generate("Bearer"), "invalid_token");
        assertUnauthorized(generate("Bearer trk_" + "x".repeat(40)), "invalid_token");
        assertUnauthorized(generate("Bearer " + key.substring(0, key.length() - 1)), "invalid_token");
        assertUnauthorized(http.get("/api/jobs/5f0c2d7e-8a47-4a55-9c6e-3f1b2a9d4e10"), null);
        assertUnauthorized(http.get("/api/batches/5f0c2d7e-8a47-4a55-9c6e-3f1b2a9d4e10"), null);
        assertThat(gateway.jobs.published).isEmpty();

        assertThat(generate("Bearer " + key).statusCode()).isEqualTo(202);
        assertThat(generate("bearer " + key).statusCode()).isEqualTo(202);
    }

    @Test
    void thePageTheDocumentAndDownloadsStayOpen() {
        assertThat(http.get("/api/openapi.json").statusCode()).isEqualTo(200);
        assertThat(http.get("/").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        // no such video, but not a question of keys
        assertThat(http.get("/download/2026-12-02_" + "0".repeat(32) + ".mp4").statusCode())
                .isEqualTo(404);
    }

    @Test
    void theApiDocumentDeclaresTheKeysAndTheAdminEndpoints() {
        JsonNode spec = TestHttp.json(http.get("/api/openapi.json"));

        assertThat(spec.at("/components/securitySchemes/apiKey/scheme").asText())
                .isEqualTo("bearer");
        List<String> without401 = new ArrayList<>();
        spec.get("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
                    boolean isOperation = operation.getValue().has("responses");
                    if (isOperation
                            && path.getKey().startsWith("/api/")
                            && !path.getKey().equals("/api/openapi.json")
                            && !operation.getValue().at("/responses").has("401")) {
                        without401.add(operation.getKey() + " " + path.getKey());
                    }
                }));
        assertThat(without401).isEmpty();
        assertThat(spec.at("/paths/~1admin~1keys/post/responses").fieldNames())
                .toIterable()
                .contains("201", "400", "401");
        assertThat(spec.at("/paths/~1admin~1keys~1{id}").fieldNames())
                .toIterable()
                .contains("patch", "delete");
        assertThat(spec.at("/paths/~1admin~1keys~1{id}~1webhook-secret/post").isObject())
                .isTrue();
    }
}
