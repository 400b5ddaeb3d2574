package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** HTTP helpers shared by the fault tests: submit a job to the gateway, look it up, wait for its end. */
final class FaultTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FaultTestSupport() {
    }

    static Map<String, Object> request(String body, int seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tweetBody", body);
        r.put("profileName", "Fault Tester");
        r.put("username", "@fault_tester");
        r.put("theme", "dark");
        r.put("durationSeconds", seconds);
        return r;
    }

    static String submit(String gateway, Map<String, Object> request) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/generate"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("jobId").asText();
    }

    /** The job as the gateway shows it, or null while it does not know it yet (404). */
    static JsonNode job(String gateway, String jobId) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/jobs/" + jobId))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return null;
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Waits until the job is completed or failed and returns its last view. */
    static JsonNode awaitFinal(String gateway, String jobId, Duration timeout) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().alias("final status of " + jobId).atMost(timeout).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    JsonNode j = job(gateway, jobId);
                    last.set(j);
                    if (j == null) {
                        return false;
                    }
                    String s = j.get("status").asText();
                    return s.equals("completed") || s.equals("failed");
                });
        return last.get();
    }

    static JsonNode awaitCompleted(String gateway, String jobId, Duration timeout) {
        JsonNode done = awaitFinal(gateway, jobId, timeout);
        assertThat(done.get("status").asText()).as("job %s: %s", jobId, done).isEqualTo("completed");
        return done;
    }
}
