package io.tweetreel.core;

/** Thrown by work that noticed its job was canceled; the stage drops the job without a status. */
public final class JobCanceledException extends RuntimeException {
    public JobCanceledException(String jobId) {
        super("job " + jobId + " was canceled");
    }
}
