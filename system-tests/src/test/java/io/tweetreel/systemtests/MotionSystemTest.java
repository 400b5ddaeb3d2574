package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tweetreel.core.motion.RevealTimeline;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Motion, sound and captions through the whole product, checked from outside: a reveal reel paced from its text
 * whose card fills in as it plays and holds the full card; its WebVTT and SRT files as a player would load them;
 * music from a URL (served on loopback) at -16 LUFS; silence on request; a track that cannot be fetched fails the
 * job with {@code AUDIO_FAILED}. The jobs run side by side, as users send them.
 */
@ExtendWith(PipelineStackExtension.class)
class MotionSystemTest {
    private static final String GATEWAY = PipelineStackExtension.GATEWAY;
    /** 25 words: a paced reveal of 1 s lead, about 7 s of reading, the footer block and a 1.5 s hold. */
    private static final String POST = "Short videos are watched without sound, so the words should arrive as you"
            + " read them: one line, then the next, until the whole post holds.";

    private static HttpServer audioServer;
    private static Path quietTrack;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void serveAudio(@TempDir Path dir) throws Exception {
        // a quiet tone (about -35 LUFS) the composer must bring up to -16 LUFS
        quietTrack = dir.resolve("quiet.wav");
        run(
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=330:sample_rate=48000:duration=12",
                "-af",
                "volume=-33dB",
                "-ac",
                "2",
                quietTrack.toString());
        audioServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        audioServer.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals("/quiet.wav")) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(quietTrack);
                exchange.getResponseHeaders().set("Content-Type", "audio/wav");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        audioServer.start();
    }

    @AfterAll
    static void stopAudio() {
        if (audioServer != null) {
            audioServer.stop(0);
        }
    }

    private static String audioUrl(String path) {
        return "http://127.0.0.1:" + audioServer.getAddress().getPort() + path;
    }

    private static Map<String, Object> post(String username) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("tweetBody", POST);
        request.put("profileName", "Motion Tester");
        request.put("username", username);
        return request;
    }

    @Test
    void revealsCaptionsAndSoundAsAskedFor(@TempDir Path dir) throws Exception {
        Map<String, Object> revealRequest = post("reveal_tester");
        revealRequest.put("animation", "reveal");
        String reveal = FaultTestSupport.submit(GATEWAY, revealRequest);

        Map<String, Object> urlRequest = post("url_music");
        urlRequest.put("durationSeconds", 4);
        urlRequest.put("audioUrl", audioUrl("/quiet.wav"));
        String fromUrl = FaultTestSupport.submit(GATEWAY, urlRequest);

        Map<String, Object> silentRequest = post("silent_tester");
        silentRequest.put("durationSeconds", 3);
        silentRequest.put("music", "none");
        String silent = FaultTestSupport.submit(GATEWAY, silentRequest);

        Map<String, Object> missingRequest = post("missing_music");
        missingRequest.put("durationSeconds", 3);
        missingRequest.put("audioUrl", audioUrl("/no-such-track.mp3"));
        String missing = FaultTestSupport.submit(GATEWAY, missingRequest);

        JsonNode failed = FaultTestSupport.awaitFinal(GATEWAY, missing, Duration.ofMinutes(5));
        assertThat(failed.get("status").asText()).as("%s", failed).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).as("%s", failed).isEqualTo("AUDIO_FAILED");
        assertThat(failed.at("/error/message").asText()).as("no address leaks").doesNotContain("127.0.0.1");

        checkReveal(completed(reveal), dir);
        checkLoudness(completed(fromUrl), dir);
        checkSilence(completed(silent), dir);
    }

    private JsonNode completed(String jobId) {
        JsonNode job = FaultTestSupport.awaitFinal(GATEWAY, jobId, Duration.ofMinutes(5));
        assertThat(job.get("status").asText()).as("%s", job).isEqualTo("completed");
        return job.get("result");
    }

    /** Paced length, captions, and a card that fills in as the reel plays and holds whole. */
    private void checkReveal(JsonNode result, Path dir) throws Exception {
        // a text-only card has one block: its footer (time line and counts)
        int paced = RevealTimeline.durationSeconds(0, true, POST, 1);
        assertThat(paced).isGreaterThan(RevealTimeline.STILL_SECONDS);
        assertThat(result.get("duration").asDouble()).as("%s", result).isCloseTo(paced, Offset.offset(0.1));

        Path mp4 = download(result.get("downloadUrl").asText(), dir.resolve("reveal.mp4"), "video/mp4");
        Path poster = download(result.get("posterUrl").asText(), dir.resolve("reveal.jpg"), "image/jpeg");
        double beforeText = meanDifference(frame(mp4, 0.9), frame(poster, 0));
        double holdStartsAt = paced - RevealTimeline.HOLD_SECONDS;
        double halfway = meanDifference(frame(mp4, (RevealTimeline.LEAD_SECONDS + holdStartsAt) / 2), frame(poster, 0));
        double held = meanDifference(frame(mp4, holdStartsAt + 0.2), frame(poster, 0));
        assertThat(held).as("the held frame is the full card (the poster)").isLessThan(3.0);
        assertThat(halfway)
                .as("about half the text is in halfway through the reveal")
                .isGreaterThan(held + 0.5);
        assertThat(beforeText).as("no text yet at 0.9 s").isGreaterThan(halfway + 0.5);

        String mp4Url = result.get("downloadUrl").asText();
        JsonNode captions = result.get("captions");
        assertThat(captions.get("vtt").asText()).isEqualTo(mp4Url.replaceAll("\\.mp4$", ".vtt"));
        assertThat(captions.get("srt").asText()).isEqualTo(mp4Url.replaceAll("\\.mp4$", ".srt"));
        assertThat(result.at("/outputs/0/captions")).isEqualTo(captions);
        String vtt = Files.readString(download(captions.get("vtt").asText(), dir.resolve("c.vtt"), "text/vtt"));
        String srt =
                Files.readString(download(captions.get("srt").asText(), dir.resolve("c.srt"), "application/x-subrip"));
        checkCues(parse(vtt, true), paced);
        checkCues(parse(srt, false), paced);
    }

    private static void checkCues(List<Cue> cues, double seconds) {
        assertThat(cues).isNotEmpty();
        double previous = -1;
        StringBuilder joined = new StringBuilder();
        for (Cue cue : cues) {
            assertThat(cue.start()).as("%s", cue).isGreaterThan(previous).isGreaterThanOrEqualTo(0);
            assertThat(cue.end()).as("%s", cue).isGreaterThan(cue.start()).isLessThanOrEqualTo(seconds + 0.001);
            List<String> lines = cue.text().lines().toList();
            assertThat(lines).as("%s", cue).hasSizeBetween(1, 2);
            lines.forEach(
                    line -> assertThat(line.codePointCount(0, line.length())).isLessThanOrEqualTo(42));
            joined.append(' ').append(cue.text());
            previous = cue.start();
        }
        assertThat(joined.toString().replaceAll("\\s+", " ").strip()).isEqualTo(POST);
        // timed to the reveal: the first cue starts with the first line, after the lead
        assertThat(cues.get(0).start()).isCloseTo(RevealTimeline.LEAD_SECONDS, Offset.offset(0.3));
    }

    private record Cue(double start, double end, String text) {}

    private static final Pattern VTT_TIME =
            Pattern.compile("^(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3})$");
    private static final Pattern SRT_TIME =
            Pattern.compile("^(\\d{2}):(\\d{2}):(\\d{2}),(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2}),(\\d{3})$");

    /** A strict reader of the two formats: header, numbering, timing lines, text, blank lines between cues. */
    private static List<Cue> parse(String file, boolean vtt) {
        List<String> blocks =
                new ArrayList<>(List.of(file.replace("\r\n", "\n").strip().split("\n\n")));
        if (vtt) {
            assertThat(blocks.remove(0)).as("WebVTT header").isEqualTo("WEBVTT");
        }
        List<Cue> cues = new ArrayList<>();
        for (String block : blocks) {
            List<String> lines = new ArrayList<>(block.lines().toList());
            if (!vtt) {
                assertThat(lines.remove(0)).as("SRT cue number").isEqualTo(String.valueOf(cues.size() + 1));
            }
            Matcher time = (vtt ? VTT_TIME : SRT_TIME).matcher(lines.remove(0));
            assertThat(time.matches()).as("timing line of %s", block).isTrue();
            cues.add(new Cue(seconds(time, 1), seconds(time, 5), String.join("\n", lines)));
        }
        return cues;
    }

    private static double seconds(Matcher m, int group) {
        return Integer.parseInt(m.group(group)) * 3600
                + Integer.parseInt(m.group(group + 1)) * 60
                + Integer.parseInt(m.group(group + 2))
                + Integer.parseInt(m.group(group + 3)) / 1000.0;
    }

    private void checkLoudness(JsonNode result, Path dir) throws Exception {
        Path mp4 = download(result.get("downloadUrl").asText(), dir.resolve("url.mp4"), "video/mp4");
        String report = run(
                "ffmpeg",
                "-hide_banner",
                "-nostats",
                "-i",
                mp4.toString(),
                "-map",
                "0:a",
                "-af",
                "ebur128",
                "-f",
                "null",
                "-");
        Matcher integrated =
                Pattern.compile("I:\\s+(-?[\\d.]+) LUFS").matcher(report.substring(report.lastIndexOf("Summary")));
        assertThat(integrated.find()).as(report).isTrue();
        assertThat(Double.parseDouble(integrated.group(1)))
                .as("integrated loudness of a quiet source")
                .isCloseTo(-16.0, Offset.offset(1.0));
    }

    private void checkSilence(JsonNode result, Path dir) throws Exception {
        Path mp4 = download(result.get("downloadUrl").asText(), dir.resolve("silent.mp4"), "video/mp4");
        assertThat(StreamProbe.fields(mp4, "a:0", "stream=codec_name")).containsEntry("codec_name", "aac");
        String report = run(
                "ffmpeg",
                "-hide_banner",
                "-nostats",
                "-i",
                mp4.toString(),
                "-map",
                "0:a",
                "-af",
                "volumedetect",
                "-f",
                "null",
                "-");
        Matcher max = Pattern.compile("max_volume: (-?[\\d.]+|-inf) dB").matcher(report);
        assertThat(max.find()).as(report).isTrue();
        assertThat(max.group(1).equals("-inf") || Double.parseDouble(max.group(1)) <= -60)
                .as("silent: %s", max.group())
                .isTrue();
    }

    private Path download(String url, Path file, String contentType) throws Exception {
        HttpResponse<Path> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(file));
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as(url).startsWith(contentType);
        return file;
    }

    /** One frame (or the image) at {@code seconds}, as 270x480 RGB, colour-converted by its own range tags. */
    private static byte[] frame(Path file, double seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error"));
        if (seconds > 0) { // an image has its one frame at 0, and seeking to 0 in it yields none
            command.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", seconds)));
        }
        command.addAll(List.of(
                "-i", file.toString(), "-frames:v", "1", "-vf", "scale=270:480,format=rgb24", "-f", "rawvideo", "-"));
        Process ffmpeg = new ProcessBuilder(command).start();
        byte[] rgb = ffmpeg.getInputStream().readAllBytes();
        String errors = new String(ffmpeg.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffmpeg.waitFor()).as(errors).isZero();
        assertThat(rgb).as("%s at %s s", file, seconds).hasSize(270 * 480 * 3);
        return rgb;
    }

    /** Mean absolute difference of luma (BT.709 weights), 0-255. */
    private static double meanDifference(byte[] a, byte[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i += 3) {
            sum += Math.abs(luma(a, i) - luma(b, i));
        }
        return sum / (a.length / 3.0);
    }

    private static double luma(byte[] rgb, int i) {
        return 0.2126 * (rgb[i] & 0xff) + 0.7152 * (rgb[i + 1] & 0xff) + 0.0722 * (rgb[i + 2] & 0xff);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
