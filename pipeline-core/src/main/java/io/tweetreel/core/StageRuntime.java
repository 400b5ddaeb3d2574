package io.tweetreel.core;

import java.time.Clock;

/**
 * What a stage's processor needs besides its work: where to announce steps, what to count, how to retry, which
 * jobs are canceled and where a canceled job's work objects are.
 */
public record StageRuntime(
        StatusEmitter statusEmitter,
        JobTracker tracker,
        RetrySettings retry,
        Clock clock,
        JobCancellations cancellations,
        WorkObjects workObjects) {
    /** A runtime whose jobs leave no work objects behind (tests of the stream shape alone). */
    public StageRuntime(StatusEmitter statusEmitter, JobTracker tracker, RetrySettings retry, Clock clock) {
        this(statusEmitter, tracker, retry, clock, new JobCancellations(), WorkObjects.NONE);
    }
}
