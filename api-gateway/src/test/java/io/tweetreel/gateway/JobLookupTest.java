package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /api/jobs/{id} and its event stream, over HTTP with the Kafka side faked. */
class JobLookupTest {
    private static final String JOB = "5f0c2d7e-8a47-4a55-9c6e-3f1b2a9d4e10";
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @RegisterExtension
    static final GatewayFixture gateway = new GatewayFixture(java.time.Clock.systemUTC(), Duration.ofMillis(300));

    private static final TestHttp http = gateway.http;

    static JobStatus completed(Instant at) {
        return JobStatus.newBuilder()
                .setStatus(JobState.completed)
                .setProgress(100)
                .setCurrentStep(JobStep.completed)
                .setUpdatedAt(at)
                .setCreatedAt(T0)
                .setJobResult(JobResult.newBuilder()
                        .setFilename("2026-11-28_" + "0123456789abcdef".repeat(2) + ".mp4")
                        .setDownloadUrl(
                                "https://reels.example/download/2026-11-28_" + "0123456789abcdef".repeat(2) + ".mp4")
                        .setExpiresAt(Instant.parse("2026-11-29T10:00:05Z"))
                        .setFileSize(1_234_567)
                        .setDuration(5.0)
                        .setResolution("1080x1920")
                        .build())
                .build();
    }

    @Test
    void answersTheJobInTheSeedShape() {
        gateway.jobs.update(JOB, JobStatuses.pending(T0));
        gateway.jobs.update(JOB, completed(T0.plusSeconds(9)));

        HttpResponse<byte[]> response = http.get("/api/jobs/" + JOB);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(TestHttp.text(response))
                .isEqualTo("{\"jobId\":\"" + JOB + "\",\"status\":\"completed\","
                        + "\"progress\":100,\"currentStep\":\"completed\",\"result\":{\"filename\":\"2026-11-28_"
                        + "0123456789abcdef0123456789abcdef.mp4\",\"downloadUrl\":\"https://reels.example/download/"
                        + "2026-11-28_0123456789abcdef0123456789abcdef.mp4\",\"expiresAt\":\"2026-11-29T10:00:05Z\","
                        + "\"fileSize\":1234567,\"duration\":5.0,\"resolution\":\"1080x1920\","
                        // filed before posters, formats and captions: one 9:16 output without a poster or captions
                        + "\"posterUrl\":null,\"captions\":null,\"outputs\":[{\"format\":\"9:16\",\"filename\":\"2026-11-28_"
                        + "0123456789abcdef0123456789abcdef.mp4\",\"downloadUrl\":\"https://reels.example/download/"
                        + "2026-11-28_0123456789abcdef0123456789abcdef.mp4\",\"fileSize\":1234567,\"duration\":5.0,"
                        + "\"resolution\":\"1080x1920\",\"posterUrl\":null,\"captions\":null}]},"
                        + "\"createdAt\":\"2026-11-28T10:00:00Z\",\"updatedAt\":\"2026-11-28T10:00:09Z\","
                        + "\"metadata\":{},\"warnings\":[]}");
    }

    @Test
    void theRequestsMetadataIsShownInTheJobAndItsEvents() throws Exception {
        gateway.jobs.requests.put(
                JOB, new RequestSummary("f".repeat(64), Map.of("order", "42", "campaign", "x"), false));
        gateway.jobs.update(JOB, completed(T0.plusSeconds(4)));

        JsonNode job = TestHttp.json(http.get("/api/jobs/" + JOB));
        assertThat(job.get("metadata").toString()).isEqualTo("{\"campaign\":\"x\",\"order\":\"42\"}");
        try (EventStream stream = new EventStream("/api/jobs/" + JOB + "/events")) {
            assertThat(stream.statusEvents(1).get(0).get("metadata")).isEqualTo(job.get("metadata"));
        }
    }

    @Test
    void metadataSentWithAJobComesBackRightAwayAndFromTheTable() {
        String body = """
                {"tweetBody":"hi","profileName":"Ada","username":"ada","metadata":{"order":"A-1","team":"reels"}}""";
        gateway.jobs.tableFollowsPublisher = false; // only this instance's recent submissions know the job
        String jobId =
                TestHttp.json(http.postJson("/api/generate", body)).get("jobId").asText();
        assertThat(TestHttp.json(http.get("/api/jobs/" + jobId)).get("metadata").toString())
                .isEqualTo("{\"order\":\"A-1\",\"team\":\"reels\"}");

        // later, and on any instance: from the tables alone
        var published = gateway.jobs.published.get(0);
        gateway.recent.clear();
        gateway.jobs.update(jobId, published.pending());
        gateway.jobs.requests.put(jobId, RequestSummary.of(published.request()));
        assertThat(TestHttp.json(http.get("/api/jobs/" + jobId)).get("metadata").toString())
                .isEqualTo("{\"order\":\"A-1\",\"team\":\"reels\"}");
    }

    @Test
    void aFailedJobCarriesItsErrorAndNoResult() {
        gateway.jobs.update(
                JOB,
                JobStatuses.failed(JobStep.composing_video, "COMPOSE_FAILED", "ffmpeg: bad input", T0.plusSeconds(3)));
        JsonNode job = TestHttp.json(http.get("/api/jobs/" + JOB));
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("error").toString())
                .isEqualTo(
                        "{\"code\":\"COMPOSE_FAILED\",\"message\":\"ffmpeg: bad input\",\"step\":\"composing_video\"}");
        assertThat(job.has("result")).isFalse();
        assertThat(job.get("createdAt").asText()).isEqualTo("2026-11-28T10:00:03Z");
    }

    @Test
    void unknownJobsAre404AndMalformedIds400() {
        HttpResponse<byte[]> unknown = http.get("/api/jobs/" + JOB);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = TestHttp.json(unknown);
        assertThat(problem.get("type").asText()).isEqualTo("about:blank");
        assertThat(problem.get("title").asText()).isEqualTo("Not Found");
        assertThat(problem.get("instance").asText()).isEqualTo("/api/jobs/" + JOB);

        for (String id : new String[] {
            "42",
            "not-a-uuid",
            JOB + "0",
            "5f0c2d7e8a474a559c6e3f1b2a9d4e10",
            "5f0c2d7e-8a47-4a55-9c6e-3f1b2a9d4e1g",
            "%00",
            "..%2f..%2fetc%2fpasswd"
        }) {
            HttpResponse<byte[]> response = http.get("/api/jobs/" + id);
            assertThat(response.statusCode()).as(id).isIn(400, 404);
            assertThat(response.headers().firstValue("Content-Type")).as(id).hasValue("application/problem+json");
        }
        assertThat(http.get("/api/jobs/not-a-uuid").statusCode()).isEqualTo(400);
    }

    @Test
    void idsAreCaseInsensitive() {
        gateway.jobs.update(JOB, JobStatuses.pending(T0));
        JsonNode job = TestHttp.json(http.get("/api/jobs/" + JOB.toUpperCase()));
        assertThat(job.get("jobId").asText()).isEqualTo(JOB);
    }

    @Test
    void aJobJustAcceptedIsPendingBeforeTheTableHasIt() {
        gateway.jobs.tableFollowsPublisher = false;
        String jobId = TestHttp.json(http.postJson(
                        "/api/generate", "{\"tweetBody\":\"x\",\"profileName\":\"A\",\"username\":\"a\"}"))
                .get("jobId")
                .asText();

        HttpResponse<byte[]> response = http.get("/api/jobs/" + jobId);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(response).get("status").asText()).isEqualTo("pending");
        assertThat(TestHttp.json(response).get("currentStep").asText()).isEqualTo("queued");

        // and while lookups are unavailable, too
        gateway.jobs.unavailable = new TemporarilyUnavailableException("rebalancing", Duration.ofSeconds(1));
        assertThat(http.get("/api/jobs/" + jobId).statusCode()).isEqualTo(200);
    }

    @Test
    void unavailableLookupsAre503WithRetryAfter() {
        gateway.jobs.unavailable = new TemporarilyUnavailableException("rebalancing", Duration.ofMillis(300));
        HttpResponse<byte[]> response = http.get("/api/jobs/" + JOB);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(TestHttp.json(response).get("type").asText()).isEqualTo(Problem.STORE_UNAVAILABLE);
    }

    /** Reads an event stream line by line in the background. */
    private static final class EventStream implements AutoCloseable {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final HttpResponse<Stream<String>> response;
        final CompletableFuture<Void> reader;

        EventStream(String path) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(http.base + path))
                    .header("Accept", "text/event-stream")
                    .GET()
                    .build();
            response = http.client
                    .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .get(10, TimeUnit.SECONDS);
            reader = CompletableFuture.runAsync(() -> response.body().forEach(lines::add));
        }

        List<JsonNode> statusEvents(int count) throws Exception {
            List<JsonNode> events = new ArrayList<>();
            String event = null;
            while (events.size() < count) {
                String line = lines.poll(10, TimeUnit.SECONDS);
                assertThat(line).as("event %d of %d", events.size() + 1, count).isNotNull();
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "status".equals(event)) {
                    events.add(Json.MAPPER.readTree(line.substring(6)));
                }
            }
            return events;
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    @Test
    void streamsEachChangeUntilTheJobIsDoneThenEnds() throws Exception {
        gateway.jobs.update(JOB, JobStatuses.pending(T0));
        try (EventStream stream = new EventStream("/api/jobs/" + JOB + "/events")) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            assertThat(stream.response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
            assertThat(stream.statusEvents(1).get(0).get("status").asText()).isEqualTo("pending");
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.jobs.listenerCount(JOB) == 1);

            gateway.jobs.update(JOB, JobStatuses.started(JobStep.generating_screenshot, T0.plusSeconds(1)));
            gateway.jobs.update(JOB, JobStatuses.started(JobStep.generating_screenshot, T0.plusSeconds(1))); // dup
            gateway.jobs.update(JOB, JobStatuses.started(JobStep.composing_video, T0.plusSeconds(2)));
            gateway.jobs.update(JOB, JobStatuses.pending(T0)); // late: must not show
            gateway.jobs.update(JOB, JobStatuses.started(JobStep.saving_file, T0.plusSeconds(3)));
            gateway.jobs.update(JOB, completed(T0.plusSeconds(4)));

            List<JsonNode> events = stream.statusEvents(4);
            assertThat(events)
                    .extracting(e -> e.get("currentStep").asText())
                    .containsExactly("generating_screenshot", "composing_video", "saving_file", "completed");
            assertThat(events.get(3).get("result").get("resolution").asText()).isEqualTo("1080x1920");
            stream.reader.get(5, TimeUnit.SECONDS); // the server ended the stream
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> gateway.jobs.listenerCount(JOB) == 0 && gateway.events.openStreams() == 0);
    }

    @Test
    void aFinishedJobStreamsOneEventAndEnds() throws Exception {
        gateway.jobs.update(JOB, completed(T0.plusSeconds(4)));
        try (EventStream stream = new EventStream("/api/jobs/" + JOB + "/events")) {
            assertThat(stream.statusEvents(1).get(0).get("status").asText()).isEqualTo("completed");
            stream.reader.get(5, TimeUnit.SECONDS);
        }
        assertThat(gateway.jobs.listenerCount(JOB)).isZero();
    }

    @Test
    void aCanceledJobEndsItsStreamLikeAFinishedOne() throws Exception {
        gateway.jobs.update(JOB, JobStatuses.started(JobStep.composing_video, T0.plusSeconds(2)));
        try (EventStream stream = new EventStream("/api/jobs/" + JOB + "/events")) {
            assertThat(stream.statusEvents(1).get(0).get("status").asText()).isEqualTo("processing");
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.jobs.listenerCount(JOB) == 1);

            gateway.jobs.update(JOB, JobStatuses.canceled(JobStep.composing_video, 60, T0.plusSeconds(3)));

            JsonNode last = stream.statusEvents(1).get(0);
            assertThat(last.get("status").asText()).isEqualTo("canceled");
            assertThat(last.get("currentStep").asText()).isEqualTo("composing_video");
            assertThat(last.has("result")).isFalse();
            stream.reader.get(5, TimeUnit.SECONDS); // the server ended the stream
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> gateway.jobs.listenerCount(JOB) == 0 && gateway.events.openStreams() == 0);
    }

    @Test
    void sendsHeartbeatsAndLetsGoOfClientsThatLeave() throws Exception {
        gateway.jobs.update(JOB, JobStatuses.pending(T0));
        try (EventStream stream = new EventStream("/api/jobs/" + JOB + "/events")) {
            stream.statusEvents(1);
            String line;
            do {
                line = stream.lines.poll(5, TimeUnit.SECONDS);
                assertThat(line).as("a heartbeat comment").isNotNull();
            } while (!line.startsWith(":"));
            assertThat(gateway.events.openStreams()).isEqualTo(1);
        }
        // the client is gone: the next heartbeats fail to write and the stream is released
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gateway.jobs.listenerCount(JOB) == 0 && gateway.events.openStreams() == 0);
    }

    @Test
    void eventsOfUnknownOrMalformedJobsAreProblems() {
        HttpResponse<byte[]> unknown =
                http.get("/api/jobs/" + JOB + "/events", java.util.Map.of("Accept", "text/event-stream"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(http.get("/api/jobs/nope/events").statusCode()).isEqualTo(400);
        assertThat(gateway.events.openStreams()).isZero();
        assertThat(gateway.jobs.listenerCount(JOB)).isZero();
    }
}
