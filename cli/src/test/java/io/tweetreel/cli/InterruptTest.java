package io.tweetreel.cli;

import static io.tweetreel.cli.FakeGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C is a signal to a whole process, so the client runs in a child JVM here, as {@code ./tweetreel} runs it. */
class InterruptTest {
    static final String JOB = ReelCommandTest.JOB;

    private final FakeGateway gateway = new FakeGateway();
    private final CountDownLatch endStreams = new CountDownLatch(1);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        endStreams.countDown();
        gateway.close();
    }

    /** An event stream that shows the job composing and stays open, as a running job's does. */
    private FakeGateway.Answer openStream() {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(("event: status\ndata: " + ReelCommandTest.job("processing", 60, "composing_video") + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                endStreams.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void ctrlCWhileAJobRunsCancelsItAndExits130() throws Exception {
        gateway.on("POST /api/generate", json(202, "{\"jobId\":\"" + JOB + "\"}"));
        gateway.on("GET /api/jobs/" + JOB + "/events", openStream());
        gateway.on(
                "POST /api/jobs/" + JOB + "/cancel", json(202, ReelCommandTest.job("canceled", 60, "composing_video")));
        Path err = dir.resolve("err.txt");
        Process client = new ProcessBuilder(
                        javaCommand("reel", "--server", gateway.url(), "--text", "t", "--name", "n", "--user", "u"))
                .redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.readString(err).contains("60% composing_video"));

            new ProcessBuilder("kill", "-INT", Long.toString(client.pid()))
                    .start()
                    .waitFor();

            boolean exited = client.waitFor(20, TimeUnit.SECONDS);
            // should it not, say what it printed and what it was doing
            assertThat(exited)
                    .as(
                            "client exited within 20 s of SIGINT; its stderr:%n%s%nits threads:%n%s",
                            Files.readString(err), exited ? "" : threads(client))
                    .isTrue();
            assertThat(client.exitValue()).isEqualTo(130);
            assertThat(gateway.received("POST", "/api/jobs/" + JOB + "/cancel")).hasSize(1);
            assertThat(Files.readString(err)).contains("interrupted: canceling job " + JOB, "job " + JOB + " canceled");
        } finally {
            client.destroyForcibly();
        }
    }

    /** The process's thread dump (jcmd), to tell where a client that will not exit is stuck. */
    private static String threads(Process process) {
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(process.pid()),
                            "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(10, TimeUnit.SECONDS);
            return dump;
        } catch (Exception e) {
            return "no thread dump: " + e;
        }
    }

    private static List<String> javaCommand(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // a terminal's Ctrl-C: a JVM that starts with SIGINT ignored (what a shell does to its background jobs, so a
        // test run started with `&` passes it down) installs no handler for it and never runs its shutdown hooks
        List<String> command = new java.util.ArrayList<>(List.of(
                "env",
                "--default-signal=INT",
                java,
                "-cp",
                System.getProperty("java.class.path"),
                TweetReelClient.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
