package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.HangingTransactionGuard;
import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 2: the Kafka broker stops while jobs are in every part of the pipeline and comes back on the same address
 * with its data, three times, each at another moment of a stage's exactly-once cycle (see
 * {@link TransactionMoment}): before a stage sends its output, between the send and the commit, and during the
 * commit. Every service rides it out without a restart: no partition is left with a hanging transaction, every
 * job completes, filed exactly once, nothing is left in the work bucket, and new work is taken.
 */
@ExtendWith(FaultStackExtension.class)
class BrokerRestartFaultTest {
    private static final Logger log = LoggerFactory.getLogger(BrokerRestartFaultTest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /**
     * Twice the stages' transaction timeout (30 s), after which their own guards abort a hang: what is still open
     * then is a hang the product could not end; long next to one restart (about 10 s), during which a live
     * transaction may wait for its coordinator to load.
     */
    private static final Duration HANG_AFTER = Duration.ofSeconds(60);
    /** Rounds of the three restarts; more with -Dtweetreel.brokerRestart.rounds=N to measure how often one hangs. */
    private static final int ROUNDS = Integer.getInteger("tweetreel.brokerRestart.rounds", 1);

    @Test
    void theBrokerRestartedAtEachMomentOfATransactionLosesNoJob(DevStack devStack) throws Exception {
        StackEndpoints stack = devStack.endpoints();
        String gateway = FaultStackExtension.GATEWAY;
        int partitions = partitionsOf(stack);
        List<TopicPartition> pipelinePartitions = Topics.ALL.stream()
                .flatMap(t -> IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(t, p)))
                .toList();
        SimpleMeterRegistry watch = new SimpleMeterRegistry();
        List<String> jobIds = new ArrayList<>(FaultTestSupport.submitMany(gateway, 12, "Broker restart"));
        List<String> moments = new ArrayList<>();

        // An independent watcher over every pipeline partition: what it aborts is a hang the product let happen.
        try (HangingTransactionGuard hangs = new HangingTransactionGuard(
                        FaultDiagnostics.admin(stack),
                        () -> pipelinePartitions,
                        HANG_AFTER,
                        Duration.ofSeconds(2),
                        Clock.systemUTC(),
                        watch)
                .start()) {
            for (int round = 0; round < ROUNDS; round++) {
                if (round > 0) {
                    jobIds.addAll(FaultTestSupport.submitMany(gateway, 6, "Broker restart round " + (round + 1)));
                }
                for (TransactionMoment moment : TransactionMoment.values()) {
                    moments.add(restartAt(moment, devStack, partitions));
                    jobIds.add(FaultTestSupport.submit(
                            gateway, FaultTestSupport.request("After the broker came back (" + moment + ")", 3)));
                }
            }
            log.info("restart moments: {}", moments);
            FaultTestSupport.assertEveryJobFiledOnce(stack, gateway, jobIds, Duration.ofMinutes(6));
            assertThat(watch.counter("tweetreel.hanging.transactions.aborted").count()
                            + watch.counter("tweetreel.hanging.transactions.abort.failures")
                                    .count())
                    .as(
                            "transactions left hanging by the restarts at %s (open %s s, unknown to their coordinator): %s",
                            moments, HANG_AFTER.toSeconds(), hangs.status())
                    .isZero();
        }
        assertThat(moments).as("each moment was provoked").noneMatch(m -> m.contains("not seen"));
    }

    /** Stops the broker at {@code moment}, keeps it down for {@link #OUTAGE}, starts it again; says what it did. */
    private static String restartAt(TransactionMoment moment, DevStack devStack, int partitions) throws Exception {
        Optional<Duration> seen =
                moment.await(devStack.kafka(), partitions, BrokerRestartFaultTest::busy, Duration.ofMinutes(2));
        Instant stopped = Instant.now();
        devStack.kafka().stop();
        String what =
                moment + (seen.isPresent() ? " seen after " + seen.get().toMillis() + " ms" : " not seen within 2 min")
                        + ", broker stopped at " + stopped;
        log.info("broker stopped: {}", what);
        Thread.sleep(OUTAGE.toMillis()); // the outage itself: fixed, whatever the services do meanwhile
        devStack.kafka().start();
        return what;
    }

    /** True while some stage instance has a job in hand (its {@code /status} says so). */
    private static boolean busy() {
        return FaultStackExtension.services().stream()
                .filter(s -> !s.name().startsWith("gateway"))
                .anyMatch(s -> {
                    try {
                        HttpResponse<String> r = FaultTestSupport.HTTP.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/status"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        return FaultTestSupport.JSON
                                        .readTree(r.body())
                                        .path("currentJobCount")
                                        .asInt()
                                > 0;
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    private static int partitionsOf(StackEndpoints stack) throws Exception {
        try (var admin = FaultDiagnostics.admin(stack)) {
            return admin.describeTopics(List.of(Topics.VIDEOS_REQUESTED))
                    .allTopicNames()
                    .get()
                    .get(Topics.VIDEOS_REQUESTED)
                    .partitions()
                    .size();
        }
    }
}
