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

    /** The {@link RequestFingerprint} of the job's request, if the request has been seen. */
    Optional<String> requestFingerprint(String jobId);
}
