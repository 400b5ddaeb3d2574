package io.tweetreel.gateway;

import java.util.List;

/** Writes the {@code JobCancellation}s of a batch's items to {@code videos.cancellations}. */
public interface BatchCancelWriter {
    /**
     * Returns once every cancellation is acknowledged by Kafka; throws {@link TemporarilyUnavailableException}
     * when it is not in time (some may have been written: writing them again is harmless).
     */
    void cancel(String batchId, List<String> jobIds);
}
