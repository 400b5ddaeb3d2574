package io.tweetreel.systemtests;

import static io.tweetreel.systemtests.FaultTestSupport.HTTP;
import static io.tweetreel.systemtests.FaultTestSupport.JSON;
import static io.tweetreel.systemtests.FaultTestSupport.request;
import static io.tweetreel.systemtests.PipelineStackExtension.GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A 20-item batch on the real stack: every item completes, the archive holds 20 playable MP4s and its manifest. */
@ExtendWith(PipelineStackExtension.class)
class BatchSystemTest {
    private static final Logger log = LoggerFactory.getLogger(BatchSystemTest.class);
    private static final int ITEMS = 20;

    @Test
    void aTwentyItemBatchCompletesAndItsArchiveHoldsEveryVideoAndAManifest(@TempDir Path dir) throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start("127.0.0.1", n -> 200)) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                items.add(request("Backfill item " + i + " of " + ITEMS + " #batch", 3));
            }
            items.get(0).put("formats", List.of("9:16", "1:1")); // the archive holds each format's video
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", items);
            body.put("webhookUrl", receiver.url("/hooks/batches"));
            body.put("metadata", Map.of("campaign", "backfill-" + ITEMS));
            long startNanos = System.nanoTime();
            HttpResponse<String> accepted = post("/api/batches", JSON.writeValueAsString(body));
            log.info("{}-item batch accepted in {} ms", ITEMS, (System.nanoTime() - startNanos) / 1_000_000);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            JsonNode batch = JSON.readTree(accepted.body());
            String batchId = batch.get("batchId").asText();
            assertThat(batch.get("jobs")).hasSize(ITEMS);

            JsonNode done = await("every item final")
                    .atMost(Duration.ofMinutes(8))
                    .pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions()
                    .until(
                            () -> JSON.readTree(get("/api/batches/" + batchId).body()),
                            b -> b.get("completed").asInt()
                                            + b.get("failed").asInt()
                                            + b.get("canceled").asInt()
                                    == ITEMS);
            assertThat(done.get("total").asInt()).isEqualTo(ITEMS);
            assertThat(done.get("completed").asInt()).as(done.toString()).isEqualTo(ITEMS);
            for (int i = 0; i < ITEMS; i++) {
                assertThat(done.get("jobs").get(i).get("jobId").asText())
                        .as("item order")
                        .isEqualTo(batch.get("jobs").get(i).get("jobId").asText());
            }

            Map<String, Path> videos = new HashMap<>();
            JsonNode manifest = null;
            HttpResponse<InputStream> archive = HTTP.send(
                    HttpRequest.newBuilder(URI.create(GATEWAY + "/api/batches/" + batchId + "/archive"))
                            .timeout(Duration.ofMinutes(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(archive.statusCode()).isEqualTo(200);
            assertThat(archive.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/zip"));
            try (ZipInputStream zip = new ZipInputStream(archive.body())) {
                ZipEntry entry;
                while ((entry = zip.getNextEntry()) != null) {
                    assertThat(entry.getName()).doesNotContain("/").doesNotContain("..");
                    Path file = dir.resolve(entry.getName());
                    Files.copy(zip, file);
                    if (entry.getName().equals("manifest.json")) {
                        manifest = JSON.readTree(file.toFile());
                    } else {
                        videos.put(entry.getName(), file);
                    }
                }
            }
            assertThat(manifest).as("manifest.json in the archive").isNotNull();
            assertThat(videos).hasSize(ITEMS + 1);
            JsonNode entries = manifest.isArray() ? manifest : manifest.get("items");
            assertThat(entries).hasSize(ITEMS);
            for (int i = 0; i < ITEMS; i++) {
                JsonNode item = entries.get(i);
                JsonNode job = done.get("jobs").get(i);
                assertThat(item.get("index").asInt()).isEqualTo(i);
                assertThat(item.get("jobId").asText())
                        .isEqualTo(job.get("jobId").asText());
                assertThat(item.get("status").asText()).isEqualTo("completed");
                String filename = item.get("filename").asText();
                assertThat(filename).isEqualTo(job.get("result").get("filename").asText());
                JsonNode outputs = job.get("result").get("outputs");
                assertThat(item.get("files")).hasSize(i == 0 ? 2 : 1).hasSameSizeAs(outputs);
                for (int k = 0; k < outputs.size(); k++) {
                    JsonNode file = item.get("files").get(k);
                    assertThat(file.get("format").asText())
                            .isEqualTo(outputs.get(k).get("format").asText());
                    String name = file.get("filename").asText();
                    assertThat(name).isEqualTo(outputs.get(k).get("filename").asText());
                    Path mp4 = videos.get(name);
                    assertThat(mp4).as("%s in the archive", name).isNotNull();
                    assertThat(Files.size(mp4))
                            .isEqualTo(outputs.get(k).get("fileSize").asLong());
                    assertThat(durationSeconds(mp4)).as("duration of %s", name).isBetween(2.9, 3.1);
                }
            }

            var events = await("batch.completed")
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () -> receiver.requests().stream()
                                    .filter(r -> r.body().contains("\"batch.completed\""))
                                    .toList(),
                            l -> !l.isEmpty());
            var event = events.get(0);
            assertThat(event.verifies(PipelineStackExtension.WEBHOOK_SECRET, Duration.ofMinutes(5)))
                    .isTrue();
            JsonNode data = JSON.readTree(event.body()).get("data");
            assertThat(data.get("batchId").asText()).isEqualTo(batchId);
            assertThat(data.get("total").asInt()).isEqualTo(ITEMS);
            assertThat(data.get("completed").asInt()).isEqualTo(ITEMS);
            assertThat(data.get("metadata").get("campaign").asText()).isEqualTo("backfill-" + ITEMS);
        }
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(GATEWAY + path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(GATEWAY + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double durationSeconds(Path mp4) throws Exception {
        Process ffprobe = new ProcessBuilder(
                        "ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", mp4.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(ffprobe.getInputStream().readAllBytes()).trim();
        assertThat(ffprobe.waitFor()).as(out).isZero();
        return Double.parseDouble(out);
    }
}
