package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 7: a rolling restart, as a deployment does it: every instance of every service in turn gets SIGTERM, and
 * the next one only once it is ready again, while jobs keep coming (through whichever gateway is up, as a load
 * balancer would send them). No job fails, every job is filed exactly once, nothing is left in the work bucket.
 */
@ExtendWith(FaultStackExtension.class)
class RollingRestartFaultTest {
    private static final Logger log = LoggerFactory.getLogger(RollingRestartFaultTest.class);
    /**
     * One job every so often while the restarts go on, so that jobs still arrive while the gateways restart (last):
     * the roll takes about 200 s on 2 cores, every 5 s reached {@link #MAX_JOBS} before the gateways' turn.
     */
    private static final Duration SUBMIT_EVERY = Duration.ofSeconds(7);

    private static final int MAX_JOBS = 30;

    /** The gateway being restarted now, so submissions go to the other; null while both are up. */
    private volatile ServiceProcess restarting;

    private volatile boolean rolling = true;

    @Test
    void restartingEveryInstanceInTurnUnderLoadFailsNoJob(StackEndpoints stack) throws Exception {
        List<String> jobIds = Collections.synchronizedList(new ArrayList<>());
        ExecutorService submitter = Executors.newSingleThreadExecutor();
        Future<?> submitting = submitter.submit(() -> {
            while ((rolling || jobIds.size() < 20) && jobIds.size() < MAX_JOBS) {
                jobIds.add(FaultTestSupport.submit(
                        upGateway(), FaultTestSupport.request("Rolling restart — job " + (jobIds.size() + 1), 3)));
                Thread.sleep(SUBMIT_EVERY.toMillis());
            }
            return null;
        });
        Instant started = Instant.now();
        try {
            for (ServiceProcess service : FaultStackExtension.services()) {
                restart(stack, service);
            }
        } finally {
            rolling = false;
            restarting = null;
        }
        log.info("rolled {} instances in {} s", FaultStackExtension.services().size(), secondsSince(started));
        submitting.get(5, TimeUnit.MINUTES);
        submitter.shutdown();

        assertThat(jobIds).hasSizeGreaterThanOrEqualTo(20);
        FaultTestSupport.assertEveryJobFiledOnce(stack, FaultStackExtension.GATEWAY, jobIds, Duration.ofMinutes(4));
        log.info(
                "{} jobs submitted during the roll all filed once, {} s after it began",
                jobIds.size(),
                secondsSince(started));
    }

    /** SIGTERM, wait for the process to exit by itself, start it again and wait until it is ready. */
    private void restart(StackEndpoints stack, ServiceProcess service) throws Exception {
        Instant begun = Instant.now();
        if (service.name().startsWith("gateway")) {
            restarting = service;
        }
        ProcessHandle old = service.handle().orElseThrow();
        service.terminate();
        old.onExit().get(2, TimeUnit.MINUTES);
        service.start(stack);
        restarting = null;
        log.info("{} restarted and ready in {} s", service.name(), secondsSince(begun));
    }

    private String upGateway() {
        ServiceProcess down = restarting;
        return down != null && down.port() == FaultStackExtension.GATEWAY_PORT
                ? FaultStackExtension.GATEWAY_2
                : FaultStackExtension.GATEWAY;
    }

    private static long secondsSince(Instant start) {
        return Duration.between(start, Instant.now()).toSeconds();
    }
}
