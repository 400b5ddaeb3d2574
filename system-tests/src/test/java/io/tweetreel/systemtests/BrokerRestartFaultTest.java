package io.tweetreel.systemtests;

import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.StackEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault 2: the Kafka broker stops while jobs are in every part of the pipeline (a composer encoding, others
 * queued) and comes back 15 s later on the same address with its data. Every service rides it out without a
 * restart: every job completes, filed exactly once, nothing left in the work bucket, and new work is taken.
 */
@ExtendWith(FaultStackExtension.class)
class BrokerRestartFaultTest {
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @Test
    void theBrokerStoppedAndRestartedMidRunLosesNoJob(DevStack devStack) throws Exception {
        StackEndpoints stack = devStack.endpoints();
        String gateway = FaultStackExtension.GATEWAY;
        List<String> jobIds = new ArrayList<>(FaultTestSupport.submitMany(gateway, 10, "Broker restart"));

        FaultTestSupport.outageMidRun(OUTAGE, devStack.kafka()::stop, devStack.kafka()::start);

        jobIds.add(FaultTestSupport.submit(gateway, FaultTestSupport.request("After the broker came back", 3)));
        FaultTestSupport.assertEveryJobFiledOnce(stack, gateway, jobIds, Duration.ofMinutes(10));
    }
}
