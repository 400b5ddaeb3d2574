package io.tweetreel.cli;

import static io.tweetreel.cli.FakeGateway.json;
import static io.tweetreel.cli.FakeGateway.problem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusAndCancelCommandTest {
    static final String JOB = ReelCommandTest.JOB;

    private final FakeGateway gateway = new FakeGateway();

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void statusPrintsTheJobsKeyFacts() {
        gateway.on(
                "GET /api/jobs/" + JOB,
                json(
                        200,
                        "{\"jobId\":\"" + JOB + "\",\"status\":\"completed\",\"progress\":100,"
                                + "\"currentStep\":\"completed\",\"result\":{\"filename\":\"f.mp4\",\"downloadUrl\":"
                                + "\"http://localhost:3000/download/f.mp4\",\"expiresAt\":\"2026-12-03T10:00:05Z\","
                                + "\"fileSize\":1572864,\"duration\":5.0,\"resolution\":\"1080x1920\"},"
                                + "\"createdAt\":\"2026-12-02T10:00:00Z\",\"updatedAt\":\"2026-12-02T10:00:05Z\"}"));

        ClientRun run = ClientRun.run("status", JOB, "--server", gateway.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines())
                .containsExactly(
                        "job      " + JOB,
                        "status   completed (100%, completed)",
                        "video    http://localhost:3000/download/f.mp4",
                        "         1.5 MiB, 5.0 s, 1080x1920, expires 2026-12-03T10:00:05Z",
                        "created  2026-12-02T10:00:00Z",
                        "updated  2026-12-02T10:00:05Z");
    }

    @Test
    void statusListsThePosterEveryOtherFormatAndTheWarnings() {
        String base = "http://localhost:3000/download/";
        gateway.on(
                "GET /api/jobs/" + JOB,
                json(
                        200,
                        "{\"jobId\":\"" + JOB + "\",\"status\":\"completed\",\"progress\":100,"
                                + "\"currentStep\":\"completed\",\"result\":{\"filename\":\"f.mp4\",\"downloadUrl\":\""
                                + base + "f.mp4\",\"expiresAt\":\"2026-12-03T10:00:05Z\",\"fileSize\":1572864,"
                                + "\"duration\":5.0,\"resolution\":\"1080x1920\",\"posterUrl\":\"" + base + "f.jpg\","
                                + "\"outputs\":[{\"format\":\"9:16\",\"filename\":\"f.mp4\",\"downloadUrl\":\"" + base
                                + "f.mp4\",\"fileSize\":1572864,\"duration\":5.0,\"resolution\":\"1080x1920\","
                                + "\"posterUrl\":\"" + base + "f.jpg\"},{\"format\":\"16:9\",\"filename\":\"g.mp4\","
                                + "\"downloadUrl\":\"" + base + "g.mp4\",\"fileSize\":2000000,\"duration\":5.0,"
                                + "\"resolution\":\"1920x1080\",\"posterUrl\":\"" + base + "g.jpg\"}]},"
                                + "\"createdAt\":\"2026-12-02T10:00:00Z\",\"updatedAt\":\"2026-12-02T10:00:05Z\","
                                + "\"warnings\":[{\"code\":\"MEDIA_UNAVAILABLE\",\"message\":\"the image could not be "
                                + "fetched\",\"field\":\"media[0].url\"}]}"));

        ClientRun run = ClientRun.run("status", JOB, "--server", gateway.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines())
                .containsExactly(
                        "job      " + JOB,
                        "status   completed (100%, completed)",
                        "video    " + base + "f.mp4",
                        "         1.5 MiB, 5.0 s, 1080x1920, expires 2026-12-03T10:00:05Z",
                        "poster   " + base + "f.jpg",
                        "16:9     " + base + "g.mp4 (1920x1080, poster " + base + "g.jpg)",
                        "warning  media[0].url: the image could not be fetched (MEDIA_UNAVAILABLE)",
                        "created  2026-12-02T10:00:00Z",
                        "updated  2026-12-02T10:00:05Z");
    }

    @Test
    void statusOfAFailedJobShowsItsError() {
        gateway.on(
                "GET /api/jobs/" + JOB,
                json(
                        200,
                        "{\"jobId\":\"" + JOB + "\",\"status\":\"failed\",\"progress\":20,"
                                + "\"currentStep\":\"generating_screenshot\",\"error\":{\"code\":\"RENDER_FAILED\","
                                + "\"message\":\"bad card\",\"step\":\"generating_screenshot\"}}"));

        ClientRun run = ClientRun.run("status", JOB, "--server", gateway.url(), "--json");
        ClientRun text = ClientRun.run("status", JOB, "--server", gateway.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("\"code\" : \"RENDER_FAILED\"");
        assertThat(text.out()).contains("error    bad card (RENDER_FAILED, at generating_screenshot)");
    }

    @Test
    void statusOfAnUnknownJobShowsTheProblem() {
        gateway.on(
                "GET /api/jobs/" + JOB,
                problem(
                        404,
                        "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no job " + JOB
                                + "\"}"));

        ClientRun run = ClientRun.run("status", JOB, "--server", gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("tweetreel: Not Found: no job " + JOB);
    }

    @Test
    void cancelSaysWhereTheJobStopped() {
        gateway.on(
                "POST /api/jobs/" + JOB + "/cancel",
                json(
                        202,
                        "{\"jobId\":\"" + JOB + "\",\"status\":\"canceled\",\"progress\":60,"
                                + "\"currentStep\":\"composing_video\"}"));

        ClientRun run = ClientRun.run("cancel", JOB, "--server", gateway.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("job " + JOB + " canceled at composing_video");
    }

    @Test
    void cancelOfACompletedJobShowsTheConflict() {
        gateway.on(
                "POST /api/jobs/" + JOB + "/cancel",
                problem(
                        409,
                        "{\"type\":\"urn:tweetreel:problem:job-final\",\"title\":\"Job already final\","
                                + "\"status\":409,\"detail\":\"the job is completed\"}"));

        ClientRun run = ClientRun.run("cancel", JOB, "--server", gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("tweetreel: Job already final: the job is completed");
    }

    @Test
    void anErrorPageThatIsNotAProblemShowsTheStatusAndTheRequest() {
        gateway.on("GET /api/jobs/" + JOB, FakeGateway.text(502, "text/html", "<h1>Bad Gateway</h1>"));

        ClientRun run = ClientRun.run("status", JOB, "--server", gateway.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("tweetreel: HTTP 502 from GET " + gateway.url() + "/api/jobs/" + JOB);
    }

    @Test
    void aServerThatIsNotAnHttpUrlIsExitCodeTwo() {
        ClientRun run = ClientRun.run("status", JOB, "--server", "localhost:3000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("tweetreel: --server must be an http or https URL such as http://localhost:3000, not"
                        + " localhost:3000");
    }
}
