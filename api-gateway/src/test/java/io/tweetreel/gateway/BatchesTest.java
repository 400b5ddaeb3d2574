package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.Animation;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ReelOutput;
import io.tweetreel.schemas.VideoRequested;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch endpoints over HTTP, with the Kafka side and the object store faked. */
class BatchesTest {
    private static final String ITEM = """
            {"tweetBody":"Item %d","profileName":"Ada Lovelace","username":"@ada"}""";
    private static final Instant LATER = Instant.now().plus(Duration.ofHours(24));

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

    private static String batchOf(int count) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(ITEM.formatted(i));
        }
        return "{\"items\":[" + String.join(",", items) + "]}";
    }

    private static JsonNode accepted(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(TestHttp.text(response)).isEqualTo(202);
        return TestHttp.json(response);
    }

    private static List<String> jobIds(JsonNode accepted) {
        List<String> ids = new ArrayList<>();
        accepted.get("jobs").forEach(job -> ids.add(job.get("jobId").asText()));
        return ids;
    }

    private static Map<String, String> fieldErrors(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
        Map<String, String> errors = new LinkedHashMap<>();
        TestHttp.json(response)
                .get("errors")
                .forEach(e ->
                        errors.put(e.get("field").asText(), e.get("message").asText()));
        return errors;
    }

    @Test
    void acceptsABatchAndPublishesBatchItemsAndPendingTogether() {
        HttpResponse<byte[]> response = http.postJson("/api/batches", """
                {"items":[
                  {"tweetBody":"first","profileName":"Ada","username":"@ada","webhookUrl":"https://hooks.example/a"},
                  {"tweetBody":"second","profileName":"Grace","username":"grace","theme":"light"}],
                 "webhookUrl":"https://hooks.example/batch","metadata":{"campaign":"spring"}}""");

        JsonNode body = accepted(response);
        String batchId = body.get("batchId").asText();
        List<String> jobIds = jobIds(body);
        assertThat(body.get("statusUrl").asText()).isEqualTo(GatewayFixture.BASE_URL + "/api/batches/" + batchId);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/batches/" + batchId);
        assertThat(jobIds).hasSize(2).doesNotHaveDuplicates().allMatch(JobIds::isValid);

        assertThat(gateway.batches.published).singleElement().satisfies(p -> {
            assertThat(p.batchId()).isEqualTo(batchId);
            assertThat(p.batch().getJobIds()).containsExactlyElementsOf(jobIds);
            assertThat(p.batch().getWebhookUrl()).isEqualTo("https://hooks.example/batch");
            assertThat(p.batch().getMetadata()).containsEntry("campaign", "spring");
            assertThat(p.items()).extracting(BatchPublisher.Item::jobId).containsExactlyElementsOf(jobIds);
            assertThat(p.items().get(0).request().getTweetBody()).isEqualTo("first");
            assertThat(p.items().get(0).request().getUsername()).isEqualTo("ada");
            // items keep their own webhook and do not inherit the batch's
            assertThat(p.items().get(0).request().getWebhookUrl()).isEqualTo("https://hooks.example/a");
            assertThat(p.items().get(1).request().getWebhookUrl()).isNull();
            assertThat(p.items()).allSatisfy(item -> {
                assertThat(item.request().getBatchId()).isEqualTo(batchId);
                assertThat(item.request().getRequestedAt()).isEqualTo(p.batch().getCreatedAt());
                assertThat(item.pending().getStatus()).isEqualTo(JobState.pending);
            });
        });
        // nothing went the single-job way (videos.requested)
        assertThat(gateway.jobs.published).isEmpty();
    }

    @Test
    void accepts500ItemsOfFullLengthBeyondTheSingleJobBodyLimit() {
        String longText = "x".repeat(2000);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < BatchSubmissions.MAX_ITEMS; i++) {
            items.add("{\"tweetBody\":\"" + longText + "\",\"profileName\":\"Ada " + i + "\",\"username\":\"ada\"}");
        }
        String json = "{\"items\":[" + String.join(",", items) + "]}";
        assertThat(json.length()).isGreaterThan(1_000_000);

        JsonNode body = accepted(http.postJson("/api/batches", json));

        assertThat(jobIds(body)).hasSize(500).doesNotHaveDuplicates();
        assertThat(gateway.batches.published).singleElement().satisfies(p -> {
            assertThat(p.items()).hasSize(500);
            assertThat(p.items().get(499).request().getProfileName()).isEqualTo("Ada 499");
        });
        // the single-job endpoint keeps its 64 KB limit
        assertThat(http.postJson(
                                "/api/generate",
                                "{\"tweetBody\":\"" + "x".repeat(70_000)
                                        + "\",\"profileName\":\"A\",\"username\":\"a\"}")
                        .statusCode())
                .isEqualTo(413);
    }

    @Test
    void anInvalidItemRefusesTheWholeBatchNamingEveryBadField() {
        HttpResponse<byte[]> response = http.postJson("/api/batches", """
                {"items":[
                  {"tweetBody":"fine","profileName":"Ada","username":"ada"},
                  {"tweetBody":"","profileName":"Ada","username":"ada"},
                  "not an object",
                  {"tweetBody":"x","profileName":"Ada","username":"no spaces","durationSeconds":99,"tweet_body":"x"}],
                 "metadata":{"campaign":5},"colour":"red"}""");

        Map<String, String> errors = fieldErrors(response);
        assertThat(errors)
                .containsKeys(
                        "items[1].tweetBody",
                        "items[2]",
                        "items[3].username",
                        "items[3].durationSeconds",
                        "items[3].tweet_body",
                        "metadata.campaign",
                        "colour")
                .doesNotContainKey("items[0].tweetBody");
        assertThat(errors.get("items[3].tweet_body")).isEqualTo("is not a known field");
        assertThat(TestHttp.json(response).get("instance").asText()).isEqualTo("/api/batches");
        assertThat(gateway.batches.published).isEmpty();
    }

    @Test
    void batchItemsCarryTheirOwnMotionAndSound() {
        HttpResponse<byte[]> refused = http.postJson("/api/batches", """
                {"items":[
                  {"tweetBody":"a","profileName":"Ada","username":"ada","animation":"reveal","music":"jazz"},
                  {"tweetBody":"b","profileName":"Ada","username":"ada","zoom":"on"}]}""");
        assertThat(fieldErrors(refused)).containsOnlyKeys("items[0].music", "items[1].zoom");

        HttpResponse<byte[]> response = http.postJson("/api/batches", """
                {"items":[
                  {"tweetBody":"a","profileName":"Ada","username":"ada","animation":"reveal","music":"calm"},
                  {"tweetBody":"b","profileName":"Ada","username":"ada","durationSeconds":7,"zoom":true}]}""");

        accepted(response);
        assertThat(gateway.batches.published).singleElement().satisfies(p -> {
            VideoRequested first = p.items().get(0).request();
            VideoRequested second = p.items().get(1).request();
            assertThat(first.getAnimation()).isEqualTo(Animation.reveal);
            assertThat(first.getMusic()).isEqualTo("calm");
            assertThat(first.getDurationSeconds()).isZero();
            assertThat(second.getAnimation()).isEqualTo(Animation.none);
            assertThat(second.getZoom()).isTrue();
            assertThat(second.getDurationSeconds()).isEqualTo(7);
        });
    }

    @Test
    void itemsMustBeOneTo500Requests() {
        assertThat(fieldErrors(http.postJson("/api/batches", "{\"items\":[]}")))
                .containsOnlyKeys("items")
                .containsValue("must hold at least 1 item");
        assertThat(fieldErrors(http.postJson("/api/batches", batchOf(501))))
                .containsOnlyKeys("items")
                .hasValueSatisfying(new org.assertj.core.api.Condition<>(m -> m.contains("at most 500"), "max"));
        assertThat(fieldErrors(http.postJson("/api/batches", "{}"))).containsEntry("items", "is required");
        assertThat(fieldErrors(http.postJson("/api/batches", "{\"items\":{}}"))).containsOnlyKeys("items");
        assertThat(fieldErrors(http.postJson(
                        "/api/batches",
                        "{\"items\":[" + ITEM.formatted(1) + "]," + "\"webhookUrl\":\"ftp://hooks.example\"}")))
                .containsOnlyKeys("webhookUrl");
        assertThat(gateway.batches.published).isEmpty();
    }

    @Test
    void sameIdempotencyKeyAndBodyAnswersTheSameBatchADifferentBody409() {
        String key = "batch-" + UUID.randomUUID();
        JsonNode first = accepted(http.postJson("/api/batches", batchOf(3), key));

        HttpResponse<byte[]> again = http.postJson("/api/batches", batchOf(3), key);
        assertThat(accepted(again)).isEqualTo(first);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        gateway.recentBatches.clear(); // another instance, or minutes later: the batch table answers
        assertThat(accepted(http.postJson("/api/batches", batchOf(3), key))).isEqualTo(first);

        HttpResponse<byte[]> different = http.postJson("/api/batches", batchOf(4), key);
        assertThat(different.statusCode()).isEqualTo(409);
        assertThat(TestHttp.json(different).get("type").asText()).isEqualTo(Problem.IDEMPOTENCY_KEY_REUSED);
        assertThat(gateway.batches.published).hasSize(1);

        // the same key names a different thing for a single job
        JsonNode job = TestHttp.json(http.postJson("/api/generate", ITEM.formatted(1), key));
        assertThat(jobIds(first)).doesNotContain(job.get("jobId").asText());
    }

    @Test
    void unknownBatchesAre404AndBadIds400() {
        String unknown = UUID.randomUUID().toString();
        for (String path : List.of("", "/events", "/archive")) {
            assertThat(http.get("/api/batches/" + unknown + path).statusCode()).isEqualTo(404);
        }
        assertThat(http.send("POST", "/api/batches/" + unknown + "/cancel", Map.of(), null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(http.get("/api/batches/not-a-uuid").statusCode()).isEqualTo(400);
    }

    @Test
    void aBatchAndItsItemsAreFoundRightAfterTheirAcceptanceEvenBeforeTheTablesHaveThem() {
        gateway.jobs.tableFollowsPublisher = false;
        JsonNode body = accepted(http.postJson("/api/batches", batchOf(2)));
        String batchId = body.get("batchId").asText();

        JsonNode batch = TestHttp.json(http.get("/api/batches/" + batchId));
        assertThat(batch.get("total").asInt()).isEqualTo(2);
        assertThat(batch.get("pending").asInt()).isEqualTo(2);
        JsonNode job = TestHttp.json(http.get("/api/jobs/" + jobIds(body).get(0)));
        assertThat(job.get("status").asText()).isEqualTo("pending");
    }

    @Test
    void getCountsItemsByStateAndListsThemInItemOrder() {
        JsonNode body = accepted(http.postJson("/api/batches", """
                {"items":[%s,%s,%s,%s,%s],"metadata":{"campaign":"spring"}}""".formatted(
                ITEM.formatted(0), ITEM.formatted(1), ITEM.formatted(2), ITEM.formatted(3), ITEM.formatted(4))));
        String batchId = body.get("batchId").asText();
        List<String> ids = jobIds(body);
        Instant now = Instant.now();
        gateway.jobs.update(ids.get(0), completed(filename(0)));
        gateway.jobs.update(ids.get(1), JobStatuses.failed(JobStep.composing_video, "COMPOSE_FAILED", "boom", now));
        gateway.jobs.update(ids.get(2), JobStatuses.started(JobStep.generating_screenshot, now));
        gateway.jobs.update(ids.get(3), JobStatuses.canceled(JobStep.queued, 0, now));

        HttpResponse<byte[]> response = http.get("/api/batches/" + batchId);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode batch = TestHttp.json(response);
        assertThat(batch.get("batchId").asText()).isEqualTo(batchId);
        assertThat(batch.get("total").asInt()).isEqualTo(5);
        assertThat(batch.get("pending").asInt()).isEqualTo(1);
        assertThat(batch.get("processing").asInt()).isEqualTo(1);
        assertThat(batch.get("completed").asInt()).isEqualTo(1);
        assertThat(batch.get("failed").asInt()).isEqualTo(1);
        assertThat(batch.get("canceled").asInt()).isEqualTo(1);
        assertThat(batch.get("metadata").get("campaign").asText()).isEqualTo("spring");
        assertThat(batch.get("createdAt").asText()).isNotBlank();
        JsonNode jobs = batch.get("jobs");
        assertThat(jobs).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(jobs.get(i).get("jobId").asText()).isEqualTo(ids.get(i));
        }
        assertThat(jobs.get(0).get("status").asText()).isEqualTo("completed");
        assertThat(jobs.get(0).get("result").get("filename").asText()).isEqualTo(filename(0));
        assertThat(jobs.get(1).get("error").get("code").asText()).isEqualTo("COMPOSE_FAILED");
        assertThat(jobs.get(1).has("result")).isFalse();
        assertThat(jobs.get(2).get("progress").asInt()).isEqualTo(20);
        assertThat(jobs.get(3).get("status").asText()).isEqualTo("canceled");
        assertThat(jobs.get(4).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void cancelWritesACancellationForEveryItemNotFinalAndAnswersTheBatch() {
        JsonNode body = accepted(http.postJson("/api/batches", batchOf(3)));
        String batchId = body.get("batchId").asText();
        List<String> ids = jobIds(body);
        gateway.jobs.update(ids.get(0), completed(filename(0)));
        gateway.jobs.update(ids.get(1), JobStatuses.started(JobStep.composing_video, Instant.now()));

        HttpResponse<byte[]> response = http.send("POST", "/api/batches/" + batchId + "/cancel", Map.of(), null);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(gateway.batches.canceled)
                .containsExactly(
                        new FakeBatches.Canceled(batchId, ids.get(1)), new FakeBatches.Canceled(batchId, ids.get(2)));
        JsonNode batch = TestHttp.json(response);
        assertThat(batch.get("completed").asInt()).isEqualTo(1);
        assertThat(batch.get("canceled").asInt()).isEqualTo(2);
        assertThat(batch.get("jobs").get(1).get("currentStep").asText()).isEqualTo("composing_video");

        // again: nothing left to cancel, same answer
        HttpResponse<byte[]> repeated = http.send("POST", "/api/batches/" + batchId + "/cancel", Map.of(), null);
        assertThat(repeated.statusCode()).isEqualTo(202);
        assertThat(gateway.batches.canceled).hasSize(2);
    }

    @Test
    void archiveStreamsEveryCompletedVideoAndAManifestOfEveryItem() throws IOException {
        JsonNode body = accepted(http.postJson("/api/batches", batchOf(5)));
        String batchId = body.get("batchId").asText();
        List<String> ids = jobIds(body);
        byte[] video0 = "first video bytes".getBytes(StandardCharsets.UTF_8);
        byte[] video2 = new byte[300_000];
        new java.util.Random(7).nextBytes(video2);
        gateway.objects.putBytes(
                GatewayFixture.BUCKET, filename(0), video0, Map.of(ObjectLayout.EXPIRES_AT, LATER.toString()));
        gateway.objects.putBytes(
                GatewayFixture.BUCKET, filename(2), video2, Map.of(ObjectLayout.EXPIRES_AT, LATER.toString()));
        gateway.jobs.update(ids.get(0), completed(filename(0)));
        gateway.jobs.update(
                ids.get(1), JobStatuses.failed(JobStep.generating_screenshot, "RENDER_FAILED", "no", Instant.now()));
        gateway.jobs.update(ids.get(2), completed(filename(2)));
        gateway.jobs.update(ids.get(3), completed(filename(3))); // filed, then swept: not in the store

        HttpResponse<byte[]> response = http.get("/api/batches/" + batchId + "/archive");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"batch-" + batchId + ".zip\"");
        Map<String, byte[]> entries = unzip(response.body());
        assertThat(entries).containsOnlyKeys(filename(0), filename(2), BatchArchives.MANIFEST);
        assertThat(entries.get(filename(0))).isEqualTo(video0);
        assertThat(entries.get(filename(2))).isEqualTo(video2);

        JsonNode manifest = Json.MAPPER.readTree(entries.get(BatchArchives.MANIFEST));
        assertThat(manifest).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(manifest.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(manifest.get(i).get("jobId").asText()).isEqualTo(ids.get(i));
        }
        assertThat(manifest.get(0).get("status").asText()).isEqualTo("completed");
        assertThat(manifest.get(0).get("filename").asText()).isEqualTo(filename(0));
        assertThat(manifest.get(0).get("files").get(0).get("format").asText()).isEqualTo("9:16");
        assertThat(manifest.get(0).get("files").get(0).get("filename").asText()).isEqualTo(filename(0));
        assertThat(manifest.get(0).get("files")).hasSize(1);
        assertThat(manifest.get(0).get("error").isNull()).isTrue();
        assertThat(manifest.get(1).get("status").asText()).isEqualTo("failed");
        assertThat(manifest.get(1).get("filename").isNull()).isTrue();
        assertThat(manifest.get(1).get("files")).isEmpty();
        assertThat(manifest.get(1).get("error").get("code").asText()).isEqualTo("RENDER_FAILED");
        assertThat(manifest.get(3).get("status").asText()).isEqualTo("completed");
        assertThat(manifest.get(3).get("filename").isNull()).isTrue();
        assertThat(manifest.get(3).get("error").get("code").asText()).isEqualTo(BatchArchives.VIDEO_UNAVAILABLE);
        assertThat(manifest.get(4).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void archiveHoldsEveryFormatOfAnItemAndNamesAMissingOne() throws IOException {
        JsonNode body = accepted(http.postJson("/api/batches", batchOf(2)));
        String batchId = body.get("batchId").asText();
        List<String> ids = jobIds(body);
        Map<String, byte[]> stored = new LinkedHashMap<>();
        for (int n : new int[] {10, 11, 12, 20}) { // item 0: 9:16, 1:1, 16:9; item 1: 9:16 only of 9:16 + 4:5
            byte[] video = ("video " + n).getBytes(StandardCharsets.UTF_8);
            gateway.objects.putBytes(
                    GatewayFixture.BUCKET, filename(n), video, Map.of(ObjectLayout.EXPIRES_AT, LATER.toString()));
            stored.put(filename(n), video);
        }
        gateway.jobs.update(ids.get(0), completedIn("9:16", filename(10), "1:1", filename(11), "16:9", filename(12)));
        gateway.jobs.update(ids.get(1), completedIn("9:16", filename(20), "4:5", filename(21))); // 4:5 swept

        Map<String, byte[]> entries =
                unzip(http.get("/api/batches/" + batchId + "/archive").body());

        assertThat(entries)
                .containsOnlyKeys(filename(10), filename(11), filename(12), filename(20), BatchArchives.MANIFEST);
        stored.forEach((name, video) -> assertThat(entries.get(name)).as(name).isEqualTo(video));
        JsonNode manifest = Json.MAPPER.readTree(entries.get(BatchArchives.MANIFEST));
        JsonNode all = manifest.get(0);
        assertThat(all.get("filename").asText()).isEqualTo(filename(10));
        assertThat(all.get("files")).hasSize(3);
        assertThat(List.of(0, 1, 2).stream()
                        .map(i -> all.get("files").get(i).get("format").asText()))
                .containsExactly("9:16", "1:1", "16:9");
        assertThat(all.get("files").get(2).get("filename").asText()).isEqualTo(filename(12));
        assertThat(all.get("error").isNull()).isTrue();
        JsonNode partial = manifest.get(1);
        assertThat(partial.get("status").asText()).isEqualTo("completed");
        assertThat(partial.get("filename").asText()).isEqualTo(filename(20));
        assertThat(partial.get("files")).hasSize(1);
        assertThat(partial.get("error").get("code").asText()).isEqualTo(BatchArchives.VIDEO_UNAVAILABLE);
        assertThat(partial.get("error").get("message").asText()).startsWith("4:5: ");
    }

    @Test
    void eventsStartWithTheBatchAndEndOnceEveryItemIsFinal() throws Exception {
        JsonNode body = accepted(http.postJson("/api/batches", batchOf(2)));
        String batchId = body.get("batchId").asText();
        List<String> ids = jobIds(body);
        gateway.jobs.update(ids.get(0), completed(filename(0)));

        CompletableFuture<HttpResponse<String>> stream = http.client.sendAsync(
                HttpRequest.newBuilder(URI.create(http.base + "/api/batches/" + batchId + "/events"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.jobs.listenerCount(ids.get(1)) > 0);
        gateway.jobs.update(ids.get(1), JobStatuses.started(JobStep.generating_screenshot, Instant.now()));
        gateway.jobs.update(
                ids.get(1), JobStatuses.failed(JobStep.generating_screenshot, "RENDER_FAILED", "no", Instant.now()));

        HttpResponse<String> response = stream.get(20, TimeUnit.SECONDS); // ends by itself
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        List<JsonNode> batchEvents = data(response.body(), "batch");
        List<JsonNode> jobEvents = data(response.body(), "job");
        assertThat(batchEvents).singleElement().satisfies(b -> {
            assertThat(b.get("completed").asInt()).isEqualTo(1);
            assertThat(b.get("pending").asInt()).isEqualTo(1);
        });
        assertThat(jobEvents).hasSize(2);
        assertThat(jobEvents.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(jobEvents.get(0).get("job").get("status").asText()).isEqualTo("processing");
        assertThat(jobEvents.get(1).get("job").get("status").asText()).isEqualTo("failed");
        assertThat(jobEvents.get(1).get("failed").asInt()).isEqualTo(1);
        assertThat(jobEvents.get(1).get("completed").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.jobs.listenerCount(ids.get(1)) == 0);
    }

    private static List<JsonNode> data(String stream, String event) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String block : stream.split("\n\n")) {
            if (block.contains("event: " + event + "\n")) {
                String data = block.substring(block.indexOf("data: ") + "data: ".length());
                found.add(Json.MAPPER.readTree(data));
            }
        }
        return found;
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        assertThat(new HashSet<>(entries.keySet())).hasSameSizeAs(entries.keySet());
        return entries;
    }

    private static String filename(int n) {
        return "2026-11-28_" + "%032x".formatted(n + 0xabc) + ".mp4";
    }

    /** Completed with one reel per (format, filename) pair, in order (the first is the result's seed fields). */
    private static JobStatus completedIn(String... formatThenFilename) {
        List<ReelOutput> outputs = new ArrayList<>();
        for (int i = 0; i < formatThenFilename.length; i += 2) {
            String name = formatThenFilename[i + 1];
            outputs.add(new ReelOutput(
                    formatThenFilename[i],
                    name,
                    GatewayFixture.BASE_URL + "/download/" + name,
                    7L,
                    5.0,
                    "1080x1920",
                    null,
                    null));
        }
        JobStatus first = completed(outputs.get(0).getFilename());
        first.getJobResult().setOutputs(outputs);
        return first;
    }

    private static JobStatus completed(String filename) {
        JobStatus done = JobStatus.newBuilder(JobStatuses.processing(JobStep.completed, 100, Instant.now()))
                .setStatus(JobState.completed)
                .setJobResult(JobResult.newBuilder()
                        .setFilename(filename)
                        .setDownloadUrl(GatewayFixture.BASE_URL + "/download/" + filename)
                        .setExpiresAt(LATER)
                        .setFileSize(17)
                        .setDuration(5.0)
                        .setResolution("1080x1920")
                        .build())
                .build();
        return done;
    }
}
