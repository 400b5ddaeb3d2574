package io.tweetreel.gateway;

import io.tweetreel.schemas.JobStatus;
import java.util.Optional;

/**
 * Point lookups in the gateway's tables, wherever the key lives. Implementations answer empty for an unknown
 * job and throw {@link TemporarilyUnavailableException} when they cannot answer for now
 * (an error of the gateway instance that owns the job is passed on as it answered).
 */
public interface JobQueries {
    Optional<JobStatus> status(String jobId);

    /** What is kept of the job's request (fingerprint, metadata, webhook or not), if the request has been seen. */
    Optional<RequestSummary> request(String jobId);

    /** The job's webhook attempts, if the notifier logged any. */
    Optional<DeliveryLog> deliveries(String jobId);
}
