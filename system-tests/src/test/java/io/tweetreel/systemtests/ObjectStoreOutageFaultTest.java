package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 3: the S3 server goes away for 20 s while jobs are in the pipeline (a composer encoding, others queued
 * for rendering, composing and filing). The stages retry their uploads, downloads and copies with backoff
 * instead of failing the jobs: every job completes, filed exactly once, nothing left in the work bucket.
 */
@ExtendWith(FaultStackExtension.class)
class ObjectStoreOutageFaultTest {
    private static final Duration OUTAGE = Duration.ofSeconds(20);

    @Test
    void theObjectStoreDownForTwentySecondsMidRunLosesNoJob(DevStack devStack) throws Exception {
        StackEndpoints stack = devStack.endpoints();
        String gateway = FaultStackExtension.GATEWAY;
        List<String> jobIds = new ArrayList<>(FaultTestSupport.submitMany(gateway, 10, "Store outage"));

        Map<ServiceProcess, Integer> logMarks = new HashMap<>();
        for (ServiceProcess composer : FaultStackExtension.composers()) {
            logMarks.put(
                    composer,
                    Files.readAllLines(composer.logFile(), StandardCharsets.ISO_8859_1)
                            .size());
        }
        FaultTestSupport.outageMidRun(OUTAGE, devStack.s3()::stop, devStack.s3()::start);

        jobIds.add(FaultTestSupport.submit(gateway, FaultTestSupport.request("After the store came back", 3)));
        FaultTestSupport.assertEveryJobFiledOnce(stack, gateway, jobIds, Duration.ofMinutes(8));

        // the outage did hit work in hand: the composers retried (uploads of finished reels, card downloads)
        List<String> retries = new ArrayList<>();
        for (Map.Entry<ServiceProcess, Integer> mark : logMarks.entrySet()) {
            List<String> lines = Files.readAllLines(mark.getKey().logFile(), StandardCharsets.ISO_8859_1);
            lines.subList(Math.min(mark.getValue(), lines.size()), lines.size()).stream()
                    .filter(line -> line.contains("composing_video attempt") && line.contains("failed, retrying"))
                    .forEach(retries::add);
        }
        assertThat(retries)
                .as("retries logged by the composers after the store went down")
                .isNotEmpty();
    }
}
