package io.tweetreel.gateway;

import java.util.List;

/** Writes cancel requests to {@code videos.cancellations}, where the gateway's table and every stage read them. */
public interface CancellationPublisher {
    /**
     * Asks for {@code jobId} to be stopped ({@code batchId}: the batch whose cancel this is, else null). Returns
     * once every in-sync replica has the record; throws {@link TemporarilyUnavailableException} when Kafka does not
     * take it in time. Writing the same cancel twice is harmless: a job is canceled once.
     */
    void cancel(String jobId, String batchId);

    /** Asks for every job of {@code jobIds} (items of {@code batchId}) to be stopped; returns once all are taken. */
    default void cancelAll(String batchId, List<String> jobIds) {
        for (String jobId : jobIds) {
            cancel(jobId, batchId);
        }
    }
}
