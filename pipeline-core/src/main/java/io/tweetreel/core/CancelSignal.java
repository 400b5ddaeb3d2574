package io.tweetreel.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one job has been canceled, and what its work does about it. {@link #cancel} is called on the thread that
 * reads the cancellations topic while the job's own thread is busy with it, so the actions registered here must be
 * short and safe to run from any thread: kill a process, close a socket, flip a flag.
 */
public final class CancelSignal {
    private static final Logger log = LoggerFactory.getLogger(CancelSignal.class);

    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private volatile boolean canceled;

    public boolean isCanceled() {
        return canceled;
    }

    /**
     * Runs {@code action} when the job is canceled, at once if it already is. Close the returned handle when the
     * action no longer applies (the process it would kill has ended).
     */
    public Registration onCancel(Runnable action) {
        actions.add(action);
        if (canceled && actions.remove(action)) {
            run(action);
        }
        return () -> actions.remove(action);
    }

    /** Marks the job canceled and runs each registered action once. Harmless to repeat. */
    public void cancel() {
        canceled = true;
        List<Runnable> due = new ArrayList<>();
        for (Runnable action : actions) {
            // remove first so an action runs once even when cancel and onCancel race
            if (actions.remove(action)) {
                due.add(action);
            }
        }
        due.forEach(CancelSignal::run);
    }

    /** An action registered with {@link #onCancel}; closing it unregisters the action. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("a cancel action failed; the job's output is dropped all the same", e);
        }
    }
}
