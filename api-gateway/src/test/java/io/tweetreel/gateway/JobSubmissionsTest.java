package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.schemas.Animation;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.Theme;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/generate over HTTP: status codes, problem documents, idempotency. */
class JobSubmissionsTest {
    private static final String VALID = """
            {"tweetBody":"Hello, reels!","profileName":"Ada Lovelace","username":"@ada"}""";

    private static GatewayFixture gateway;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        gateway = new GatewayFixture();
        http = gateway.http;
    }

    @BeforeEach
    void reset() {
        gateway.reset();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = TestHttp.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).isNotBlank();
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("instance").asText()).isEqualTo("/api/generate");
        assertThat(TestHttp.text(response)).doesNotContain("Exception").doesNotContain("at io.");
    }

    @Test
    void acceptsAJobAndPublishesRequestAndPendingTogether() {
        HttpResponse<byte[]> response = http.postJson("/api/generate", VALID);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = TestHttp.json(response);
        assertThat(body.size()).isEqualTo(2);
        String jobId = body.get("jobId").asText();
        assertThat(JobIds.isValid(jobId)).isTrue();
        assertThat(body.get("statusUrl").asText()).isEqualTo(GatewayFixture.BASE_URL + "/api/jobs/" + jobId);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/jobs/" + jobId);

        assertThat(gateway.jobs.published).singleElement().satisfies(p -> {
            assertThat(p.jobId()).isEqualTo(jobId);
            assertThat(p.request().getUsername()).isEqualTo("ada");
            assertThat(p.request().getTheme()).isEqualTo(Theme.dark);
            assertThat(p.request().getRequestedAt()).isNotNull();
            assertThat(p.pending().getStatus()).isEqualTo(JobState.pending);
            assertThat(p.pending().getCreatedAt()).isEqualTo(p.request().getRequestedAt());
        });
    }

    @Test
    void invalidFieldsAnswer400WithOneErrorPerField() {
        HttpResponse<byte[]> response = http.postJson("/api/generate", """
                {"tweetBody":"","profileName":"Ada","username":"no spaces please","durationSeconds":"5",
                 "colour":"red"}""");

        assertProblem(response, 400);
        JsonNode problem = TestHttp.json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:tweetreel:problem:invalid-request");
        assertThat(problem.get("title").asText()).isEqualTo("Invalid request");
        assertThat(problem.get("detail").asText()).isEqualTo("4 fields are invalid");
        assertThat(problem.get("errors")).hasSize(4);
        assertThat(problem.get("errors").toString()).isEqualTo("""
                [{"field":"colour","message":"is not a known field"},\
                {"field":"tweetBody","message":"must not be empty"},\
                {"field":"username","message":"must be 1 to 15 letters, digits or underscores (a leading @ is \
                allowed)"},\
                {"field":"durationSeconds","message":"must be a whole number of seconds"}]""");
        assertThat(gateway.jobs.published).isEmpty();
    }

    @Test
    void motionAndSoundReachTheRecordAndBadValuesAre400NamingTheirFields() {
        HttpResponse<byte[]> accepted = http.postJson("/api/generate", """
                {"tweetBody":"Hello, reels!","profileName":"Ada","username":"ada",
                 "animation":"reveal","zoom":true,"audioUrl":"https://cdn.example.com/track.mp3"}""");

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(gateway.jobs.published).singleElement().satisfies(p -> {
            assertThat(p.request().getAnimation()).isEqualTo(Animation.reveal);
            assertThat(p.request().getZoom()).isTrue();
            assertThat(p.request().getAudioUrl()).isEqualTo("https://cdn.example.com/track.mp3");
            assertThat(p.request().getMusic()).isNull();
            // left to the pipeline: paced from the text for a reveal
            assertThat(p.request().getDurationSeconds()).isZero();
        });

        HttpResponse<byte[]> refused = http.postJson("/api/generate", """
                {"tweetBody":"Hello, reels!","profileName":"Ada","username":"ada",
                 "animation":"spin","zoom":"yes","music":"calm","audioUrl":"https://cdn.example.com/track.mp3"}""");

        assertProblem(refused, 400);
        assertThat(TestHttp.json(refused).get("errors").toString()).isEqualTo("""
                [{"field":"animation","message":"must be \\"none\\" or \\"reveal\\""},\
                {"field":"zoom","message":"must be true or false"},\
                {"field":"music","message":"give either music or audioUrl, not both"}]""");
        assertThat(gateway.jobs.published).hasSize(1);
    }

    @Test
    void malformedJsonIs400() {
        for (String body : new String[] {
            "{", "{\"tweetBody\":}", "{} {}", "{\"a\":1,\"a\":2}", "nul", "", "{\"tweetBody\":\"x\"}trailing"
        }) {
            HttpResponse<byte[]> response = http.postJson("/api/generate", body);
            assertProblem(response, 400);
            assertThat(TestHttp.json(response).get("type").asText())
                    .as(body)
                    .isEqualTo("urn:tweetreel:problem:malformed-json");
        }
        byte[] invalidUtf8 = {
            '{', '"', 't', 'w', 'e', 'e', 't', 'B', 'o', 'd', 'y', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
        };
        HttpResponse<byte[]> response =
                http.send("POST", "/api/generate", Map.of("Content-Type", "application/json"), invalidUtf8);
        assertProblem(response, 400);
    }

    @Test
    void aBodyThatIsNotAnObjectIs400WithAnError() {
        HttpResponse<byte[]> response = http.postJson("/api/generate", "[1,2,3]");
        assertProblem(response, 400);
        assertThat(TestHttp.json(response).get("errors").get(0).get("message").asText())
                .isEqualTo("the body must be a JSON object");
    }

    @Test
    void nonJsonContentTypesAre415() {
        byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/xml",
            "multipart/form-data; boundary=x",
            "application/json; charset=iso-8859-1",
            "json"
        }) {
            HttpResponse<byte[]> response = http.send("POST", "/api/generate", Map.of("Content-Type", type), body);
            assertProblem(response, 415);
            assertThat(TestHttp.json(response).get("type").asText()).isEqualTo("about:blank");
            assertThat(TestHttp.json(response).get("title").asText()).isEqualTo("Unsupported Media Type");
        }
        assertProblem(http.send("POST", "/api/generate", Map.of(), body), 415);
        assertThat(http.send("POST", "/api/generate", Map.of("Content-Type", "application/json; charset=UTF-8"), body)
                        .statusCode())
                .isEqualTo(202);
        assertThat(http.send("POST", "/api/generate", Map.of("Content-Type", "application/vnd.api+json"), body)
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void bodiesOver64KbAre413() {
        String big = "{\"tweetBody\":\"" + "x".repeat(64 * 1024) + "\",\"profileName\":\"A\",\"username\":\"a\"}";
        HttpResponse<byte[]> response = http.postJson("/api/generate", big);
        assertProblem(response, 413);
        assertThat(TestHttp.json(response).get("title").asText()).isEqualTo("Content Too Large");

        // exactly at the limit is read (and then judged on its fields)
        String padding = " ".repeat(64 * 1024 - VALID.length());
        assertThat(http.postJson("/api/generate", VALID + padding).statusCode()).isEqualTo(202);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
        // no Content-Length: the limit is enforced while reading
        String chunk = "x".repeat(16 * 1024);
        StringBuilder request = new StringBuilder("POST /api/generate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (int i = 0; i < 5; i++) {
            request.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        request.append("0\r\n\r\n");
        assertThat(http.raw(request.toString())).isEqualTo(413);
    }

    @Test
    void theSameIdempotencyKeyAndBodyAnswerTheSameJobOnce() {
        String key = UUID.randomUUID().toString();
        HttpResponse<byte[]> first = http.postJson("/api/generate", VALID, key);
        HttpResponse<byte[]> second = http.postJson("/api/generate", VALID.replace("@ada", "ada"), key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(second).get("jobId"))
                .isEqualTo(TestHttp.json(first).get("jobId"));
        assertThat(TestHttp.json(first).get("jobId").asText()).isEqualTo(JobIds.fromIdempotencyKey(key));
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(gateway.jobs.published).hasSize(1);
    }

    @Test
    void theSameIdempotencyKeyWithADifferentBodyIs409() {
        String key = UUID.randomUUID().toString();
        assertThat(http.postJson("/api/generate", VALID, key).statusCode()).isEqualTo(202);
        HttpResponse<byte[]> conflict = http.postJson("/api/generate", VALID.replace("Hello", "Goodbye"), key);

        assertProblem(conflict, 409);
        assertThat(TestHttp.json(conflict).get("type").asText())
                .isEqualTo("urn:tweetreel:problem:idempotency-key-reused");
        assertThat(gateway.jobs.published).hasSize(1);
    }

    @Test
    void aKeyUsedOnAnotherInstanceIsRecognisedFromTheRequestTable() throws Exception {
        String key = "key-from-elsewhere";
        String jobId = JobIds.fromIdempotencyKey(key);
        // what another instance published, as this instance's request table knows it
        var validated = RequestValidation.validate(io.tweetreel.core.Json.MAPPER.readTree(VALID))
                .request();
        gateway.jobs.requests.put(jobId, RequestSummary.of(validated));
        int before = gateway.jobs.published.size();

        HttpResponse<byte[]> replay = http.postJson("/api/generate", VALID, key);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(replay).get("jobId").asText()).isEqualTo(jobId);
        assertThat(gateway.jobs.published).hasSize(before);

        assertProblem(http.postJson("/api/generate", VALID.replace("Ada Lovelace", "Grace"), key), 409);
    }

    @Test
    void badIdempotencyKeysAre400() {
        for (String key : new String[] {"x".repeat(256), "has space"}) {
            HttpResponse<byte[]> response = http.postJson("/api/generate", VALID, key);
            assertProblem(response, 400);
            assertThat(TestHttp.json(response).get("errors").get(0).get("field").asText())
                    .isEqualTo("Idempotency-Key");
        }
    }

    @Test
    void whenKafkaCannotTakeTheJobItIs503WithRetryAfter() {
        gateway.jobs.unavailable = new TemporarilyUnavailableException("down", Duration.ofSeconds(1));
        HttpResponse<byte[]> response = http.postJson("/api/generate", VALID, "k1");
        assertProblem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void degenerateContentTypesAre415NotAServerError() {
        for (String contentType : new String[] {";;;", ";", " ; charset=utf-8", "application/json;;charset=latin1"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobSubmissions.requireJson(contentType))
                    .as(contentType)
                    .isInstanceOfSatisfying(
                            Problem.ProblemException.class,
                            e -> assertThat(e.problem().status()).isEqualTo(415));
        }
    }
}
