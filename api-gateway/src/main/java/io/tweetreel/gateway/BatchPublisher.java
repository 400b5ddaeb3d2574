package io.tweetreel.gateway;

import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.VideoBatch;
import io.tweetreel.schemas.VideoRequested;
import java.util.List;

/** Publishes a new batch: the batch, every item (to the batch queue) and every item's first status, atomically. */
public interface BatchPublisher {
    /** One item of a batch: its job id, its request ({@code batchId} set) and its {@code pending} status. */
    record Item(String jobId, VideoRequested request, JobStatus pending) {}

    /**
     * Returns once every record is committed; throws {@link TemporarilyUnavailableException} when Kafka does not
     * take them in time. {@code fingerprint} goes with the batch record, for the Idempotency-Key check.
     */
    void publish(String batchId, VideoBatch batch, String fingerprint, List<Item> items);
}
