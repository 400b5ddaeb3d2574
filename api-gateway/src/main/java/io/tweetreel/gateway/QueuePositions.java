package io.tweetreel.gateway;

import io.tweetreel.schemas.Topics;
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
     * Reads, in one go, the reader group's committed offset and the log start offset of each given partition of
     * the topics in {@link #READER_GROUPS}. Empty when Kafka cannot answer right now; never throws.
     */
    Optional<Positions> read(Set<TopicPartition> partitions);

    /**
     * Where the readers stand, as read at one moment.
     *
     * @param committed the reader group's committed offset (the next record it will read) per partition; a
     *                  partition without one has not been consumed at all
     * @param logStart  the first offset still on the log per partition; records below it are deleted
     */
    record Positions(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> logStart) {
        public Positions {
            committed = Map.copyOf(committed);
            logStart = Map.copyOf(logStart);
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
