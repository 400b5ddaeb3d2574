package io.tweetreel.cli;

import static io.tweetreel.cli.FakeGateway.bytes;
import static io.tweetreel.cli.FakeGateway.events;
import static io.tweetreel.cli.FakeGateway.json;
import static io.tweetreel.cli.FakeGateway.problem;
import static io.tweetreel.cli.FakeGateway.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job commands with API keys: where the key comes from, where it is sent, and what a 401 or 429 says. */
class ApiKeyTest {
    static final String JOB = ReelCommandTest.JOB;
    static final String FILENAME = ReelCommandTest.FILENAME;
    static final String KEY = "trk_" + "AbCdEfGhIj".repeat(4);
    static final String UNAUTHORIZED = "{\"type\":\"urn:tweetreel:problem:unauthorized\",\"title\":\"Unauthorized\","
            + "\"status\":401,\"detail\":\"a valid API key is required\"}";

    private final FakeGateway gateway = new FakeGateway();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        gateway.close();
    }

    private Path keyFile(String content, String permissions) throws IOException {
        Path file = Files.writeString(dir.resolve("api-key"), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private void knowsTheJob() {
        gateway.on("GET /api/jobs/" + JOB, json(200, ReelCommandTest.job("processing", 20, "generating_screenshot")));
    }

    @Test
    void reelSendsTheKeyFromTheFileToTheGatewayButNotWithTheDownload() throws IOException {
        gateway.on("POST /api/generate", json(202, "{\"jobId\":\"" + JOB + "\"}"));
        String completed = "{\"jobId\":\"" + JOB + "\",\"status\":\"completed\",\"progress\":100,"
                + "\"currentStep\":\"completed\",\"result\":{\"filename\":\"" + FILENAME + "\",\"downloadUrl\":\""
                + gateway.url() + "/download/" + FILENAME + "\"}}";
        gateway.on("GET /api/jobs/" + JOB + "/events", events(completed));
        gateway.on("GET /download/" + FILENAME, bytes(ReelCommandTest.VIDEO));

        ClientRun run = ClientRun.run(
                "reel",
                "--server",
                gateway.url(),
                "--api-key-file",
                keyFile(KEY + "\n", "rw-------").toString(),
                "--text",
                "Hello",
                "--name",
                "Ada",
                "--user",
                "ada",
                "-o",
                dir.resolve("ada.mp4").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("warning");
        assertThat(gateway.received("POST", "/api/generate").get(0).authorization())
                .isEqualTo("Bearer " + KEY);
        assertThat(gateway.received("GET", "/api/jobs/" + JOB + "/events")
                        .get(0)
                        .authorization())
                .isEqualTo("Bearer " + KEY);
        // a download URL is a capability of its own, possibly on another host: the key stays home
        assertThat(gateway.received("GET", "/download/" + FILENAME).get(0).authorization())
                .isNull();
    }

    @Test
    void statusAndCancelSendTheKeyFromTheEnvironment() {
        knowsTheJob();
        gateway.on(
                "POST /api/jobs/" + JOB + "/cancel",
                json(202, ReelCommandTest.job("canceled", 20, "generating_screenshot")));
        Map<String, String> env = Map.of("TWEETREEL_API_KEY", KEY);

        ClientRun status = ClientRun.run(env, "status", JOB, "--server", gateway.url());
        ClientRun cancel = ClientRun.run(env, "cancel", JOB, "--server", gateway.url());

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(cancel.exitCode()).as(cancel.err()).isZero();
        assertThat(gateway.received)
                .extracting(FakeGateway.Received::authorization)
                .containsExactly("Bearer " + KEY, "Bearer " + KEY);
    }

    @Test
    void batchSendsTheKeyKeptUnderTweetReelHome() throws IOException {
        Path home = dir.resolve("repo");
        Files.createDirectories(home.resolve(".tweetreel"));
        Path kept = Files.writeString(home.resolve(".tweetreel/api-key"), KEY);
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-------"));
        Path posts = Files.writeString(dir.resolve("posts.csv"), "text,name,user\nfirst,Ada,ada\n");
        gateway.on("POST /api/batches", problem(400, "{\"title\":\"Invalid batch\",\"status\":400}"));

        ClientRun run = ClientRun.run(
                Map.of("TWEETREEL_HOME", home.toString()),
                "batch",
                posts.toString(),
                "--out",
                dir.resolve("out").toString(),
                "--server",
                gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(gateway.received("POST", "/api/batches").get(0).authorization())
                .isEqualTo("Bearer " + KEY);
    }

    @Test
    void theFileOptionWinsOverTheEnvironmentAndNoKeyAnywhereSendsNone() throws IOException {
        knowsTheJob();
        Path file = keyFile("trk_fromTheFile", "rw-------");

        ClientRun withFile = ClientRun.run(
                Map.of("TWEETREEL_API_KEY", KEY),
                "status",
                JOB,
                "--server",
                gateway.url(),
                "--api-key-file",
                file.toString());
        ClientRun withNothing = ClientRun.run(
                Map.of("TWEETREEL_HOME", dir.resolve("no-state-here").toString()),
                "status",
                JOB,
                "--server",
                gateway.url());

        assertThat(withFile.exitCode()).isZero();
        assertThat(withNothing.exitCode()).isZero();
        assertThat(gateway.received)
                .extracting(FakeGateway.Received::authorization)
                .containsExactly("Bearer trk_fromTheFile", null);
    }

    @Test
    void withoutAKeyA401SaysHowToGiveOne() {
        gateway.on("GET /api/jobs/" + JOB, withHeader("WWW-Authenticate", "Bearer", problem(401, UNAUTHORIZED)));

        ClientRun run = ClientRun.run("status", JOB, "--server", gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .isEqualTo("tweetreel: the gateway wants an API key: give one with --api-key-file FILE,"
                        + " TWEETREEL_API_KEY or .tweetreel/api-key (./tweetreel up --auth makes one;"
                        + " ./tweetreel keys create NAME makes more) (a valid API key is required)");
    }

    @Test
    void aRefusedKeyIsNamedByWhereItCameFromNeverShown() throws IOException {
        gateway.on("POST /api/jobs/" + JOB + "/cancel", problem(401, UNAUTHORIZED));
        Path file = keyFile(KEY, "rw-------");

        ClientRun run = ClientRun.run("cancel", JOB, "--server", gateway.url(), "--api-key-file", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip())
                .isEqualTo("tweetreel: the gateway wants an API key: it refused the one from " + file
                        + ", unknown or revoked (a valid API key is required)");
        assertThat(run.out() + run.err()).doesNotContain(KEY);
    }

    @Test
    void aRateLimitSaysWhenToTryAgain() {
        gateway.on(
                "POST /api/generate",
                withHeader(
                        "Retry-After",
                        "12",
                        problem(
                                429,
                                "{\"type\":\"urn:tweetreel:problem:rate-limited\",\"title\":\"Too Many Requests\","
                                        + "\"status\":429,\"detail\":\"60 jobs per minute\"}")));

        ClientRun run = ClientRun.run(
                Map.of("TWEETREEL_API_KEY", KEY),
                "reel",
                "--server",
                gateway.url(),
                "--text",
                "Hello",
                "--name",
                "Ada",
                "--user",
                "ada");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("tweetreel: too many requests: try again in 12 s: 60 jobs per minute");
    }

    @Test
    void aUsedQuotaSaysWhenItResets() throws IOException {
        Path posts = Files.writeString(dir.resolve("posts.csv"), "text,name,user\nfirst,Ada,ada\nsecond,Bo,bo\n");
        gateway.on(
                "POST /api/batches",
                withHeader(
                        "Retry-After",
                        "36000",
                        problem(
                                429,
                                "{\"type\":\"urn:tweetreel:problem:quota-exceeded\",\"title\":\"Quota exceeded\","
                                        + "\"status\":429,\"resetAt\":\"2026-12-03T00:00:00Z\"}")));

        ClientRun run = ClientRun.run(
                Map.of("TWEETREEL_API_KEY", KEY),
                "batch",
                posts.toString(),
                "--out",
                dir.resolve("out").toString(),
                "--server",
                gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("tweetreel: daily quota used: it resets at 2026-12-03T00:00:00Z");
    }

    @Test
    void aKeyFileOthersCanReadIsUsedWithAWarning() throws IOException {
        knowsTheJob();
        Path file = keyFile(KEY, "rw-r--r--");

        ClientRun run = ClientRun.run("status", JOB, "--server", gateway.url(), "--api-key-file", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err().strip())
                .isEqualTo("tweetreel: warning: other users can read " + file + "; make it yours alone with chmod 600 "
                        + file);
        assertThat(gateway.received.get(0).authorization()).isEqualTo("Bearer " + KEY);
    }

    @Test
    void aKeyFileThatCannotBeUsedIsExitCodeTwoWithoutItsContent() throws IOException {
        Path twoWords = keyFile("trk_secret and more", "rw-------");

        ClientRun garbled =
                ClientRun.run("status", JOB, "--server", gateway.url(), "--api-key-file", twoWords.toString());
        ClientRun missing = ClientRun.run(
                "status",
                JOB,
                "--server",
                gateway.url(),
                "--api-key-file",
                dir.resolve("nope").toString());

        assertThat(garbled.exitCode()).isEqualTo(2);
        assertThat(garbled.err().strip())
                .isEqualTo("tweetreel: " + twoWords + " does not hold an API key (one line of visible characters,"
                        + " such as trk_...)");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip())
                .isEqualTo("tweetreel: cannot read the API key from " + dir.resolve("nope") + ": no such file");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void aKeyFileThatCannotBeReadIsExitCodeTwo() throws IOException {
        Path locked = keyFile(KEY, "---------");
        assumeThat(Files.isReadable(locked)).as("not running as root").isFalse();

        ClientRun run = ClientRun.run("status", JOB, "--server", gateway.url(), "--api-key-file", locked.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("tweetreel: cannot read the API key from " + locked + ": permission denied");
    }
}
