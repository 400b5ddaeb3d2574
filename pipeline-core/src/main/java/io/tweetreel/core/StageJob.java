package io.tweetreel.core;

/**
 * One job as a stage's work sees it. {@code progress} reports progress within the stage's own step; {@code cancel}
 * tells whether the job was canceled and lets the work stop what it started (see {@link #onCancel}).
 */
public record StageJob<I>(String jobId, I input, ProgressReporter progress, CancelSignal cancel) {
    /** A job nobody cancels. */
    public StageJob(String jobId, I input, ProgressReporter progress) {
        this(jobId, input, progress, new CancelSignal());
    }

    public boolean isCanceled() {
        return cancel.isCanceled();
    }

    /** See {@link CancelSignal#onCancel}: the action runs on another thread, so keep it short and thread-safe. */
    public CancelSignal.Registration onCancel(Runnable action) {
        return cancel.onCancel(action);
    }

    /** For work about to do something a canceled job must not do (file a video). */
    public void throwIfCanceled() {
        if (cancel.isCanceled()) {
            throw new JobCanceledException(jobId);
        }
    }
}
