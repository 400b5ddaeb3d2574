package io.tweetreel.gateway;

import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.StoredObject;
import io.tweetreel.schemas.ObjectLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Deletes the filed video of a job that was canceled before its completion was read, with the files storage
 * files next to it (its poster and its WebVTT and SRT captions), in the background: the status table's stream
 * thread hands the work over and never waits for the object store (a store that is down would otherwise hold the
 * thread for the client's timeouts and retries).
 * <p>
 * Only an object whose {@link ObjectLayout#JOB_ID} metadata (set by storage when it files a video) names the job
 * is deleted, so a status written by someone else cannot make the gateway delete another job's video. Idempotent:
 * an object that is already gone counts as removed.
 */
public final class FiledVideoRemover implements AutoCloseable {
    private final ObjectStore store;
    private final String bucket;
    private final Executor executor;
    private final ExecutorService owned;

    /** What became of one removal. */
    public enum Outcome {
        /** Deleted now, or not there (any more). */
        REMOVED,
        /** An object of that name belongs to another job: left alone. */
        NOT_THE_JOBS,
        /** The store failed; worth trying again later. */
        FAILED
    }

    /** Removals run on {@code executor}; {@code Runnable::run} in tests runs them at once. */
    FiledVideoRemover(ObjectStore store, String bucket, Executor executor) {
        this.store = store;
        this.bucket = bucket;
        this.executor = executor;
        this.owned = null;
    }

    /** Removals on two daemon threads of its own, released by {@link #close}. */
    public FiledVideoRemover(ObjectStore store, String bucket) {
        this.store = store;
        this.bucket = bucket;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "video-removal-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.owned = pool;
        this.executor = pool;
    }

    /**
     * Starts removing {@code filename} of {@code jobId}: a reel with its poster and captions, or several reels
     * separated by spaces (the formats of one job); {@code whenDone} is called exactly once, on a removal thread
     * (or at once, with {@link Outcome#FAILED}, when the remover is closed).
     */
    public void remove(String jobId, String filename, Consumer<Outcome> whenDone) {
        try {
            executor.execute(() -> whenDone.accept(removeNow(jobId, filename)));
        } catch (RejectedExecutionException e) {
            whenDone.accept(Outcome.FAILED);
        }
    }

    private Outcome removeNow(String jobId, String filenames) {
        try {
            Outcome outcome = Outcome.REMOVED;
            for (String filename : filenames.split(" ")) {
                // its poster and captions before the reel: while a reel is filed, its removal is not finished
                if (filename.endsWith(".mp4")) {
                    for (String companion : List.of(
                            ObjectLayout.posterFilename(filename),
                            ObjectLayout.captionFilename(filename, "vtt"),
                            ObjectLayout.captionFilename(filename, "srt"))) {
                        removeIfTheJobs(jobId, companion);
                    }
                }
                if (removeIfTheJobs(jobId, filename) == Outcome.NOT_THE_JOBS) {
                    outcome = Outcome.NOT_THE_JOBS;
                }
            }
            return outcome;
        } catch (RuntimeException e) {
            // ObjectStoreException mostly; whatever it is, the removal is tried again later
            return Outcome.FAILED;
        }
    }

    private Outcome removeIfTheJobs(String jobId, String filename) {
        Optional<StoredObject> filed = store.stat(bucket, filename);
        if (filed.isEmpty()) {
            return Outcome.REMOVED;
        }
        Map<String, String> metadata = filed.get().metadata();
        if (metadata == null || !jobId.equals(metadata.get(ObjectLayout.JOB_ID))) {
            return Outcome.NOT_THE_JOBS;
        }
        store.delete(bucket, filename);
        return Outcome.REMOVED;
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.shutdownNow();
        }
    }
}
