package io.tweetreel.cli;

import static io.tweetreel.cli.FakeGateway.bytes;
import static io.tweetreel.cli.FakeGateway.events;
import static io.tweetreel.cli.FakeGateway.json;
import static io.tweetreel.cli.FakeGateway.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReelCommandTest {
    static final String JOB = "0b7e6a51-2f43-4a8e-9a55-3f3b1c2d4e5f";
    static final String FILENAME = "2026-12-02_0123456789abcdef0123456789abcdef.mp4";
    static final byte[] VIDEO = "not really an mp4, but bytes all the same".getBytes();

    private final FakeGateway gateway = new FakeGateway();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        gateway.close();
    }

    static String job(String status, int progress, String step) {
        return "{\"jobId\":\"" + JOB + "\",\"status\":\"" + status + "\",\"progress\":" + progress
                + ",\"currentStep\":\"" + step + "\",\"createdAt\":\"2026-12-02T10:00:00Z\","
                + "\"updatedAt\":\"2026-12-02T10:00:01Z\"}";
    }

    String completed() {
        return "{\"jobId\":\"" + JOB + "\",\"status\":\"completed\",\"progress\":100,\"currentStep\":\"completed\","
                + "\"result\":{\"filename\":\"" + FILENAME + "\",\"downloadUrl\":\"" + gateway.url() + "/download/"
                + FILENAME + "\",\"expiresAt\":\"2026-12-03T10:00:05Z\",\"fileSize\":" + VIDEO.length
                + ",\"duration\":5.0,\"resolution\":\"1080x1920\"},"
                + "\"createdAt\":\"2026-12-02T10:00:00Z\",\"updatedAt\":\"2026-12-02T10:00:05Z\"}";
    }

    private void acceptsTheJob() {
        gateway.on(
                "POST /api/generate", json(202, "{\"jobId\":\"" + JOB + "\",\"statusUrl\":\"/api/jobs/" + JOB + "\"}"));
    }

    private ClientRun reel(String... extra) {
        String[] base = {
            "reel", "--server", gateway.url(), "--text", "Hello, world", "--name", "Ada Lovelace", "--user", "ada"
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return ClientRun.run(args);
    }

    @Test
    void aCompletedJobIsDownloadedAndItsPathPrinted() throws IOException {
        acceptsTheJob();
        gateway.on(
                "GET /api/jobs/" + JOB + "/events",
                events(
                        job("pending", 0, "queued"),
                        job("processing", 20, "generating_screenshot"),
                        job("processing", 60, "composing_video"),
                        job("processing", 80, "saving_file"),
                        completed()));
        gateway.on("GET /download/" + FILENAME, bytes(VIDEO));
        Path output = dir.resolve("ada.mp4");

        ClientRun run = reel(
                "--theme",
                "light",
                "--duration",
                "8",
                "--photo",
                "https://example.com/ada.png",
                "-o",
                output.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(output.toString());
        assertThat(output).hasBinaryContent(VIDEO);
        assertThat(Gateway.partFile(output)).doesNotExist();
        assertThat(run.err())
                .contains(JOB)
                .containsSubsequence(
                        "  0% queued",
                        " 20% generating_screenshot", " 60% composing_video", " 80% saving_file", "100% completed")
                .doesNotContain("\r", "\u001b");
        JsonNode sent = Gateway.JSON.readTree(
                gateway.received("POST", "/api/generate").get(0).body());
        assertThat(sent)
                .isEqualTo(Gateway.JSON.readTree("{\"tweetBody\":\"Hello, world\",\"profileName\":\"Ada Lovelace\","
                        + "\"username\":\"ada\",\"profilePhotoUrl\":\"https://example.com/ada.png\","
                        + "\"theme\":\"light\",\"durationSeconds\":8}"));
    }

    @Test
    void withoutOutputTheVideoKeepsItsFilenameInTheCurrentDirectory() throws IOException {
        acceptsTheJob();
        gateway.on("GET /api/jobs/" + JOB + "/events", events(completed()));
        gateway.on("GET /download/" + FILENAME, bytes(VIDEO));
        Path inWorkingDir = Path.of(FILENAME);
        try {
            ClientRun run = reel();

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out().strip()).isEqualTo(FILENAME);
            assertThat(inWorkingDir).hasBinaryContent(VIDEO);
        } finally {
            Files.deleteIfExists(inWorkingDir);
        }
    }

    @Test
    void aFailedJobExitsOneWithItsErrorMessage() {
        acceptsTheJob();
        gateway.on(
                "GET /api/jobs/" + JOB + "/events",
                events(
                        job("processing", 60, "composing_video"),
                        "{\"jobId\":\"" + JOB + "\",\"status\":\"failed\",\"progress\":60,"
                                + "\"currentStep\":\"composing_video\",\"error\":{\"code\":\"FFMPEG_FAILED\","
                                + "\"message\":\"ffmpeg exited with code 1: Invalid data\",\"step\":\"composing_video\"}}"));

        ClientRun run = reel("-o", dir.resolve("x.mp4").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains("job " + JOB + " failed at composing_video: ffmpeg exited with code 1: Invalid data"
                        + " (FFMPEG_FAILED)");
        assertThat(dir.resolve("x.mp4")).doesNotExist();
        assertThat(gateway.received("GET", "/download/" + FILENAME)).isEmpty();
    }

    @Test
    void aJobCanceledElsewhereExitsOneSayingWhereItStopped() {
        acceptsTheJob();
        gateway.on("GET /api/jobs/" + JOB + "/events", events(job("canceled", 20, "generating_screenshot")));

        ClientRun run = reel();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("job " + JOB + " was canceled at generating_screenshot");
    }

    @Test
    void anInvalidRequestShowsTheProblemsTitleAndFieldMessagesNamingTheOptions() {
        gateway.on(
                "POST /api/generate",
                problem(
                        400,
                        "{\"type\":\"urn:tweetreel:problem:invalid-request\",\"title\":\"Invalid request\","
                                + "\"status\":400,\"detail\":\"2 fields are invalid\",\"errors\":["
                                + "{\"field\":\"tweetBody\",\"message\":\"must be 1 to 2000 characters\"},"
                                + "{\"field\":\"durationSeconds\",\"message\":\"must be 3 to 30\"}]}"));

        ClientRun run = reel("--duration", "99");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines())
                .containsExactly(
                        "tweetreel: Invalid request: 2 fields are invalid",
                        "  tweetBody (--text): must be 1 to 2000 characters",
                        "  durationSeconds (--duration): must be 3 to 30");
    }

    String completedInTwoFormats() {
        String base = gateway.url() + "/download/2026-12-02_";
        String square = "fedcba9876543210fedcba9876543210";
        return "{\"jobId\":\"" + JOB + "\",\"status\":\"completed\",\"progress\":100,\"currentStep\":\"completed\","
                + "\"result\":{\"filename\":\"" + FILENAME + "\",\"downloadUrl\":\"" + gateway.url() + "/download/"
                + FILENAME + "\",\"expiresAt\":\"2026-12-03T10:00:05Z\",\"fileSize\":" + VIDEO.length
                + ",\"duration\":5.0,\"resolution\":\"1080x1920\",\"posterUrl\":\"" + gateway.url() + "/download/"
                + FILENAME.replace(".mp4", ".jpg") + "\",\"outputs\":["
                + "{\"format\":\"9:16\",\"filename\":\"" + FILENAME + "\",\"downloadUrl\":\"" + gateway.url()
                + "/download/" + FILENAME + "\",\"fileSize\":" + VIDEO.length + ",\"duration\":5.0,"
                + "\"resolution\":\"1080x1920\",\"posterUrl\":\"" + gateway.url() + "/download/"
                + FILENAME.replace(".mp4", ".jpg") + "\"},"
                + "{\"format\":\"1:1\",\"filename\":\"2026-12-02_" + square + ".mp4\",\"downloadUrl\":\"" + base
                + square + ".mp4\",\"fileSize\":99,\"duration\":5.0,\"resolution\":\"1080x1080\","
                + "\"posterUrl\":\"" + base + square + ".jpg\",\"captions\":{\"vtt\":\"" + base + square + ".vtt\","
                + "\"srt\":\"" + base + square + ".srt\"}}]},"
                + "\"createdAt\":\"2026-12-02T10:00:00Z\",\"updatedAt\":\"2026-12-02T10:00:05Z\","
                + "\"warnings\":[{\"code\":\"MEDIA_UNAVAILABLE\",\"message\":\"the image could not be fetched\","
                + "\"field\":\"media[1].url\"}]}";
    }

    @Test
    void theCardsOptionsAreSentAsTheirFieldsAndEveryFormatsLinksAreListed() throws IOException {
        acceptsTheJob();
        gateway.on("GET /api/jobs/" + JOB + "/events", events(completedInTwoFormats()));
        gateway.on("GET /download/" + FILENAME, bytes(VIDEO));
        Path output = dir.resolve("ada.mp4");

        ClientRun run = reel(
                "--theme", "dim",
                "--format", "9:16",
                "--format", "1:1",
                "--media", "https://example.com/a.png",
                "--media", "https://example.com/b.png",
                "--verified", "blue",
                "--posted-at", "2026-12-01T15:04:05Z",
                "--time-zone", "Europe/Paris",
                "--locale", "de-DE",
                "--reply-to", "@grace",
                "--accent", "#1d9bf0",
                "-o", output.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(output.toString());
        assertThat(output).hasBinaryContent(VIDEO);
        JsonNode sent = Gateway.JSON.readTree(
                gateway.received("POST", "/api/generate").get(0).body());
        assertThat(sent)
                .isEqualTo(Gateway.JSON.readTree("{\"tweetBody\":\"Hello, world\",\"profileName\":\"Ada Lovelace\","
                        + "\"username\":\"ada\",\"theme\":\"dim\",\"formats\":[\"9:16\",\"1:1\"],"
                        + "\"media\":[{\"url\":\"https://example.com/a.png\"},{\"url\":\"https://example.com/b.png\"}],"
                        + "\"verified\":\"blue\",\"postedAt\":\"2026-12-01T15:04:05Z\",\"timeZone\":\"Europe/Paris\","
                        + "\"locale\":\"de-DE\",\"replyTo\":\"@grace\",\"accentColor\":\"#1d9bf0\"}"));
        String base = gateway.url() + "/download/2026-12-02_";
        assertThat(run.err().lines())
                .contains(
                        "9:16 1080x1920 " + gateway.url() + "/download/" + FILENAME + " poster " + gateway.url()
                                + "/download/" + FILENAME.replace(".mp4", ".jpg"),
                        "1:1 1080x1080 " + base + "fedcba9876543210fedcba9876543210.mp4 poster " + base
                                + "fedcba9876543210fedcba9876543210.jpg captions " + base
                                + "fedcba9876543210fedcba9876543210.vtt " + base
                                + "fedcba9876543210fedcba9876543210.srt",
                        "warning: media[1].url: the image could not be fetched (MEDIA_UNAVAILABLE)");
    }

    @Test
    void motionAndSoundOptionsAreSentAsTheirFields() throws IOException {
        acceptsTheJob();
        gateway.on("GET /api/jobs/" + JOB + "/events", events(completed()));
        gateway.on("GET /download/" + FILENAME, bytes(VIDEO));

        ClientRun run = reel(
                "--animation",
                "reveal",
                "--zoom",
                "--audio-url",
                "https://cdn.example.com/track.mp3",
                "-o",
                dir.resolve("ada.mp4").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Gateway.JSON.readTree(
                        gateway.received("POST", "/api/generate").get(0).body()))
                .isEqualTo(Gateway.JSON.readTree("{\"tweetBody\":\"Hello, world\",\"profileName\":\"Ada Lovelace\","
                        + "\"username\":\"ada\",\"animation\":\"reveal\",\"zoom\":true,"
                        + "\"audioUrl\":\"https://cdn.example.com/track.mp3\"}"));
    }

    @Test
    void withoutMotionOptionsTheRequestLeavesThemAndTheLengthToTheGateway() throws IOException {
        acceptsTheJob();
        gateway.on("GET /api/jobs/" + JOB + "/events", events(completed()));
        gateway.on("GET /download/" + FILENAME, bytes(VIDEO));

        ClientRun run = reel("--music", "none", "-o", dir.resolve("ada.mp4").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode sent = Gateway.JSON.readTree(
                gateway.received("POST", "/api/generate").get(0).body());
        assertThat(sent.get("music").asText()).isEqualTo("none");
        assertThat(sent.has("animation")).isFalse();
        assertThat(sent.has("zoom")).isFalse();
        assertThat(sent.has("durationSeconds")).isFalse();
    }

    @Test
    void motionAndSoundErrorsNameTheirOptions() {
        gateway.on(
                "POST /api/generate",
                problem(
                        400,
                        "{\"type\":\"urn:tweetreel:problem:invalid-request\",\"title\":\"Invalid request\","
                                + "\"status\":400,\"detail\":\"2 fields are invalid\",\"errors\":["
                                + "{\"field\":\"animation\",\"message\":\"must be \\\"none\\\" or \\\"reveal\\\"\"},"
                                + "{\"field\":\"music\",\"message\":\"give either music or audioUrl, not both\"}]}"));

        ClientRun run = reel("--animation", "spin", "--music", "calm", "--audio-url", "https://cdn.example.com/t.mp3");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines())
                .containsExactly(
                        "tweetreel: Invalid request: 2 fields are invalid",
                        "  animation (--animation): must be \"none\" or \"reveal\"",
                        "  music (--music): give either music or audioUrl, not both");
    }

    @Test
    void theHelpListsTheMotionAndSoundOptions() {
        ClientRun run = ClientRun.run("reel", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--animation=none|reveal", "--zoom", "--music=NAME", "--audio-url=URL");
    }

    @Test
    void aJobWithOneOutputAndNoWarningsListsNothingMore() {
        acceptsTheJob();
        gateway.on("GET /api/jobs/" + JOB + "/events", events(completed()));
        gateway.on("GET /download/" + FILENAME, bytes(VIDEO));

        ClientRun run = reel("-o", dir.resolve("ada.mp4").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("/download/", "warning");
    }

    @Test
    void fieldErrorsInsideAListNameTheOptionThatFillsIt() {
        gateway.on(
                "POST /api/generate",
                problem(
                        400,
                        "{\"type\":\"urn:tweetreel:problem:invalid-request\",\"title\":\"Invalid request\","
                                + "\"status\":400,\"detail\":\"2 fields are invalid\",\"errors\":["
                                + "{\"field\":\"media[1].url\",\"message\":\"must be an http:// or https:// URL\"},"
                                + "{\"field\":\"formats[0]\",\"message\":"
                                + "\"must be \\\"9:16\\\", \\\"1:1\\\", \\\"4:5\\\" or \\\"16:9\\\"\"}]}"));

        ClientRun run = reel("--format", "2:1", "--media", "https://example.com/a.png", "--media", "ftp://x/b.png");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines())
                .containsExactly(
                        "tweetreel: Invalid request: 2 fields are invalid",
                        "  media[1].url (--media): must be an http:// or https:// URL",
                        "  formats[0] (--format): must be \"9:16\", \"1:1\", \"4:5\" or \"16:9\"");
    }

    @Test
    void aGatewayThatIsNotThereIsOneLineAndExitCodeTwo() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ClientRun run = ClientRun.run(
                "reel", "--server", "http://127.0.0.1:" + closedPort, "--text", "t", "--name", "n", "--user", "u");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("tweetreel: cannot reach the gateway at http://127.0.0.1:" + closedPort
                        + " (connection refused)");
    }

    @Test
    void aStreamThatEndsBeforeTheJobDoesIsFollowedAgain() {
        acceptsTheJob();
        gateway.on(
                "GET /api/jobs/" + JOB + "/events",
                events(job("processing", 20, "generating_screenshot")),
                events(job("processing", 60, "composing_video"), completed()));
        gateway.on("GET /api/jobs/" + JOB, json(200, job("processing", 20, "generating_screenshot")));
        gateway.on("GET /download/" + FILENAME, bytes(VIDEO));

        ClientRun run = reel("-o", dir.resolve("a.mp4").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.received("GET", "/api/jobs/" + JOB + "/events")).hasSize(2);
        assertThat(dir.resolve("a.mp4")).hasBinaryContent(VIDEO);
    }

    @Test
    void whenTheGatewayHasNoEventStreamToSpareTheJobIsPolled() {
        acceptsTheJob();
        gateway.on(
                "GET /api/jobs/" + JOB + "/events",
                problem(503, "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"too many streams\"}"));
        gateway.on(
                "GET /api/jobs/" + JOB,
                json(200, job("processing", 20, "generating_screenshot")),
                json(200, job("processing", 60, "composing_video")),
                json(200, completed()));
        gateway.on("GET /download/" + FILENAME, bytes(VIDEO));

        ClientRun run = reel("-o", dir.resolve("p.mp4").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).containsSubsequence("20% generating_screenshot", "60% composing_video", "completed");
        assertThat(gateway.received("GET", "/api/jobs/" + JOB + "/events")).hasSize(1);
    }

    @Test
    void anExpiredVideoIsReportedAsTheServerSaysIt() {
        acceptsTheJob();
        gateway.on("GET /api/jobs/" + JOB + "/events", events(completed()));
        gateway.on(
                "GET /download/" + FILENAME,
                problem(410, "{\"title\":\"Video expired\",\"status\":410,\"detail\":\"expired at 10:00\"}"));

        ClientRun run = reel("-o", dir.resolve("gone.mp4").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tweetreel: Video expired: expired at 10:00");
        assertThat(dir.resolve("gone.mp4")).doesNotExist();
        assertThat(Gateway.partFile(dir.resolve("gone.mp4"))).doesNotExist();
    }

    @Test
    void theBarIsRedrawnInPlaceWithTheStepName() {
        assertThat(Progress.Bar.render(60, "composing_video"))
                .isEqualTo("[##################............]  60% composing_video");
        assertThat(Progress.Bar.render(100, "completed")).startsWith("[" + "#".repeat(30) + "] 100%");

        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Progress bar = new Progress.Bar(new java.io.PrintStream(bytes, true));
        bar.show(20, "generating_screenshot");
        bar.show(20, "generating_screenshot");
        bar.show(60, "composing_video");
        bar.end();

        assertThat(bytes.toString())
                .isEqualTo("\r" + Progress.Bar.render(20, "generating_screenshot") + "\u001b[K" + "\r"
                        + Progress.Bar.render(60, "composing_video") + "\u001b[K" + System.lineSeparator());
    }
}
