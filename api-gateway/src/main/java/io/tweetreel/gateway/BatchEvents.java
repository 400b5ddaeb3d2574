package io.tweetreel.gateway;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.JobStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/batches/{batchId}/events}: Server-Sent Events of a batch. First a {@code batch} event, the batch
 * JSON as {@code GET /api/batches/{batchId}} shows it; then a {@code job} event each time an item changes:
 * {@code {batchId, index, job: {jobId, status, progress, currentStep, result?, error?}, total, pending, processing,
 * completed, failed, canceled}}. The stream ends once every item is final.
 * <p>
 * It works as {@link JobEvents} does for one job: updates of every item come from the {@link StatusFeed}, merged
 * with the table's rule so an item never goes backwards; the table is asked again every {@link #RESYNC_EVERY} for
 * the items not final yet; a comment line every heartbeat finds clients that went away; writes happen on a small
 * pool, one task at a time per stream, in arrival order.
 */
public final class BatchEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchEvents.class);
    private static final Duration MAX_STREAM_AGE = Duration.ofMinutes(30);
    /** Longer than a job stream's: a resync asks the table about up to 500 items. */
    static final Duration RESYNC_EVERY = Duration.ofSeconds(5);

    private final BatchLookup lookup;
    private final JobLookup jobs;
    private final StatusFeed feed;
    private final Duration heartbeat;
    private final int maxClients;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers;
    private final ExecutorService writers;

    @JsonPropertyOrder({"batchId", "index", "job", "total", "pending", "processing", "completed", "failed", "canceled"})
    public record JobChanged(
            String batchId,
            int index,
            BatchView.Item job,
            int total,
            int pending,
            int processing,
            int completed,
            int failed,
            int canceled) {}

    public BatchEvents(
            BatchLookup lookup,
            JobLookup jobs,
            StatusFeed feed,
            Duration heartbeat,
            int maxClients,
            MeterRegistry meters) {
        this.lookup = lookup;
        this.jobs = jobs;
        this.feed = feed;
        this.heartbeat = heartbeat;
        this.maxClients = maxClients;
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("batch-sse-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timers = scheduler;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("batch-sse-writer"));
        pool.allowCoreThreadTimeOut(true);
        this.writers = pool;
        meters.gauge("gateway.sse.batches.open", open);
    }

    public int openStreams() {
        return open.get();
    }

    public void handle(Context ctx) throws IOException {
        String batchId = BatchLookup.batchId(ctx);
        BatchSummary batch = lookup.batch(batchId)
                .orElseThrow(() -> BatchLookup.notFound(batchId).toException());
        if (open.incrementAndGet() > maxClients) {
            open.decrementAndGet();
            throw Problem.of(503, "too many open event streams; poll GET /api/batches/" + batchId + " instead")
                    .withHeader("Retry-After", "5")
                    .toException();
        }
        Stream stream = new Stream(batchId, batch);
        try {
            streams.add(stream);
            // subscribed before the first lookup, so no update can fall between the two
            for (int i = 0; i < batch.jobIds().size(); i++) {
                int index = i;
                stream.subscriptions.add(feed.subscribe(batch.jobIds().get(i), status -> stream.offer(index, status)));
            }
            List<JobStatus> initial = lookup.statuses(batch);
            ctx.status(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-store");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            stream.open(ctx.res().getOutputStream(), initial);
            if (stream.finished.isDone()) {
                return;
            }
            stream.startTimers();
            ctx.future(() -> stream.finished);
        } catch (RuntimeException | IOException e) {
            stream.finish();
            throw e;
        }
    }

    @Override
    public void close() {
        for (Stream stream : streams) {
            stream.finish();
        }
        timers.shutdownNow();
        writers.shutdownNow();
    }

    /** One client's stream of one batch. Every write is under the stream's lock, so events never interleave. */
    private final class Stream {
        private final String batchId;
        private final BatchSummary batch;
        private final JobStatus[] known;
        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private final List<StatusFeed.Subscription> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<ScheduledFuture<?>> timerTasks = new ArrayList<>();
        private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();
        private OutputStream out;
        private boolean closed;

        Stream(String batchId, BatchSummary batch) {
            this.batchId = batchId;
            this.batch = batch;
            this.known = new JobStatus[batch.jobIds().size()];
        }

        /** Starts with the batch as known now, merged with whatever the feed brought meanwhile. */
        synchronized void open(OutputStream output, List<JobStatus> initial) {
            for (int i = 0; i < known.length; i++) {
                known[i] = known[i] == null ? initial.get(i) : JobStatuses.merge(initial.get(i), known[i]);
            }
            out = output;
            BatchView view = BatchView.of(batchId, batch, Arrays.asList(known));
            if (write("retry: 2000\n\n") && write("event: batch\ndata: " + json(view) + "\n\n") && view.allFinal()) {
                finish();
            }
        }

        /** From the feed's thread: hand over to a writer. */
        void offer(int index, JobStatus update) {
            if (!finished.isDone()) {
                runOnWriter(() -> deliver(index, update));
            }
        }

        synchronized void deliver(int index, JobStatus update) {
            if (finished.isDone()) {
                return;
            }
            JobStatus merged = JobStatuses.merge(known[index], update);
            if (merged.equals(known[index])) {
                return;
            }
            known[index] = merged;
            if (out == null) {
                return; // came before the stream opened: part of the first event
            }
            BatchView view = BatchView.of(batchId, batch, Arrays.asList(known));
            JobChanged event = new JobChanged(
                    batchId,
                    index,
                    view.jobs().get(index),
                    view.total(),
                    view.pending(),
                    view.processing(),
                    view.completed(),
                    view.failed(),
                    view.canceled());
            if (write("event: job\ndata: " + json(event) + "\n\n") && view.allFinal()) {
                finish();
            }
        }

        synchronized void heartbeat() {
            if (!finished.isDone()) {
                write(": keep-alive\n\n");
            }
        }

        /** Asks the table again about the items not final yet (covers anything the feed missed). */
        void resync() {
            for (int i = 0; i < known.length && !finished.isDone(); i++) {
                JobStatus current;
                synchronized (this) {
                    current = known[i];
                }
                if (current != null && JobStatuses.isFinal(current)) {
                    continue;
                }
                try {
                    int index = i;
                    jobs.current(batch.jobIds().get(i)).ifPresent(status -> deliver(index, status));
                } catch (RuntimeException e) {
                    log.debug("resync of batch {} skipped: {}", batchId, e.toString());
                    return;
                }
            }
        }

        void startTimers() {
            long beat = heartbeat.toMillis();
            long resync = RESYNC_EVERY.toMillis();
            synchronized (this) {
                if (closed) {
                    return;
                }
                timerTasks.add(timers.scheduleAtFixedRate(
                        () -> runOnWriter(this::heartbeat), beat, beat, TimeUnit.MILLISECONDS));
                timerTasks.add(timers.scheduleAtFixedRate(
                        () -> runOnWriter(this::resync), resync, resync, TimeUnit.MILLISECONDS));
                timerTasks.add(timers.schedule(this::finish, MAX_STREAM_AGE.toMillis(), TimeUnit.MILLISECONDS));
            }
        }

        private void runOnWriter(Runnable task) {
            pending.add(task);
            scheduleDrain();
        }

        private void scheduleDrain() {
            if (!pending.isEmpty() && draining.compareAndSet(false, true)) {
                try {
                    writers.execute(this::drain);
                } catch (RuntimeException rejected) {
                    draining.set(false);
                    finish();
                }
            }
        }

        private void drain() {
            try {
                Runnable task;
                while ((task = pending.poll()) != null && !finished.isDone()) {
                    task.run();
                }
            } finally {
                draining.set(false);
                if (finished.isDone()) {
                    pending.clear();
                } else {
                    scheduleDrain();
                }
            }
        }

        private String json(Object value) {
            try {
                return Json.MAPPER.writeValueAsString(value);
            } catch (IOException e) {
                throw new IllegalStateException("a batch event always serialises", e);
            }
        }

        private boolean write(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | RuntimeException e) {
                log.debug("event stream of batch {} closed by the client: {}", batchId, e.toString());
                finish();
                return false;
            }
        }

        void finish() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                timerTasks.forEach(t -> t.cancel(false));
                timerTasks.clear();
            }
            subscriptions.forEach(StatusFeed.Subscription::close);
            streams.remove(this);
            open.decrementAndGet();
            finished.complete(null);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
