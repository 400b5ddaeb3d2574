package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 5: SIGTERM to the composer while it encodes a job. The job is not lost (it finishes before the process
 * exits, or is taken up again by the restarted composer), and no per-job temp directory is left behind, neither
 * right after the SIGTERM (before a restart could sweep it) nor at the end.
 */
@ExtendWith(FaultStackExtension.class)
class StageSigtermFaultTest {

    @Test
    void sigtermToTheComposerMidJobLosesNothingAndLeavesNoTempDirectories(StackEndpoints stack) throws Exception {
        String gateway = FaultStackExtension.GATEWAY;
        ServiceProcess composer = FaultStackExtension.composer();
        Path workDir = stack.stateDir().resolve("services").resolve(composer.name()).resolve("work");

        String jobId = FaultTestSupport.submit(gateway,
                FaultTestSupport.request("A long reel interrupted by a SIGTERM to the composer", 30));
        await().alias("job " + jobId + " composing").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    JsonNode j = FaultTestSupport.job(gateway, jobId);
                    assertThat(j == null ? "pending" : j.get("status").asText()).isNotEqualTo("failed");
                    return j != null && j.get("currentStep").asText().equals("composing_video");
                });

        ProcessHandle old = composer.handle().orElseThrow();
        composer.terminate();
        // graceful: the process exits on its own within the grace period, children (ffmpeg) with it
        old.onExit().get(3, TimeUnit.MINUTES);
        assertThat(old.isAlive()).isFalse();
        assertThat(jobDirectories(workDir)).as("job directories in %s right after SIGTERM", workDir).isEmpty();

        composer.start(stack);

        JsonNode done = FaultTestSupport.awaitCompleted(gateway, jobId, Duration.ofMinutes(6));
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        assertThat(done.at("/result/duration").asDouble()).isBetween(29.9, 30.1);
        assertThat(jobDirectories(workDir)).as("job directories in %s at the end", workDir).isEmpty();

        // the restarted composer takes new work too
        String next = FaultTestSupport.submit(gateway, FaultTestSupport.request("After the restart", 3));
        FaultTestSupport.awaitCompleted(gateway, next, Duration.ofMinutes(4));
        assertThat(jobDirectories(workDir)).as("job directories in %s after the next job", workDir).isEmpty();
    }

    private static List<Path> jobDirectories(Path workDir) throws Exception {
        if (!Files.isDirectory(workDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(workDir)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }
}
