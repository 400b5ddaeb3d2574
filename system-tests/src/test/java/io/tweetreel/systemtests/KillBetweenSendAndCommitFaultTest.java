package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.ServiceProcess;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault: a composer is killed with SIGKILL after it sent a job's output to {@code videos.composed} and before it
 * committed, the moment seen from inside the broker (an open transaction on that partition). The transaction stays
 * open until the broker times it out, and until then no read_committed reader gets past it: storage waits on that
 * partition, and the gateway on the statuses in it. The stall is bounded by the stages' transaction timeout, which
 * covers only the send-to-commit window: the jobs behind it complete within a minute of the kill, each filed once.
 */
@ExtendWith(FaultStackExtension.class)
class KillBetweenSendAndCommitFaultTest {
    private static final Logger log = LoggerFactory.getLogger(KillBetweenSendAndCommitFaultTest.class);
    private static final int ATTEMPTS = 6;
    private static final Duration BOUND = Duration.ofMinutes(1);

    @Test
    void aComposerKilledBetweenSendAndCommitHoldsItsReadersBackForLessThanAMinute(DevStack devStack) throws Exception {
        StackEndpoints stack = devStack.endpoints();
        String gateway = FaultStackExtension.GATEWAY;
        var replicas = devStack.kafka().broker().replicaManager();
        Map<Integer, ServiceProcess> owners = new ConcurrentHashMap<>();
        List<String> jobIds = new ArrayList<>();
        ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor();
        try (Admin admin = FaultDiagnostics.admin(stack)) {
            // who composes which partition, kept fresh beside the spin so the kill follows the detection at once
            refresh.scheduleWithFixedDelay(() -> readOwners(admin, owners), 0, 200, TimeUnit.MILLISECONDS);
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                jobIds.addAll(FaultTestSupport.submitMany(gateway, 4, "Kill between send and commit " + attempt));
                Optional<Kill> kill = killAtTheSend(replicas, owners, Duration.ofMinutes(2));
                assertThat(kill)
                        .as("a composer's send to videos.composed seen within 2 min")
                        .isPresent();
                Kill k = kill.get();
                k.composer().handle().ifPresent(h -> h.onExit().join());
                boolean landed = openTransaction(replicas, k.partition());
                log.info(
                        "attempt {}: killed {} {} after the send on {}; its transaction {}",
                        attempt,
                        k.composer().name(),
                        k.at(),
                        k.partition(),
                        landed ? "is left open" : "had already committed");
                k.composer().start(stack); // an orchestrator starts a new one; it does not end the old transaction
                if (!landed) {
                    continue;
                }
                Instant openUntil = awaitClosed(replicas, k.partition());
                log.info(
                        "the killed composer's transaction on {} held its readers back for {} ms",
                        k.partition(),
                        Duration.between(k.at(), openUntil).toMillis());
                Duration left = Duration.between(Instant.now(), k.at().plus(BOUND));
                FaultTestSupport.assertEveryJobFiledOnce(stack, gateway, jobIds, left);
                log.info(
                        "all {} jobs filed once, the last {} ms after the kill",
                        jobIds.size(),
                        Duration.between(k.at(), Instant.now()).toMillis());
                return;
            }
            throw new AssertionError("no kill landed between a send and its commit in " + ATTEMPTS + " attempts");
        } finally {
            refresh.shutdownNow();
        }
    }

    private record Kill(ServiceProcess composer, TopicPartition partition, Instant at) {}

    /** Spins on the broker's logs until a partition of videos.composed holds an open transaction; kills its writer. */
    private static Optional<Kill> killAtTheSend(
            kafka.server.ReplicaManager replicas, Map<Integer, ServiceProcess> owners, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (int p = 0; p < 50; p++) {
                TopicPartition tp = new TopicPartition(Topics.VIDEOS_COMPOSED, p);
                var partition = replicas.onlinePartition(tp);
                if (partition.isEmpty()) {
                    break;
                }
                var log = partition.get().log();
                if (log.isDefined() && log.get().firstUnstableOffset().isPresent()) {
                    ServiceProcess owner = owners.get(p);
                    if (owner != null) {
                        owner.handle().ifPresent(ProcessHandle::destroyForcibly); // the JVM first: the window is short
                        owner.kill(); // and its ffmpeg, as a crash would take it
                        return Optional.of(new Kill(owner, tp, Instant.now()));
                    }
                }
            }
            Thread.onSpinWait();
        }
        return Optional.empty();
    }

    private static boolean openTransaction(kafka.server.ReplicaManager replicas, TopicPartition tp) {
        var log = replicas.onlinePartition(tp).get().log();
        return log.isDefined() && log.get().firstUnstableOffset().isPresent();
    }

    private static Instant awaitClosed(kafka.server.ReplicaManager replicas, TopicPartition tp) {
        await().alias("the killed composer's transaction on " + tp + " ended by the broker")
                .atMost(BOUND)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !openTransaction(replicas, tp));
        return Instant.now();
    }

    /** Partition number of videos.screenshot (and so of videos.composed) → the composer instance reading it. */
    private static void readOwners(Admin admin, Map<Integer, ServiceProcess> owners) {
        try {
            var group = admin.describeConsumerGroups(List.of("tweetreel-composer"))
                    .all()
                    .get(5, TimeUnit.SECONDS)
                    .get("tweetreel-composer");
            Map<Integer, ServiceProcess> now = new ConcurrentHashMap<>();
            for (MemberDescription member : group.members()) {
                FaultStackExtension.composers().stream()
                        .filter(c -> member.clientId().startsWith(c.name() + "-StreamThread-"))
                        .findFirst()
                        .ifPresent(c -> member.assignment().topicPartitions().stream()
                                .filter(tp -> tp.topic().equals(Topics.VIDEOS_SCREENSHOT))
                                .forEach(tp -> now.put(tp.partition(), c)));
            }
            owners.keySet().retainAll(now.keySet());
            owners.putAll(now);
        } catch (Exception e) {
            LoggerFactory.getLogger(KillBetweenSendAndCommitFaultTest.class)
                    .debug("composer group not readable now: {}", e.toString());
        }
    }
}
