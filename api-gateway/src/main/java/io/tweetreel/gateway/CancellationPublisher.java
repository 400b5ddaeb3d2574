package io.tweetreel.gateway;

/** Writes cancel requests to {@code videos.cancellations}, where the gateway's table and every stage read them. */
public interface CancellationPublisher {
    /**
     * Asks for {@code jobId} to be stopped ({@code batchId}: the batch whose cancel this is, else null). Returns
     * once every in-sync replica has the record; throws {@link TemporarilyUnavailableException} when Kafka does not
     * take it in time. Writing the same cancel twice is harmless: a job is canceled once.
     */
    void cancel(String jobId, String batchId);
}
