package io.tweetreel.core;

/** One job as a stage's work sees it. {@code progress} reports progress within the stage's own step. */
public record StageJob<I>(String jobId, I input, ProgressReporter progress) {}
