package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 1: two composers run as separate OS processes; with 20 jobs in flight one of them is killed with SIGKILL
 * (ffmpeg with it, as when a container dies) while it encodes. The other takes over its partitions once the group
 * notices, redoes the job(s) in hand, and every job completes, filed exactly once, with nothing left in the work
 * bucket. The killed composer's abandoned temp directories are swept when it starts again.
 */
@ExtendWith(FaultStackExtension.class)
class ComposerCrashFaultTest {

    @Test
    void killingOneOfTwoComposersMidEncodeLosesNoneOfTwentyJobs(StackEndpoints stack) throws Exception {
        String gateway = FaultStackExtension.GATEWAY;
        assertThat(FaultStackExtension.composers())
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.handle().map(ProcessHandle::isAlive))
                        .as(c.name())
                        .contains(true));

        List<String> jobIds = FaultTestSupport.submitMany(gateway, 20, "Crash test");

        AtomicReference<ServiceProcess> victim = new AtomicReference<>();
        await().alias("a composer encoding")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    victim.set(FaultStackExtension.encodingComposer().orElse(null));
                    return victim.get() != null;
                });
        ServiceProcess killed = victim.get();
        ProcessHandle process = killed.handle().orElseThrow();
        killed.kill();
        process.onExit().get(30, TimeUnit.SECONDS);
        assertThat(process.isAlive()).isFalse();
        try {
            assertThat(FaultTestSupport.jobDirectories(stack, killed))
                    .as("job directories %s had when it was killed mid-encode", killed.name())
                    .isNotEmpty();
            FaultTestSupport.assertEveryJobFiledOnce(stack, gateway, jobIds, Duration.ofMinutes(10));
        } finally {
            killed.start(stack);
        }
        // a SIGKILL leaves the job's directory behind; the restarted composer sweeps it before taking work
        assertThat(FaultTestSupport.jobDirectories(stack, killed))
                .as("job directories of %s after its restart", killed.name())
                .isEmpty();
    }
}
