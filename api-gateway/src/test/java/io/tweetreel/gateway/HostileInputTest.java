package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a scanner or a fuzzer sends: never a 5xx, never a stack trace, always a problem document. */
class HostileInputTest {
    private static final String VALID = """
            {"tweetBody":"Hello","profileName":"Ada","username":"ada","theme":"dark","durationSeconds":5}""";
    private static GatewayFixture gateway;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        gateway = new GatewayFixture();
        http = gateway.http;
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void fuzzedBodiesNeverCauseA5xx() {
        Random random = new Random(42);
        byte[] seed = VALID.getBytes(StandardCharsets.UTF_8);
        String[] tokens = {
            "{",
            "}",
            "[",
            "]",
            "\"",
            ":",
            ",",
            "null",
            "true",
            "1e999",
            "-0",
            "\\u0000",
            "\\ud800",
            "\u202e",
            "😀",
            "\"tweetBody\"",
            "\"durationSeconds\":",
            "9".repeat(400),
            "[[[[[[[[[["
        };
        for (int i = 0; i < 400; i++) {
            byte[] body = seed.clone();
            StringBuilder mutated = new StringBuilder(new String(body, StandardCharsets.UTF_8));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(mutated.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> mutated.insert(at, tokens[random.nextInt(tokens.length)]);
                    case 1 -> mutated.delete(at, Math.min(mutated.length(), at + 1 + random.nextInt(5)));
                    default -> mutated.setCharAt(Math.min(at, mutated.length() - 1), (char) random.nextInt(0x80));
                }
            }
            byte[] payload = mutated.toString().getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(10) == 0) {
                payload[random.nextInt(payload.length)] = (byte) (0x80 + random.nextInt(0x80)); // invalid UTF-8
            }
            HttpResponse<byte[]> r =
                    http.send("POST", "/api/generate", Map.of("Content-Type", "application/json"), payload);
            assertThat(r.statusCode()).as(mutated.toString()).isIn(202, 400);
            if (r.statusCode() == 400) {
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(TestHttp.text(r)).doesNotContain("Exception", "\tat ");
            }
        }
    }

    @Test
    void deepNestingIs400() {
        String deep = "{\"tweetBody\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(http.postJson("/api/generate", deep).statusCode()).isEqualTo(400);
    }

    @Test
    void wrongTypesEverywhereAre400() {
        for (String body : new String[] {
            "{\"tweetBody\":{},\"profileName\":[],\"username\":1,\"theme\":false," + "\"durationSeconds\":{}}",
            "{\"tweetBody\":null}",
            "null",
            "123",
            "\"s\"",
            "true",
            "[]"
        }) {
            HttpResponse<byte[]> r = http.postJson("/api/generate", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
        }
    }

    @Test
    void unknownRoutesAndMethodsAre404Problems() {
        for (String[] request : new String[][] {
            {"GET", "/nope"},
            {"GET", "/api"},
            {"DELETE", "/api/generate"},
            {"PUT", "/api/jobs/5f0c2d7e-8a47-4a55-9c6e-3f1b2a9d4e10"},
            {"GET", "/assets/../pom.xml"},
            {"GET", "/assets/secret.txt"},
            {"GET", "/WEB-INF/web.xml"},
            {"GET", "/.env"},
            {"GET", "/internal/stores/job-status/x"}
        }) {
            HttpResponse<byte[]> r = http.send(request[0], request[1], Map.of(), null);
            assertThat(r.statusCode()).as(String.join(" ", request)).isIn(400, 404, 405);
            assertThat(r.headers().firstValue("Content-Type"))
                    .as(String.join(" ", request))
                    .hasValue("application/problem+json");
        }
    }

    @Test
    void rawHostileRequestsAreRefusedWithout5xx() {
        assertThat(http.raw("GET /download/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .isEqualTo(400);
        assertThat(http.raw(
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000) + "\r\nConnection: close\r\n\r\n"))
                .isEqualTo(431);
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 2000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(http.raw(many + "Connection: close\r\n\r\n")).isIn(400, 431);
        assertThat(http.raw(new byte[] {
                    'G',
                    'E',
                    'T',
                    ' ',
                    '/',
                    (byte) 0xff,
                    ' ',
                    'H',
                    'T',
                    'T',
                    'P',
                    '/',
                    '1',
                    '.',
                    '1',
                    '\r',
                    '\n',
                    'H',
                    'o',
                    's',
                    't',
                    ':',
                    ' ',
                    'x',
                    '\r',
                    '\n',
                    '\r',
                    '\n'
                }))
                .isEqualTo(400);
        assertThat(http.raw("POST /api/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 99999999999\r\nConnection: close\r\n\r\n{"))
                .isEqualTo(413);
        assertThat(http.raw("GARBAGE\r\n\r\n")).isEqualTo(400);
    }

    @Test
    void servesThePageWithAStrictContentSecurityPolicy() {
        HttpResponse<byte[]> page = http.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers()
                        .firstValue("Content-Type")
                        .orElseThrow()
                        .toLowerCase()
                        .replace(" ", ""))
                .isEqualTo("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp ->
                        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'"));
        assertThat(TestHttp.text(page))
                .contains("<form id=\"reel-form\"")
                .doesNotContainPattern("(src|href|action)=\"(https?:)?//");
        for (String asset : new String[] {"app.js", "app.css", "favicon.svg"}) {
            HttpResponse<byte[]> r = http.get("/assets/" + asset);
            assertThat(r.statusCode()).as(asset).isEqualTo(200);
            assertThat(TestHttp.text(r)).doesNotContainPattern("(src|href|url)\\(?[\"']?https?:");
            String etag = r.headers().firstValue("ETag").orElseThrow();
            assertThat(http.get("/assets/" + asset, Map.of("If-None-Match", etag))
                            .statusCode())
                    .isEqualTo(304);
        }
    }

    @Test
    void describesTheApiInOpenApi() {
        HttpResponse<byte[]> r = http.get("/api/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode spec = TestHttp.json(r);
        assertThat(spec.get("openapi").asText()).startsWith("3.");
        assertThat(spec.get("paths").fieldNames())
                .toIterable()
                .contains(
                        "/api/generate",
                        "/api/jobs/{jobId}",
                        "/api/jobs/{jobId}/events",
                        "/download/{filename}",
                        "/health/ready",
                        "/metrics");
        assertThat(spec.at("/paths/~1api~1generate/post/responses").fieldNames())
                .toIterable()
                .contains("202", "400", "409", "413", "415", "503");
        assertThat(spec.at("/paths/~1download~1{filename}/get/responses").fieldNames())
                .toIterable()
                .contains("200", "206", "304", "404", "410", "416");
        assertThat(spec.at("/components/schemas/Job/properties").fieldNames())
                .toIterable()
                .containsExactly(
                        "jobId",
                        "status",
                        "progress",
                        "currentStep",
                        "result",
                        "error",
                        "createdAt",
                        "updatedAt",
                        "metadata",
                        "warnings");
    }

    @Test
    void theApiDocumentNamesEveryRequestFieldAndEveryPartOfTheJob() {
        JsonNode spec = TestHttp.json(http.get("/api/openapi.json"));
        assertThat(spec.at("/components/schemas/GenerateRequest/properties").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrderElementsOf(RequestValidation.FIELDS);
        assertThat(spec.at("/components/schemas/QuotedPost/properties").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrderElementsOf(RequestValidation.QUOTE_FIELDS);
        assertThat(spec.at("/components/schemas/MediaItem/properties").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrderElementsOf(RequestValidation.MEDIA_FIELDS);
        assertThat(spec.at("/components/schemas/PostMetrics/properties").fieldNames())
                .toIterable()
                .containsExactlyElementsOf(io.tweetreel.core.RequestRules.METRIC_COUNTS);
        assertThat(spec.at("/components/schemas/GenerateRequest/properties/formats/items/enum"))
                .extracting(JsonNode::asText)
                .containsExactlyElementsOf(io.tweetreel.schemas.ReelFormat.labels());
        assertThat(spec.at("/components/schemas/JobResult/properties").fieldNames())
                .toIterable()
                .containsExactlyElementsOf(componentNames(io.tweetreel.core.JobView.Result.class));
        assertThat(spec.at("/components/schemas/ReelOutput/properties").fieldNames())
                .toIterable()
                .containsExactlyElementsOf(componentNames(io.tweetreel.core.JobView.Output.class));
        assertThat(spec.at("/components/schemas/CaptionLinks/properties").fieldNames())
                .toIterable()
                .containsExactlyElementsOf(componentNames(io.tweetreel.core.JobView.Captions.class));
        assertThat(spec.at("/components/schemas/JobWarning/properties").fieldNames())
                .toIterable()
                .containsExactlyElementsOf(componentNames(io.tweetreel.core.JobView.Warning.class));
    }

    private static java.util.List<String> componentNames(Class<? extends Record> type) {
        return java.util.Arrays.stream(type.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName)
                .toList();
    }

    @Test
    void opsEndpointsShareThePort() {
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(TestHttp.text(http.get("/metrics"))).contains("gateway_http_requests");
    }
}
