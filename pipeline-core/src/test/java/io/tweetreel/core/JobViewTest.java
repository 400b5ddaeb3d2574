package io.tweetreel.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.schemas.CaptionFiles;
import io.tweetreel.schemas.JobResult;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.JobWarning;
import io.tweetreel.schemas.StoredOutput;
import io.tweetreel.schemas.VideoStored;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job JSON as the gateway answers it and the notifier sends it. */
class JobViewTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String BASE = "http://localhost:3000/download/2026-12-01_";

    private static JsonNode json(JobStatus status) {
        return Json.MAPPER.valueToTree(JobView.of("job-1", status));
    }

    private static StoredOutput output(String format, char digest, String resolution, long size) {
        String stem = String.valueOf(digest).repeat(32);
        return new StoredOutput(
                format,
                "2026-12-01_" + stem + ".mp4",
                BASE + stem + ".mp4",
                size,
                5.0,
                resolution,
                BASE + stem + ".jpg",
                captions(digest));
    }

    private static CaptionFiles captions(char digest) {
        String stem = String.valueOf(digest).repeat(32);
        return new CaptionFiles(BASE + stem + ".vtt", BASE + stem + ".srt");
    }

    @Test
    void aCompletedJobListsEveryOutputWithItsPosterAndCaptions() {
        VideoStored stored = VideoStored.newBuilder()
                .setFilename("2026-12-01_" + "a".repeat(32) + ".mp4")
                .setDownloadUrl(BASE + "a".repeat(32) + ".mp4")
                .setExpiresAt(T0.plusSeconds(86_400))
                .setFileSize(1000)
                .setDurationSeconds(5.0)
                .setResolution("1080x1920")
                .setStoredAt(T0)
                .setPosterUrl(BASE + "a".repeat(32) + ".jpg")
                .setOutputs(List.of(output("9:16", 'a', "1080x1920", 1000), output("1:1", 'b', "1080x1080", 800)))
                .setCaptions(captions('a'))
                .build();
        JsonNode result = json(JobStatuses.completed(stored, T0)).get("result");

        assertThat(result.get("filename").asText()).isEqualTo("2026-12-01_" + "a".repeat(32) + ".mp4");
        assertThat(result.get("posterUrl").asText()).isEqualTo(BASE + "a".repeat(32) + ".jpg");
        assertThat(result.get("captions").toString())
                .isEqualTo("{\"vtt\":\"" + BASE + "a".repeat(32) + ".vtt\",\"srt\":\"" + BASE + "a".repeat(32)
                        + ".srt\"}");
        assertThat(result.get("outputs")).hasSize(2);
        JsonNode square = result.get("outputs").get(1);
        assertThat(square.toString())
                .isEqualTo("{\"format\":\"1:1\",\"filename\":\"2026-12-01_" + "b".repeat(32) + ".mp4\","
                        + "\"downloadUrl\":\"" + BASE + "b".repeat(32) + ".mp4\",\"fileSize\":800,\"duration\":5.0,"
                        + "\"resolution\":\"1080x1080\",\"posterUrl\":\"" + BASE + "b".repeat(32) + ".jpg\","
                        + "\"captions\":{\"vtt\":\"" + BASE + "b".repeat(32) + ".vtt\",\"srt\":\"" + BASE
                        + "b".repeat(32) + ".srt\"}}");
    }

    @Test
    void aResultRecordedBeforeOutputsIsOneNineBySixteenOutput() {
        JobResult v3 = JobResult.newBuilder()
                .setFilename("2026-12-01_" + "c".repeat(32) + ".mp4")
                .setDownloadUrl(BASE + "c".repeat(32) + ".mp4")
                .setExpiresAt(T0)
                .setFileSize(10)
                .setDuration(5.0)
                .setResolution("1080x1920")
                .build();
        JobStatus status = JobStatus.newBuilder(JobStatuses.completed(
                        VideoStored.newBuilder()
                                .setFilename("x")
                                .setDownloadUrl("x")
                                .setExpiresAt(T0)
                                .setFileSize(1)
                                .setDurationSeconds(1)
                                .setResolution("x")
                                .setStoredAt(T0)
                                .build(),
                        T0))
                .setJobResult(v3)
                .build();
        JsonNode result = json(status).get("result");
        assertThat(result.get("posterUrl").isNull()).isTrue();
        assertThat(result.get("captions").isNull()).isTrue();
        assertThat(result.get("outputs")).hasSize(1);
        assertThat(result.get("outputs").get(0).get("captions").isNull()).isTrue();
        assertThat(result.get("outputs").get(0).get("format").asText()).isEqualTo("9:16");
        assertThat(result.get("outputs").get(0).get("filename").asText()).isEqualTo(v3.getFilename());
    }

    @Test
    void warningsAreAlwaysAnArray() {
        assertThat(json(JobStatuses.pending(T0)).get("warnings").toString()).isEqualTo("[]");
        JobStatus warned = JobStatuses.started(
                JobStep.generating_screenshot,
                List.of(new JobWarning("MEDIA_UNAVAILABLE", "the image could not be fetched", "media[1].url")),
                T0);
        assertThat(json(warned).get("warnings").toString())
                .isEqualTo("[{\"code\":\"MEDIA_UNAVAILABLE\",\"message\":\"the image could not be fetched\","
                        + "\"field\":\"media[1].url\"}]");
        assertThat(json(warned).has("result")).isFalse();
    }
}
