package io.tweetreel.gateway;

import io.tweetreel.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Answers "has the stage that reads this topic consumed this record yet?", so the {@link JobWatch} can tell a
 * job that waits in a queue (normal, however long) from a job whose record was read and then lost.
 */
public interface QueuePositions {

    /**
     * The consumer group of the stage that reads each pipeline topic: the stages' Kafka Streams application ids
     * ({@code "tweetreel-" + stage name}, see {@code StageService}); the README's scaling table names them too.
     */
    Map<String, String> READER_GROUPS = Map.of(
            Topics.VIDEOS_REQUESTED, "tweetreel-renderer",
            Topics.VIDEOS_SCREENSHOT, "tweetreel-composer",
            Topics.VIDEOS_COMPOSED, "tweetreel-storage");

    /**
     * The group that reads the status topic into the gateway's table: its committed offset says how much of the
     * status topic the table (and the {@link JobWatch} beside it) has read.
     */
    String STATUS_READER = GatewayConfig.APPLICATION_ID;

    /** Every topic a job's next move can appear on: its pipeline events and its status. */
    List<String> JOB_TOPICS = List.of(
            Topics.VIDEOS_REQUESTED,
            Topics.VIDEOS_SCREENSHOT,
            Topics.VIDEOS_COMPOSED,
            Topics.VIDEOS_STORED,
            Topics.VIDEOS_STATUS);

    /**
     * Reads, in one go, the reader group's committed offset and the log start offset of each given partition of
     * the topics in {@link #READER_GROUPS}, then the status table's committed offset and the last stable offset
     * of each partition of {@link #JOB_TOPICS} with the same numbers, and from these which hold an open
     * transaction. The stable offsets are read after the committed ones, so every status committed before a stage
     * committed what it read lies below them. Empty when Kafka cannot answer right now; never throws.
     */
    Optional<Positions> read(Set<TopicPartition> partitions);

    /**
     * Where the readers stand, as read at one moment.
     *
     * @param committed the reader group's committed offset (the next record it will read) per partition; a
     *                  partition without one has not been consumed at all
     * @param logStart  the first offset still on the log per partition; records below it are deleted
     * @param unsettled partitions of {@link #JOB_TOPICS} whose last stable offset is behind their high watermark:
     *                  an open transaction there may hold a job's next move, which nobody (the gateway included)
     *                  can read yet
     * @param stableEnd the last stable offset of each partition of {@link #JOB_TOPICS} read: how far a
     *                  read_committed reader can read
     */
    record Positions(
            Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> logStart,
            Set<TopicPartition> unsettled,
            Map<TopicPartition, Long> stableEnd) {
        public Positions {
            committed = Map.copyOf(committed);
            logStart = Map.copyOf(logStart);
            unsettled = Set.copyOf(unsettled);
            stableEnd = Map.copyOf(stableEnd);
        }

        /**
         * True when the status table has read, on this partition number, every status that could be read when
         * {@code earlier} was taken. Then a stage's consumption seen in {@code earlier} comes with whatever status
         * the stage wrote before it: a job the table still shows unmoved did not move. A table that lags (its
         * partition moving between gateways, a broker failing over) is not behind a stage's committed offsets any
         * more once this holds. The table's reader commits past transaction markers, so an idle table catches up.
         */
        public boolean statusTableHasRead(Positions earlier, int partition) {
            TopicPartition status = new TopicPartition(Topics.VIDEOS_STATUS, partition);
            return committed.getOrDefault(status, 0L) >= earlier.stableEnd.getOrDefault(status, 0L);
        }

        /**
         * True when no topic of a job on this partition number holds an open transaction, so what the gateway
         * has read of such a job is all there is. A transaction that hangs is aborted by the stages'
         * {@code HangingTransactionGuard}, after which the job can be judged.
         */
        public boolean isSettled(int partition) {
            return unsettled.stream().noneMatch(tp -> tp.partition() == partition);
        }

        /** True while the record at this position still waits for its reader: not consumed, not deleted. */
        public boolean isQueued(String topic, int partition, long offset) {
            TopicPartition tp = new TopicPartition(topic, partition);
            Long start = logStart.get(tp);
            if (start != null && offset < start) {
                return false; // deleted by retention: nobody will ever read it
            }
            Long next = committed.get(tp);
            return next == null || next <= offset;
        }
    }
}
