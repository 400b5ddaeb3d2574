package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 5: SIGTERM to the composer while it encodes a job. The job is not lost (it finishes before the process
 * exits, or is taken up again by the other composer or the restarted one), and no per-job temp directory is left
 * behind, neither right after the SIGTERM (before a restart could sweep it) nor at the end.
 */
@ExtendWith(FaultStackExtension.class)
class StageSigtermFaultTest {

    @Test
    void sigtermToTheComposerMidJobLosesNothingAndLeavesNoTempDirectories(StackEndpoints stack) throws Exception {
        String gateway = FaultStackExtension.GATEWAY;
        String jobId = FaultTestSupport.submit(
                gateway, FaultTestSupport.request("A long reel interrupted by a SIGTERM to the composer", 30));
        // the one job of this test: whichever composer runs ffmpeg now holds it
        AtomicReference<ServiceProcess> holder = new AtomicReference<>();
        await().alias("job " + jobId + " encoding")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    JsonNode j = FaultTestSupport.job(gateway, jobId);
                    assertThat(j == null ? "pending" : j.get("status").asText()).isNotEqualTo("failed");
                    holder.set(FaultStackExtension.encodingComposer().orElse(null));
                    return j != null && j.get("currentStep").asText().equals("composing_video") && holder.get() != null;
                });
        ServiceProcess composer = holder.get();

        ProcessHandle old = composer.handle().orElseThrow();
        composer.terminate();
        // graceful: the process exits on its own within the grace period, children (ffmpeg) with it
        old.onExit().get(3, TimeUnit.MINUTES);
        assertThat(old.isAlive()).isFalse();
        assertThat(FaultTestSupport.jobDirectories(stack, composer))
                .as("job directories of %s right after SIGTERM", composer.name())
                .isEmpty();

        composer.start(stack);

        JsonNode done = FaultTestSupport.awaitCompleted(gateway, jobId, Duration.ofMinutes(6));
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        assertThat(done.at("/result/duration").asDouble()).isBetween(29.9, 30.1);
        assertThat(FaultTestSupport.jobDirectories(stack, composer))
                .as("job directories of %s at the end", composer.name())
                .isEmpty();

        // the pipeline takes new work after the restart
        String next = FaultTestSupport.submit(gateway, FaultTestSupport.request("After the restart", 3));
        FaultTestSupport.awaitCompleted(gateway, next, Duration.ofMinutes(4));
        assertThat(FaultTestSupport.jobDirectories(stack, composer))
                .as("job directories of %s after the next job", composer.name())
                .isEmpty();
        FaultTestSupport.assertEveryJobFiledOnce(stack, gateway, List.of(jobId, next), Duration.ofMinutes(1));
    }
}
