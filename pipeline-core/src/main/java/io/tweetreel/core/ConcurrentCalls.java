package io.tweetreel.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Runs a job's independent object-store calls at once: each waits on a round trip, not on the CPU, so a stage that
 * puts or files several objects of a job (a card and its captions; a reel, its poster and captions) waits for the
 * slowest instead of the sum (filing four files, about 25 calls one after another, took 150-300 ms a job).
 */
public final class ConcurrentCalls {
    /** Shared by the stage's workers; a call beyond these waits its turn. */
    private static final ExecutorService CALLS = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "object-store-call");
        t.setDaemon(true);
        return t;
    });

    private ConcurrentCalls() {}

    /**
     * {@code call} on every item at once, the results in the items' order. Waits for every call to end before it
     * throws the first failure (the others' added as suppressed), so an all-or-none clean-up never races a copy.
     * Not for use inside such a call (a call waiting on calls could wait for a thread forever).
     */
    public static <T, R> List<R> eachAtOnce(List<T> items, Function<T, R> call) {
        if (items.size() == 1) {
            return Collections.singletonList(call.apply(items.get(0)));
        }
        // the job's log context (its id, its step) goes with its calls
        Map<String, String> context = MDC.getCopyOfContextMap();
        List<Future<R>> calls = new ArrayList<>();
        for (T item : items) {
            calls.add(CALLS.submit(() -> {
                if (context != null) {
                    MDC.setContextMap(context);
                }
                try {
                    return call.apply(item);
                } finally {
                    MDC.clear();
                }
            }));
        }
        List<R> results = new ArrayList<>();
        RuntimeException first = null;
        boolean interrupted = false;
        for (Future<R> pending : calls) {
            while (true) {
                try {
                    results.add(pending.get());
                    break;
                } catch (InterruptedException e) {
                    // the calls are short and bounded by the store's timeouts: finish waiting, keep the interrupt
                    interrupted = true;
                } catch (ExecutionException e) {
                    RuntimeException failure =
                            e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    if (first == null) {
                        first = failure;
                    } else {
                        first.addSuppressed(failure);
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first != null) {
            throw first;
        }
        return results;
    }
}
