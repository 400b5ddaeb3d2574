package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobStep;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /api/jobs/{id}/cancel, over HTTP with the Kafka side faked. */
class JobCancellationsTest {
    private static final String JOB = "5f0c2d7e-8a47-4a55-9c6e-3f1b2a9d4e10";
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @RegisterExtension
    static final GatewayFixture gateway = new GatewayFixture();

    private static final TestHttp http = gateway.http;

    private static HttpResponse<byte[]> cancel(String jobId) {
        return http.send("POST", "/api/jobs/" + jobId + "/cancel", Map.of(), null);
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
        assertThat(TestHttp.json(response).get("type").asText()).isEqualTo(type);
    }

    @Test
    void aRunningJobIsCanceledWhereItStandsAndSaysSo() {
        gateway.jobs.update(JOB, JobStatuses.pending(T0));
        gateway.jobs.update(JOB, JobStatuses.started(JobStep.composing_video, T0.plusSeconds(2)));
        gateway.jobs.requests.put(JOB, new RequestSummary("f".repeat(64), Map.of("order", "42"), false));

        HttpResponse<byte[]> response = cancel(JOB);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/jobs/" + JOB);
        JsonNode job = TestHttp.json(response);
        assertThat(job.get("jobId").asText()).isEqualTo(JOB);
        assertThat(job.get("status").asText()).isEqualTo("canceled");
        assertThat(job.get("currentStep").asText()).isEqualTo("composing_video");
        assertThat(job.get("progress").asInt()).isEqualTo(60);
        assertThat(job.has("result")).isFalse();
        assertThat(job.has("error")).isFalse();
        assertThat(job.get("createdAt").asText()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(job.get("metadata").get("order").asText()).isEqualTo("42");
        assertThat(gateway.jobs.cancels).containsExactly(JOB);

        assertThat(TestHttp.json(http.get("/api/jobs/" + JOB)).get("status").asText())
                .isEqualTo("canceled");
    }

    @Test
    void aJobJustAcceptedCanBeCanceledBeforeTheTableHasIt() {
        gateway.jobs.tableFollowsPublisher = false;
        String jobId = TestHttp.json(http.postJson(
                        "/api/generate", "{\"tweetBody\":\"x\",\"profileName\":\"A\",\"username\":\"a\"}"))
                .get("jobId")
                .asText();

        HttpResponse<byte[]> response = cancel(jobId);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(response).get("status").asText()).isEqualTo("canceled");
        assertThat(TestHttp.json(response).get("currentStep").asText()).isEqualTo("queued");
        assertThat(gateway.jobs.cancels).containsExactly(jobId);
    }

    @Test
    void cancelingAgainIs202AndWritesNothingMore() {
        gateway.jobs.update(JOB, JobStatuses.started(JobStep.generating_screenshot, T0.plusSeconds(1)));
        assertThat(cancel(JOB).statusCode()).isEqualTo(202);

        HttpResponse<byte[]> again = cancel(JOB);

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(again).get("status").asText()).isEqualTo("canceled");
        assertThat(TestHttp.json(again).get("currentStep").asText()).isEqualTo("generating_screenshot");
        assertThat(gateway.jobs.cancels).containsExactly(JOB);
    }

    @Test
    void aCompletedOrFailedJobIs409AndNothingIsWritten() {
        gateway.jobs.update(JOB, JobLookupTest.completed(T0.plusSeconds(4)));
        HttpResponse<byte[]> response = cancel(JOB);
        assertProblem(response, 409, Problem.JOB_FINISHED);
        assertThat(TestHttp.json(response).get("detail").asText()).contains("completed");

        String failed = "0b7f6f1c-4d3e-4b8a-9a61-2c5d7e8f9a01";
        gateway.jobs.update(
                failed, JobStatuses.failed(JobStep.composing_video, "COMPOSE_FAILED", "boom", T0.plusSeconds(3)));
        assertProblem(cancel(failed), 409, Problem.JOB_FINISHED);

        assertThat(gateway.jobs.cancels).isEmpty();
    }

    @Test
    void aCancelThatLosesTheRaceToCompletionIs409LikeACompletedJob() {
        gateway.jobs.update(JOB, JobStatuses.started(JobStep.saving_file, T0.plusSeconds(3)));
        // storage's completed reaches videos.status before the table's canceled, which the table then ignores
        gateway.jobs.statusAfterCancel = known -> JobLookupTest.completed(T0.plusSeconds(4));

        HttpResponse<byte[]> response = cancel(JOB);

        assertProblem(response, 409, Problem.JOB_FINISHED);
        assertThat(TestHttp.json(response).get("detail").asText()).contains("completed");
        assertThat(gateway.jobs.cancels).as("the cancel was written").containsExactly(JOB);
        assertThat(TestHttp.json(http.get("/api/jobs/" + JOB)).get("status").asText())
                .isEqualTo("completed");
    }

    @Test
    void whenNoFinalStatusComesInTimeTheWrittenCancelIs202WithTheJobAsItStands() {
        gateway.jobs.update(JOB, JobStatuses.started(JobStep.composing_video, T0.plusSeconds(2)));
        gateway.jobs.statusAfterCancel = null; // the table lags

        long started = System.nanoTime();
        HttpResponse<byte[]> response = cancel(JOB);

        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(JobCancellations.WAIT_FOR_FINAL);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(TestHttp.json(response).get("status").asText()).isEqualTo("processing");
        assertThat(gateway.jobs.cancels).containsExactly(JOB);
    }

    @Test
    void unknownJobsAre404MalformedIds400AndNothingIsWritten() {
        assertProblem(cancel("0b7f6f1c-4d3e-4b8a-9a61-2c5d7e8f9a01"), 404, "about:blank");
        assertThat(cancel("not-a-uuid").statusCode()).isEqualTo(400);
        assertThat(http.send("GET", "/api/jobs/" + JOB + "/cancel", Map.of(), null)
                        .statusCode())
                .isIn(404, 405);
        assertThat(gateway.jobs.cancels).isEmpty();
    }

    @Test
    void aCancelKafkaDoesNotTakeIs503WithRetryAfter() {
        gateway.jobs.update(JOB, JobStatuses.started(JobStep.composing_video, T0.plusSeconds(2)));
        gateway.jobs.cancelsUnavailable = new TemporarilyUnavailableException("broker away", Duration.ofSeconds(2));

        HttpResponse<byte[]> response = cancel(JOB);

        assertProblem(response, 503, Problem.STORE_UNAVAILABLE);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(TestHttp.json(http.get("/api/jobs/" + JOB)).get("status").asText())
                .isEqualTo("processing");
    }

    @Test
    void theApiDocumentDeclaresTheEndpointItsAnswersAndTheCanceledState() {
        JsonNode spec = TestHttp.json(http.get("/api/openapi.json"));
        JsonNode cancel = spec.at("/paths/~1api~1jobs~1{jobId}~1cancel/post");
        assertThat(cancel.at("/responses").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("202", "400", "401", "404", "409", "503");
        assertThat(cancel.at("/responses/409/description").asText()).contains(Problem.JOB_FINISHED);
        assertThat(spec.at("/components/schemas/Job/properties/status/enum"))
                .extracting(JsonNode::asText)
                .contains("canceled");
    }
}
