package io.tweetreel.core;

import java.time.Clock;

/** What a stage's processor needs besides its work: where to announce steps, what to count, how to retry. */
public record StageRuntime(StatusEmitter statusEmitter, JobTracker tracker, RetrySettings retry, Clock clock) {}
