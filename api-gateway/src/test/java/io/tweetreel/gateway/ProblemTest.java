package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Problem documents as RFC 9457 shapes them, and as a forwarding instance reads them back. */
class ProblemTest {
    @Test
    void writesOnlyTheRfcMembersAndErrors() throws Exception {
        Problem p = Problem.invalid(List.of(new FieldError("username", "is required")))
                .withInstance("/api/generate")
                .withHeader("Retry-After", "1");
        assertThat(Json.MAPPER.writeValueAsString(p))
                .isEqualTo(
                        "{\"type\":\"urn:tweetreel:problem:invalid-request\","
                                + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"1 field is invalid\","
                                + "\"instance\":\"/api/generate\",\"errors\":[{\"field\":\"username\",\"message\":\"is required\"}]}");
        assertThat(Json.MAPPER.writeValueAsString(Problem.of(404, "no such job")))
                .isEqualTo(
                        "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such job\"}");
    }

    @Test
    void readsBackWhatAnotherInstanceSent() throws Exception {
        Problem read = Json.MAPPER.readValue(
                "{\"type\":\"about:blank\",\"title\":\"Bad Gateway\",\"status\":502,"
                        + "\"detail\":\"x\",\"instance\":\"/internal/stores/job-status/k\"}",
                Problem.class);
        assertThat(read.status()).isEqualTo(502);
        assertThat(read.title()).isEqualTo("Bad Gateway");
    }
}
