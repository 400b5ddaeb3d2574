package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tweetreel.devstack.CommittedRecords;
import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault: the network between a composer and the rest of the cluster is cut for {@value #OUTAGE_SECONDS} s while it
 * encodes (its machine and its ffmpeg carry on). The cluster drops it from the composer group once its session
 * times out and the other composer takes its partitions and composes its jobs again; when the link returns, the
 * cut-off composer's late commit is fenced and its transaction aborted. Every job is filed once, and a read_committed
 * reader of {@code videos.composed} sees each job's composed video once.
 */
@ExtendWith(NetworkPartitionStackExtension.class)
class NetworkPartitionFaultTest {
    private static final Logger log = LoggerFactory.getLogger(NetworkPartitionFaultTest.class);
    private static final int OUTAGE_SECONDS = 30;
    private static final Duration OUTAGE = Duration.ofSeconds(OUTAGE_SECONDS);
    private static final String GROUP = "tweetreel-composer";
    /** What a stage's log says when its commit or its producer is refused for a newer owner of its tasks. */
    private static final Pattern FENCED =
            Pattern.compile("(?i)fenced|TaskMigrated|CommitFailed|InvalidProducerEpoch|lost all its tasks");

    @Test
    void aComposerCutOffWhileEncodingIsFencedAndEveryJobIsFiledOnce(DevStack devStack) throws Exception {
        StackEndpoints stack = devStack.endpoints();
        String gateway = NetworkPartitionStackExtension.GATEWAY;
        ServiceProcess cutOff = NetworkPartitionStackExtension.cutOffComposer();
        List<String> jobIds = new ArrayList<>();
        try (Admin admin = FaultDiagnostics.admin(stack)) {
            for (int round = 1; round <= 3 && !encoding(cutOff); round++) {
                jobIds.addAll(FaultTestSupport.submitMany(gateway, 6, "Network partition " + round));
                try {
                    await().alias(cutOff.name() + " encoding")
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> encoding(cutOff));
                } catch (org.awaitility.core.ConditionTimeoutException notItsJobs) {
                    log.info("round {}: none of its jobs reached {}; more jobs", round, cutOff.name());
                }
            }
            assertThat(encoding(cutOff)).as(cutOff.name() + " encoding a job").isTrue();
            Set<TopicPartition> itsPartitions = partitionsOf(admin, cutOff.name());
            Instant cutAt = Instant.now();
            NetworkNamespace.cut();
            log.info("link of {} cut while it encodes; it held {}", cutOff.name(), itsPartitions);
            try {
                try {
                    await().alias("the other composer owning " + itsPartitions)
                            .atMost(OUTAGE)
                            .pollInterval(Duration.ofMillis(250))
                            .until(() -> partitionsOf(admin, "composer").containsAll(itsPartitions));
                    log.info(
                            "{} s after the cut, the other composer owns {}'s partitions",
                            Duration.between(cutAt, Instant.now()).toMillis() / 1000.0,
                            cutOff.name());
                } catch (org.awaitility.core.ConditionTimeoutException busy) {
                    // the group's rebalance waits for every member's next poll, and a stream thread of the other
                    // composer that is encoding a job of its own polls only when that is done
                    log.info("the other composer has not taken {}'s partitions during the cut", cutOff.name());
                }
                Thread.sleep(Math.max(
                        0, Duration.between(Instant.now(), cutAt.plus(OUTAGE)).toMillis())); // the fault
            } finally {
                NetworkNamespace.restore();
                log.info(
                        "link of {} restored after {} ms",
                        cutOff.name(),
                        Duration.between(cutAt, Instant.now()).toMillis());
            }

            FaultTestSupport.assertEveryJobFiledOnce(stack, gateway, jobIds, Duration.ofMinutes(2));
            log.info(
                    "all {} jobs filed once, {} s after the cut",
                    jobIds.size(),
                    Duration.between(cutAt, Instant.now()).toSeconds());

            // what a fenced attempt may still have uploaded after the filing (the storage sweeper's, after a day)
            Map<String, List<String>> lateWork = new HashMap<>();
            for (String jobId : jobIds) {
                List<String> keys = FaultTestSupport.workObjects(stack, jobId).stream()
                        .map(o -> o.key())
                        .toList();
                if (!keys.isEmpty()) {
                    lateWork.put(jobId, keys);
                }
            }
            log.info("work objects uploaded after their job was filed: {}", lateWork);

            Map<String, Integer> composed = committedPerJob(stack, jobIds);
            log.info("videos.composed, read_committed, records per job: {}", composed);
            assertThat(composed)
                    .as("committed records on videos.composed per job")
                    .containsOnlyKeys(jobIds)
                    .allSatisfy((jobId, count) -> assertThat(count).as(jobId).isEqualTo(1));

            // the cut-off composer is back in the group: it was fenced, not broken
            await().alias(cutOff.name() + " back in the composer group")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !partitionsOf(admin, cutOff.name()).isEmpty());
            List<String> fencing = Files.readAllLines(cutOff.logFile()).stream()
                    .filter(line -> FENCED.matcher(line).find())
                    .toList();
            log.info(
                    "{}'s log on being fenced ({} lines):\n{}",
                    cutOff.name(),
                    fencing.size(),
                    String.join("\n", fencing.subList(0, Math.min(12, fencing.size()))));
        }
    }

    private static boolean encoding(ServiceProcess composer) {
        return composer.handle()
                .map(h -> h.descendants()
                        .anyMatch(p -> p.info()
                                .command()
                                .map(c -> c.endsWith("/ffmpeg"))
                                .orElse(false)))
                .orElse(false);
    }

    /** The partitions of videos.screenshot that the composer instance {@code name} reads now. */
    private static Set<TopicPartition> partitionsOf(Admin admin, String name) throws Exception {
        var group = admin.describeConsumerGroups(List.of(GROUP))
                .all()
                .get(5, TimeUnit.SECONDS)
                .get(GROUP);
        Set<TopicPartition> partitions = new HashSet<>();
        for (MemberDescription member : group.members()) {
            if (member.clientId().startsWith(name + "-StreamThread-")) {
                member.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.VIDEOS_SCREENSHOT))
                        .forEach(partitions::add);
            }
        }
        return partitions;
    }

    /** Records of videos.composed per job of {@code jobIds}, as a read_committed reader sees the whole topic. */
    private static Map<String, Integer> committedPerJob(StackEndpoints stack, List<String> jobIds) {
        Map<String, Integer> counts =
                new HashMap<>(CommittedRecords.perKey(stack, Topics.VIDEOS_COMPOSED, Duration.ofSeconds(30)));
        counts.keySet().retainAll(Set.copyOf(jobIds));
        return counts;
    }
}
