package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault: a machine of the Kafka cluster is lost. On a three-broker cluster, the broker that leads most partitions
 * of {@code videos.screenshot} is killed with SIGKILL while 20 jobs are in flight. Its partitions' leadership
 * moves to the other two (every topic has replication factor 3 and {@code min.insync.replicas} 2, so writes go
 * on); the stages, whose transactions and group coordinators may have lived on it, ride it out without a restart:
 * every job completes, filed exactly once, and nothing is left in the work bucket.
 */
@ExtendWith(ClusterFaultStackExtension.class)
class BrokerLossFaultTest {
    private static final Logger log = LoggerFactory.getLogger(BrokerLossFaultTest.class);
    private static final int JOBS = 20;

    @Test
    void losingTheBrokerThatLeadsTheScreenshotsLosesNoJob(DevStack devStack) throws Exception {
        StackEndpoints stack = devStack.endpoints();
        String gateway = FaultStackExtension.GATEWAY;
        assertThat(devStack.liveBrokerIds()).as("a three-broker cluster").hasSize(3);
        List<String> jobIds = FaultTestSupport.submitMany(gateway, JOBS, "Broker loss");

        await().alias("a composer encoding, the other jobs queued around it")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> FaultStackExtension.encodingComposer().isPresent());
        int victim = leaderOfMostScreenshotPartitions(stack);
        Instant killed = Instant.now();
        devStack.killBroker(victim);
        log.info("killed broker {} (leader of most videos.screenshot partitions) at {}", victim, killed);
        try {
            FaultTestSupport.assertEveryJobFiledOnce(stack, gateway, jobIds, Duration.ofMinutes(5));
            log.info(
                    "all {} jobs filed once, {} s after the broker was killed",
                    JOBS,
                    Duration.between(killed, Instant.now()).toSeconds());
            assertThat(devStack.liveBrokerIds())
                    .as("the lost broker stayed lost")
                    .doesNotContain(victim);
        } finally {
            devStack.restartBroker(victim);
        }
        await().alias("the restarted broker back in the cluster")
                .atMost(Duration.ofMinutes(1))
                .until(() -> devStack.liveBrokerIds().size() == 3);
    }

    /** The node that leads the most partitions of {@code videos.screenshot} right now. */
    private static int leaderOfMostScreenshotPartitions(StackEndpoints stack) throws Exception {
        try (Admin admin = FaultDiagnostics.admin(stack)) {
            List<TopicPartitionInfo> partitions = admin.describeTopics(List.of(Topics.VIDEOS_SCREENSHOT))
                    .allTopicNames()
                    .get()
                    .get(Topics.VIDEOS_SCREENSHOT)
                    .partitions();
            Map<Integer, Long> led = partitions.stream()
                    .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
            log.info("videos.screenshot partitions led per broker: {}", led);
            return led.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey)
                    .orElseThrow();
        }
    }
}
