package io.tweetreel.gateway;

import io.tweetreel.schemas.Topics;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/** Stage positions set by the test: nothing consumed until it says so; Kafka can be made unreachable. */
final class FakeQueuePositions implements QueuePositions {
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> logStart = new ConcurrentHashMap<>();
    private final Set<TopicPartition> unsettled = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> stableEnd = new ConcurrentHashMap<>();
    private volatile boolean unreachable;
    private volatile int reads;

    /** The stage that reads {@code topic} has committed {@code next} on partition 0 (the test driver's only one). */
    FakeQueuePositions consumedUpTo(String topic, long next) {
        committed.put(new TopicPartition(topic, 0), next);
        return this;
    }

    FakeQueuePositions deletedUpTo(String topic, long start) {
        logStart.put(new TopicPartition(topic, 0), start);
        return this;
    }

    /** {@code topic}'s partition 0 holds an open transaction (true) or not (false). */
    FakeQueuePositions openTransaction(String topic, boolean open) {
        if (open) {
            unsettled.add(new TopicPartition(topic, 0));
        } else {
            unsettled.remove(new TopicPartition(topic, 0));
        }
        return this;
    }

    /**
     * The gateway's status table lags (true: statuses up to a far offset are readable, the table has read none of
     * them) or has read all there is (false).
     */
    FakeQueuePositions statusTableLags(boolean lags) {
        TopicPartition status = new TopicPartition(Topics.VIDEOS_STATUS, 0);
        if (lags) {
            stableEnd.put(status, 1_000_000L);
            committed.put(status, 0L);
        } else {
            stableEnd.remove(status);
            committed.remove(status);
        }
        return this;
    }

    FakeQueuePositions unreachable(boolean value) {
        unreachable = value;
        return this;
    }

    int reads() {
        return reads;
    }

    @Override
    public Optional<Positions> read(Set<TopicPartition> partitions) {
        reads++;
        return unreachable ? Optional.empty() : Optional.of(new Positions(committed, logStart, unsettled, stableEnd));
    }
}
