package io.tweetreel.gateway;

import io.tweetreel.schemas.JobStatus;
import java.util.Optional;

/**
 * Point lookups in the gateway's tables, wherever the key lives. Implementations answer empty for an unknown
 * job and throw a {@link Problem.ProblemException} (503 with Retry-After, or the owner's own error) when they
 * cannot answer.
 */
public interface JobQueries {
    Optional<JobStatus> status(String jobId);

    /** The {@link RequestFingerprint} of the job's request, if the request has been seen. */
    Optional<String> requestFingerprint(String jobId);
}
