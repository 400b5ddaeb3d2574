package io.tweetreel.core;

import io.tweetreel.schemas.JobStatus;

/**
 * Publishes status updates that must be visible at once (a step starting, encoding progress), outside the
 * stage's transaction, which would hide them until the job's outcome commits. Outcomes are not sent here:
 * they go out with the stage's output, atomically.
 */
public interface StatusEmitter {
    void emit(String jobId, JobStatus status);

    StatusEmitter NONE = (jobId, status) -> {};
}
