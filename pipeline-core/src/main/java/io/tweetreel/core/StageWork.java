package io.tweetreel.core;

/**
 * The one thing a stage does to a job, knowing nothing of Kafka: turn the input event into the output event.
 * Throw {@link JobFailure} for a job that cannot succeed; any other exception is treated as transient and the
 * job is tried again with backoff.
 */
@FunctionalInterface
public interface StageWork<I, O> {
    O process(StageJob<I> job) throws Exception;

    /**
     * Undoes what {@link #process} left outside the work bucket for a job canceled before its output was written
     * (the storage stage deletes the video it filed). The job's work objects are deleted by the stage itself.
     */
    default void discard(String jobId, O output) {}
}
