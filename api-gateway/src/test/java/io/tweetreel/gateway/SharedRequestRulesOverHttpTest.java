package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tweetreel.core.Json;
import io.tweetreel.core.testing.RequestRuleCases;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared table of bad requests over HTTP: each is a 400 naming its field with the rules' message, the same
 * words the renderer puts in a failed job when the request comes straight from Kafka (RendererTopologyTest).
 */
class SharedRequestRulesOverHttpTest {
    @RegisterExtension
    static final GatewayFixture gateway = new GatewayFixture();

    static List<RequestRuleCases.Case> cases() {
        return RequestRuleCases.ALL;
    }

    /** Non-ASCII escaped as \\uXXXX, so a lone surrogate reaches the gateway as a JSON escape, not as '?'. */
    private static HttpResponse<byte[]> post(ObjectNode body) throws Exception {
        return gateway.http.postJson(
                "/api/generate",
                Json.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(body));
    }

    @Test
    void theTableStartsFromAValidRequest() throws Exception {
        assertThat(post(RequestRuleCases.validJson()).statusCode()).isEqualTo(202);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadValueIs400WithItsFieldAndTheSharedMessage(RequestRuleCases.Case bad) throws Exception {
        HttpResponse<byte[]> response = post(bad.json());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = TestHttp.json(response);
        assertThat(problem.get("type").asText()).isEqualTo(Problem.INVALID_REQUEST);
        assertThat(problem.get("errors").toString())
                .isEqualTo(Json.MAPPER.writeValueAsString(List.of(new FieldError(bad.field(), bad.message()))));
        assertThat(gateway.jobs.published).isEmpty();
    }
}
