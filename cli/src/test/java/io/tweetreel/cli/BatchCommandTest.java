package io.tweetreel.cli;

import static io.tweetreel.cli.FakeGateway.bytes;
import static io.tweetreel.cli.FakeGateway.json;
import static io.tweetreel.cli.FakeGateway.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchCommandTest {
    static final String BATCH = "5d1c0a3e-0000-4000-8000-00000000b001";
    static final String[] JOBS = {
        "5d1c0a3e-0000-4000-8000-000000000001",
        "5d1c0a3e-0000-4000-8000-000000000002",
        "5d1c0a3e-0000-4000-8000-000000000003"
    };

    private final FakeGateway gateway = new FakeGateway();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        gateway.close();
    }

    private Path threePosts() throws IOException {
        return Files.writeString(
                dir.resolve("posts.csv"),
                "text,name,user\nfirst,Ada,ada\n\"second, with a comma\",Grace,grace\nthird,Alan,alan\n");
    }

    private void acceptsTheBatch() {
        gateway.on(
                "POST /api/batches",
                json(
                        202,
                        "{\"batchId\":\"" + BATCH + "\",\"statusUrl\":\"/api/batches/" + BATCH + "\",\"jobs\":["
                                + "{\"jobId\":\"" + JOBS[0] + "\"},{\"jobId\":\"" + JOBS[1] + "\"},{\"jobId\":\""
                                + JOBS[2] + "\"}]}"));
    }

    private static String filename(int i) {
        return "2026-12-02_" + Integer.toString(i).repeat(32) + ".mp4";
    }

    private String item(int i, String status, int progress) {
        String job = "{\"jobId\":\"" + JOBS[i] + "\",\"status\":\"" + status + "\",\"progress\":" + progress
                + ",\"currentStep\":\"" + (status.equals("completed") ? "completed" : "composing_video") + "\"";
        if (status.equals("completed")) {
            job += ",\"result\":{\"filename\":\"" + filename(i) + "\",\"downloadUrl\":\"" + gateway.url() + "/download/"
                    + filename(i) + "\",\"fileSize\":5,\"duration\":5.0,\"resolution\":\"1080x1920\"}";
        }
        if (status.equals("failed")) {
            job += ",\"error\":{\"code\":\"RENDER_FAILED\",\"message\":\"the card could not be rendered\","
                    + "\"step\":\"generating_screenshot\"}";
        }
        return job + "}";
    }

    private FakeGateway.Answer batch(String... items) {
        return json(200, "{\"batchId\":\"" + BATCH + "\",\"total\":3,\"jobs\":[" + String.join(",", items) + "]}");
    }

    @Test
    void everyItemCompletedIsDownloadedAndListedInTheManifest() throws IOException {
        acceptsTheBatch();
        gateway.on(
                "GET /api/batches/" + BATCH,
                batch(item(0, "pending", 0), item(1, "pending", 0), item(2, "pending", 0)),
                batch(item(0, "completed", 100), item(1, "processing", 60), item(2, "pending", 0)),
                batch(item(0, "completed", 100), item(1, "completed", 100), item(2, "completed", 100)));
        for (int i = 0; i < 3; i++) {
            gateway.on("GET /download/" + filename(i), bytes(("video " + i).getBytes()));
        }
        Path out = dir.resolve("videos");

        ClientRun run =
                ClientRun.run("batch", threePosts().toString(), "--out", out.toString(), "--server", gateway.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(out.resolve("manifest.json").toString());
        for (int i = 0; i < 3; i++) {
            assertThat(out.resolve(filename(i))).hasContent("video " + i);
            // each video is fetched once, as soon as it is done
            assertThat(gateway.received("GET", "/download/" + filename(i))).hasSize(1);
        }
        assertThat(run.err())
                .contains("batch " + BATCH + ": 3 items")
                .containsSubsequence("  0% 0/3 done", "1/3 done, 1 running", "100% 3/3 done", "3 videos in " + out);
        JsonNode manifest = Gateway.JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(manifest.get(i).toString())
                    .isEqualTo("{\"index\":" + i + ",\"jobId\":\"" + JOBS[i] + "\",\"status\":\"completed\","
                            + "\"filename\":\"" + filename(i) + "\",\"files\":[{\"format\":\"9:16\",\"filename\":\""
                            + filename(i) + "\"}],\"error\":null}");
        }
        JsonNode sent = Gateway.JSON.readTree(
                gateway.received("POST", "/api/batches").get(0).body());
        assertThat(sent.path("items")).hasSize(3);
        assertThat(sent.path("items").get(1).path("tweetBody").asText()).isEqualTo("second, with a comma");
    }

    /** Completed in 9:16 and 1:1: the result's seed fields are the first format's, outputs lists both. */
    private String itemInTwoFormats(int i) {
        return "{\"jobId\":\"" + JOBS[i] + "\",\"status\":\"completed\",\"progress\":100,\"currentStep\":\"completed\","
                + "\"result\":{\"filename\":\"" + filename(i) + "\",\"downloadUrl\":\"" + gateway.url() + "/download/"
                + filename(i) + "\",\"outputs\":["
                + "{\"format\":\"9:16\",\"filename\":\"" + filename(i) + "\",\"downloadUrl\":\"" + gateway.url()
                + "/download/" + filename(i) + "\"},"
                + "{\"format\":\"1:1\",\"filename\":\"" + squareFilename(i) + "\",\"downloadUrl\":\"" + gateway.url()
                + "/download/" + squareFilename(i) + "\"}]}}";
    }

    private static String squareFilename(int i) {
        return "2026-12-02_" + Integer.toString(i).repeat(16) + "f".repeat(16) + ".mp4";
    }

    @Test
    void everyFormatOfAnItemIsDownloadedAndOneThatCannotBeIsNamed() throws IOException {
        acceptsTheBatch();
        gateway.on(
                "GET /api/batches/" + BATCH,
                batch(itemInTwoFormats(0), itemInTwoFormats(1), item(2, "completed", 100)));
        gateway.on("GET /download/" + filename(0), bytes("portrait 0".getBytes()));
        gateway.on("GET /download/" + squareFilename(0), bytes("square 0".getBytes()));
        gateway.on("GET /download/" + filename(1), bytes("portrait 1".getBytes()));
        // item 1's square video is not there: the gateway answers 404
        gateway.on("GET /download/" + filename(2), bytes("video 2".getBytes()));
        Path out = dir.resolve("videos");

        ClientRun run =
                ClientRun.run("batch", threePosts().toString(), "--out", out.toString(), "--server", gateway.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(out.resolve(filename(0))).hasContent("portrait 0");
        assertThat(out.resolve(squareFilename(0))).hasContent("square 0");
        assertThat(out.resolve(filename(1))).hasContent("portrait 1");
        assertThat(out.resolve(squareFilename(1))).doesNotExist();
        assertThat(run.err()).contains("tweetreel: 1 of 3 items did not complete:", "items[1] (line 3, job " + JOBS[1]);
        JsonNode manifest = Gateway.JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get(0).toString())
                .isEqualTo("{\"index\":0,\"jobId\":\"" + JOBS[0] + "\",\"status\":\"completed\",\"filename\":\""
                        + filename(0) + "\",\"files\":[{\"format\":\"9:16\",\"filename\":\"" + filename(0) + "\"},"
                        + "{\"format\":\"1:1\",\"filename\":\"" + squareFilename(0) + "\"}],\"error\":null}");
        JsonNode partial = manifest.get(1);
        assertThat(partial.path("filename").asText()).isEqualTo(filename(1));
        assertThat(partial.path("files")).hasSize(1);
        assertThat(partial.path("error").asText()).startsWith("download failed: 1:1: ");
        assertThat(manifest.get(2).path("files").get(0).path("filename").asText())
                .isEqualTo(filename(2));
    }

    @Test
    void failedItemsAreListedWithTheirLineAndTheExitCodeIsOne() throws IOException {
        acceptsTheBatch();
        gateway.on(
                "GET /api/batches/" + BATCH,
                batch(item(0, "completed", 100), item(1, "failed", 20), item(2, "canceled", 60)));
        gateway.on("GET /download/" + filename(0), bytes("video 0".getBytes()));
        Path out = dir.resolve("videos");

        ClientRun run =
                ClientRun.run("batch", threePosts().toString(), "--out", out.toString(), "--server", gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("tweetreel: 2 of 3 items did not complete:")
                .contains("  items[1] (line 3, job " + JOBS[1] + "): the card could not be rendered")
                .contains("  items[2] (line 4, job " + JOBS[2] + "): canceled at composing_video");
        JsonNode manifest = Gateway.JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get(0).path("filename").asText()).isEqualTo(filename(0));
        assertThat(manifest.get(1).path("status").asText()).isEqualTo("failed");
        assertThat(manifest.get(1).path("filename").isNull()).isTrue();
        assertThat(manifest.get(1).path("error").asText()).isEqualTo("the card could not be rendered");
        assertThat(manifest.get(2).path("status").asText()).isEqualTo("canceled");
        assertThat(out.resolve(filename(1))).doesNotExist();
    }

    @Test
    void aBatchNotYetInTheGatewaysTableIsAskedForAgain() throws IOException {
        acceptsTheBatch();
        gateway.on(
                "GET /api/batches/" + BATCH,
                problem(404, "{\"title\":\"Not Found\",\"status\":404}"),
                batch(item(0, "failed", 20), item(1, "failed", 20), item(2, "failed", 20)));

        ClientRun run = ClientRun.run(
                "batch", threePosts().toString(), "--out", dir.resolve("o").toString(), "--server", gateway.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("3 of 3 items did not complete");
    }

    @Test
    void aRefusedBatchNamesEachBadFieldWithItsLineInTheFile() throws IOException {
        gateway.on(
                "POST /api/batches",
                problem(
                        400,
                        "{\"type\":\"urn:tweetreel:problem:invalid-request\",\"title\":\"Invalid request\","
                                + "\"status\":400,\"detail\":\"1 field is invalid\",\"errors\":[{\"field\":"
                                + "\"items[2].tweetBody\",\"message\":\"must be 1 to 2000 characters\"}]}"));

        ClientRun run = ClientRun.run(
                "batch", threePosts().toString(), "--out", dir.resolve("o").toString(), "--server", gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines())
                .containsExactly(
                        "tweetreel: Invalid request: 1 field is invalid",
                        "  items[2].tweetBody (line 4): must be 1 to 2000 characters");
        assertThat(gateway.received("GET", "/api/batches/" + BATCH)).isEmpty();
    }

    @Test
    void anUnreadableFileIsExitCodeTwoBeforeAnythingIsSent() throws IOException {
        Path bad = Files.writeString(dir.resolve("posts.csv"), "text,name,user\n\"never closed\n");

        ClientRun run =
                ClientRun.run("batch", bad.toString(), "--out", dir.resolve("o").toString(), "--server", gateway.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("tweetreel: " + bad + " line 2: a quoted field is never closed");
        assertThat(gateway.received).isEmpty();
    }
}
