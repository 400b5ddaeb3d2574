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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Fairness: a single job submitted while 200 batch items are queued completes within 3x its latency on an idle
 * pipeline, because the gateway's batch scheduler lets only BATCH_IN_FLIGHT batch jobs into the stages at once.
 */
@ExtendWith(PipelineStackExtension.class)
class BatchFairnessSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH_ITEMS = 200;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Map<String, Object> request(String body) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tweetBody", body);
        r.put("profileName", "Fair Tester");
        r.put("username", "fair_tester");
        r.put("durationSeconds", 3);
        return r;
    }

    private HttpResponse<String> post(String path, Object body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(PipelineStackExtension.GATEWAY + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String status(String jobId) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(PipelineStackExtension.GATEWAY + "/api/jobs/" + jobId))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("status").asText();
    }

    /** Submits one job and returns how long it took to complete, in milliseconds. */
    private long singleJobLatency(String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = post("/api/generate", request(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String jobId = JSON.readTree(r.body()).get("jobId").asText();
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String state = status(jobId);
                    assertThat(state).as("job %s", jobId).isIn("pending", "processing", "completed");
                    return state.equals("completed");
                });
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aSingleJobIsNotStarvedByTwoHundredQueuedBatchItems() throws Exception {
        singleJobLatency("warm-up: browser, encoder and topics are ready after this one");
        long idle = singleJobLatency("a single job on an idle pipeline");

        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < BATCH_ITEMS; i++) {
            items.add(request("backfill item " + i));
        }
        HttpResponse<String> accepted = post("/api/batches", Map.of("items", items));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode batch = JSON.readTree(accepted.body());
        assertThat(batch.get("jobs")).hasSize(BATCH_ITEMS);
        String batchId = batch.get("batchId").asText();

        try {
            long behindBatch = singleJobLatency("a single job while the backfill is queued");
            LoggerFactory.getLogger(BatchFairnessSystemTest.class)
                    .info(
                            "fairness: single job {} ms behind {} queued batch items, {} ms idle: {}x",
                            behindBatch,
                            BATCH_ITEMS,
                            idle,
                            String.format(java.util.Locale.ROOT, "%.2f", (double) behindBatch / idle));
            assertThat((double) behindBatch / idle)
                    .as("single job %d ms behind the batch, %d ms idle", behindBatch, idle)
                    .isLessThanOrEqualTo(3.0);
        } finally {
            HttpResponse<String> cancel = post("/api/batches/" + batchId + "/cancel", Map.of());
            assertThat(cancel.statusCode()).as(cancel.body()).isBetween(200, 299);
        }
    }
}
