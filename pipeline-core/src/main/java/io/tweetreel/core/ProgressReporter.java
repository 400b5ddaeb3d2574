package io.tweetreel.core;

/** Reports a job's overall progress (0–100) while a step runs. Implementations throttle. */
@FunctionalInterface
public interface ProgressReporter {
    void report(int progress);

    ProgressReporter NONE = progress -> {};
}
