package io.tweetreel.gateway;

import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.VideoRequested;

/** Publishes a new job: its request and its first status, atomically. */
public interface RequestPublisher {
    /**
     * Returns once both records are committed; throws {@link TemporarilyUnavailableException} when Kafka does not
     * take them in time.
     */
    void publish(String jobId, VideoRequested request, JobStatus pending);
}
