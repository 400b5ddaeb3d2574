package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.ObjectLayout;
import io.tweetreel.schemas.ReelFormat;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One job of every format through the whole product, checked as a user checks it: a reel, a poster and captions
 * (WebVTT and SRT) per format, each downloadable, of its own size, in the order asked for.
 */
@ExtendWith(PipelineStackExtension.class)
class CardFormatsSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FORMATS = List.of("9:16", "1:1", "4:5", "16:9");
    private static final int SECONDS = 4;

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

    private JsonNode awaitCompleted(String jobId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = job(jobId);
                    assertThat(last[0].get("status").asText())
                            .as("job %s: %s", jobId, last[0])
                            .isNotEqualTo("failed");
                    return last[0].get("status").asText().equals("completed");
                });
        return last[0];
    }

    private HttpResponse<Path> download(String url, Path file) throws Exception {
        HttpResponse<Path> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(file));
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r;
    }

    /** ffprobe's fields of one stream ({@code v:0}, {@code a:0}) and the container's duration. */
    private static Map<String, String> probe(Path file, String stream) throws Exception {
        return StreamProbe.fields(
                file, stream, "stream=codec_name,width,height,r_frame_rate,avg_frame_rate:format=duration");
    }

    @Test
    void aJobOfEveryFormatGivesAReelAPosterAndCaptionsOfEachInTheOrderAskedFor(StackEndpoints stack, @TempDir Path dir)
            throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("tweetBody", "One post, every shape: Reels, feeds and YouTube from a single job. #formats");
        request.put("profileName", "Format Tester");
        request.put("username", "format_tester");
        request.put("durationSeconds", SECONDS);
        request.put("formats", FORMATS);
        String jobId = FaultTestSupport.submit(PipelineStackExtension.GATEWAY, request);

        JsonNode result = awaitCompleted(jobId).get("result");

        JsonNode outputs = result.get("outputs");
        assertThat(outputs).as("%s", result).hasSize(FORMATS.size());
        for (int i = 0; i < FORMATS.size(); i++) {
            JsonNode output = outputs.get(i);
            ReelFormat format = ReelFormat.ofLabel(FORMATS.get(i)).orElseThrow();
            assertThat(output.get("format").asText()).isEqualTo(format.label());
            assertThat(output.get("resolution").asText()).isEqualTo(format.resolution());
            assertThat(output.get("filename").asText()).matches(ObjectLayout.DOWNLOAD_FILENAME);

            Path mp4 = dir.resolve(format.slug() + ".mp4");
            HttpResponse<Path> video = download(output.get("downloadUrl").asText(), mp4);
            assertThat(video.headers().firstValue("Content-Type")).hasValue("video/mp4");
            assertThat(Files.size(mp4)).isEqualTo(output.get("fileSize").asLong());
            assertThat(probe(mp4, "v:0"))
                    .as(format.label())
                    .containsEntry("codec_name", "h264")
                    .containsEntry("width", String.valueOf(format.width()))
                    .containsEntry("height", String.valueOf(format.height()))
                    .containsEntry("r_frame_rate", "30/1")
                    .containsEntry("avg_frame_rate", "30/1");
            Map<String, String> audio = probe(mp4, "a:0");
            assertThat(audio).as(format.label()).containsEntry("codec_name", "aac");
            assertThat(Double.parseDouble(audio.get("duration")))
                    .as(format.label())
                    .isCloseTo(SECONDS, org.assertj.core.data.Offset.offset(0.1));
            assertThat(output.get("duration").asDouble()).isCloseTo(SECONDS, org.assertj.core.data.Offset.offset(0.1));

            String posterUrl = output.get("posterUrl").asText();
            assertThat(posterUrl).isEqualTo(output.get("downloadUrl").asText().replaceAll("\\.mp4$", ".jpg"));
            Path jpg = dir.resolve(format.slug() + ".jpg");
            HttpResponse<Path> poster = download(posterUrl, jpg);
            assertThat(poster.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            BufferedImage image = ImageIO.read(jpg.toFile());
            assertThat(image).as("%s poster decodes", format.label()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(format.width());
            assertThat(image.getHeight()).isEqualTo(format.height());

            String reelUrl = output.get("downloadUrl").asText();
            JsonNode captions = output.get("captions");
            assertThat(captions.get("vtt").asText()).isEqualTo(reelUrl.replaceAll("\\.mp4$", ".vtt"));
            assertThat(captions.get("srt").asText()).isEqualTo(reelUrl.replaceAll("\\.mp4$", ".srt"));
            Path vtt = dir.resolve(format.slug() + ".vtt");
            HttpResponse<Path> vttDownload = download(captions.get("vtt").asText(), vtt);
            assertThat(vttDownload.headers().firstValue("Content-Type")).hasValue("text/vtt; charset=utf-8");
            assertThat(Files.readString(vtt))
                    .as(format.label())
                    .startsWith("WEBVTT")
                    .containsPattern("\\d{2}:\\d{2}\\.\\d{3} --> \\d{2}:\\d{2}(:\\d{2})?\\.\\d{3}");
            Path srt = dir.resolve(format.slug() + ".srt");
            HttpResponse<Path> srtDownload = download(captions.get("srt").asText(), srt);
            assertThat(srtDownload.headers().firstValue("Content-Type"))
                    .hasValue("application/x-subrip; charset=utf-8");
            assertThat(Files.readString(srt))
                    .as(format.label())
                    .startsWith("1")
                    .containsPattern("\\d{2}:\\d{2}:\\d{2},\\d{3} --> \\d{2}:\\d{2}:\\d{2},\\d{3}");
        }
        // the seed's fields describe the first format, so existing clients keep working
        JsonNode first = outputs.get(0);
        assertThat(result.get("filename").asText())
                .isEqualTo(first.get("filename").asText());
        assertThat(result.get("downloadUrl").asText())
                .isEqualTo(first.get("downloadUrl").asText());
        assertThat(result.get("fileSize").asLong())
                .isEqualTo(first.get("fileSize").asLong());
        assertThat(result.get("resolution").asText()).isEqualTo("1080x1920");
        assertThat(result.get("posterUrl").asText())
                .isEqualTo(first.get("posterUrl").asText());
        assertThat(result.get("captions")).isEqualTo(first.get("captions"));

        ObjectStoreConfig objects = ObjectStoreConfig.read(EnvConfig.of(stack.asEnvironment()));
        assertThat(new MinioObjectStore(objects).list(objects.workBucket(), ObjectLayout.jobPrefix(jobId)))
                .as("work objects of the job")
                .isEmpty();
    }
}
