package io.tweetreel.systemtests;

import io.tweetreel.devstack.EmbeddedKafka;
import io.tweetreel.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * A moment in a stage's exactly-once cycle at which the broker-restart test stops the broker, recognised from
 * inside the in-process broker (whose logs the test can read directly, at the speed of a method call):
 * <ul>
 *   <li>{@link #BEFORE_SEND}: a stage is working on a job and has not written its output yet;</li>
 *   <li>{@link #BETWEEN_SEND_AND_COMMIT}: a stage's output is in a stage topic, in a transaction not yet ended;</li>
 *   <li>{@link #DURING_COMMIT}: a transactional offset commit is in {@code __consumer_offsets} without its marker
 *       yet, i.e. a stage (or the gateway) is between {@code sendOffsetsToTransaction} and the end of
 *       {@code commitTransaction}.</li>
 * </ul>
 */
enum TransactionMoment {
    BEFORE_SEND,
    BETWEEN_SEND_AND_COMMIT,
    DURING_COMMIT;

    private static final List<String> STAGE_OUTPUTS =
            List.of(Topics.VIDEOS_SCREENSHOT, Topics.VIDEOS_COMPOSED, Topics.VIDEOS_STORED);

    /**
     * Spins until this moment is seen (checking the broker's logs about every 0.1 ms) and returns how long it
     * took, or empty when it was not seen within {@code limit}.
     *
     * @param stageBusy true while some stage has a job in hand (for {@link #BEFORE_SEND})
     */
    Optional<Duration> await(EmbeddedKafka kafka, int partitions, BooleanSupplier stageBusy, Duration limit) {
        var replicas = kafka.broker().replicaManager();
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int spins = 0;
        while (System.nanoTime() < deadline) {
            boolean seen = switch (this) {
                case BEFORE_SEND ->
                    spins % 1000 == 0
                            && stageBusy.getAsBoolean()
                            && STAGE_OUTPUTS.stream().noneMatch(t -> anyOpenTransaction(replicas, t, partitions));
                case BETWEEN_SEND_AND_COMMIT ->
                    STAGE_OUTPUTS.stream().anyMatch(t -> anyOpenTransaction(replicas, t, partitions));
                case DURING_COMMIT -> anyOpenTransaction(replicas, "__consumer_offsets", -1);
            };
            if (seen) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            }
            spins++;
            Thread.onSpinWait();
        }
        return Optional.empty();
    }

    /** Whether a partition of {@code topic} led by this broker has a transaction with records but no marker yet. */
    private static boolean anyOpenTransaction(kafka.server.ReplicaManager replicas, String topic, int partitions) {
        int count = partitions > 0 ? partitions : 50;
        for (int p = 0; p < count; p++) {
            var partition = replicas.onlinePartition(new TopicPartition(topic, p));
            if (partition.isEmpty()) {
                if (partitions < 0) {
                    break; // internal topic: as many partitions as it has
                }
                continue;
            }
            var log = partition.get().log();
            if (log.isDefined() && log.get().firstUnstableOffset().isPresent()) {
                return true;
            }
        }
        return false;
    }
}
