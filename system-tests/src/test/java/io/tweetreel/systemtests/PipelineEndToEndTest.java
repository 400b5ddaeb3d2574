package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tweetreel.core.testing.PipelineProbe;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VideoRequested;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Jobs through the whole product, services as separate processes, checked the way a user checks them. */
@ExtendWith(PipelineStackExtension.class)
class PipelineEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private JsonNode job(String jobId) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(PipelineStackExtension.GATEWAY + "/api/jobs/" + jobId))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private String submit(Map<String, Object> request) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(PipelineStackExtension.GATEWAY + "/api/generate"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("jobId").asText();
    }

    private JsonNode awaitCompleted(String jobId, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = job(jobId);
            String status = last[0].get("status").asText();
            assertThat(status).as("job %s: %s", jobId, last[0]).isNotEqualTo("failed");
            return status.equals("completed");
        });
        return last[0];
    }

    private static Map<String, Object> request(String body, String theme, int seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tweetBody", body);
        r.put("profileName", "Reel Tester");
        r.put("username", "@reel_tester");
        r.put("theme", theme);
        r.put("durationSeconds", seconds);
        return r;
    }

    /** Downloads the job's MP4 and reads its duration and size with ffprobe. */
    private Map<String, String> download(JsonNode result, Path dir) throws Exception {
        Path mp4 = dir.resolve(result.get("filename").asText());
        HttpResponse<Path> r = http.send(
                HttpRequest.newBuilder(URI.create(result.get("downloadUrl").asText()))
                        .build(),
                HttpResponse.BodyHandlers.ofFile(mp4));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(Files.size(mp4)).isEqualTo(result.get("fileSize").asLong());
        return StreamProbe.fields(mp4, "v:0", StreamProbe.VIDEO_BASICS);
    }

    @Test
    void tenMixedJobsOverHttpAllCompleteAsValidReelsOfTheRequestedLength(@TempDir Path dir) throws Exception {
        String longBody = "Streams all the way down. ".repeat(77).substring(0, 2000);
        List<Map<String, Object>> requests = List.of(
                request("Hello, reels! 👋🎬", "dark", 5),
                request("Light theme with a link https://example.com and #hashtags @mentions", "light", 3),
                request("مرحبا بالعالم — هذا منشور من اليمين إلى اليسار", "dark", 4),
                request("日本語の投稿も表示できます。絵文字も 🍣🗻", "light", 5),
                request("x".repeat(140) + " " + "y".repeat(139), "dark", 6),
                request(longBody, "light", 3),
                request("Emoji only 🚀🔥💯🎉", "dark", 3),
                request("Line one\nLine two\n\nLine four", "light", 8),
                request("Kafka ♥ FFmpeg ♥ Chromium", "dark", 5),
                request("Short.", "light", 10));
        List<String> jobIds = new ArrayList<>();
        for (Map<String, Object> r : requests) {
            jobIds.add(submit(r));
        }
        for (int i = 0; i < jobIds.size(); i++) {
            JsonNode done = awaitCompleted(jobIds.get(i), Duration.ofMinutes(6));
            assertThat(done.get("progress").asInt()).isEqualTo(100);
            JsonNode result = done.get("result");
            assertThat(result.get("resolution").asText()).isEqualTo("1080x1920");
            int requested = (int) requests.get(i).get("durationSeconds");
            Map<String, String> probe = download(result, dir);
            assertThat(probe)
                    .containsEntry("codec_name", "h264")
                    .containsEntry("width", "1080")
                    .containsEntry("height", "1920");
            assertThat(Double.parseDouble(probe.get("duration")))
                    .as("job %d", i)
                    .isCloseTo(requested, org.assertj.core.data.Offset.offset(0.1));
        }
    }

    @Test
    void jobPublishedStraightToKafkaCompletesAndIsVisibleThroughTheGateway(StackEndpoints stack) throws Exception {
        String jobId = UUID.randomUUID().toString();
        try (PipelineProbe probe = new PipelineProbe(stack.bootstrapServers(), stack.registryUrl())) {
            probe.publish(
                    probe.topics().requested(),
                    jobId,
                    VideoRequested.newBuilder()
                            .setTweetBody("Published with a plain Kafka producer")
                            .setProfileName("Kafka Client")
                            .setUsername("kafka")
                            .setTheme(Theme.light)
                            .setDurationSeconds(3)
                            .build());
        }
        JsonNode done = awaitCompleted(jobId, Duration.ofMinutes(3));
        assertThat(done.get("jobId").asText()).isEqualTo(jobId);
        assertThat(done.get("result").get("duration").asDouble())
                .isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.1));
    }
}
