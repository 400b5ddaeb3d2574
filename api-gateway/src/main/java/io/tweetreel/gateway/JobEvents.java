package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.JobView;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.JobStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/jobs/{jobId}/events}: Server-Sent Events, one {@code status} event (the job JSON, metadata
 * included, as {@code GET /api/jobs/{jobId}} shows it) per change of the merged status, starting with the current
 * one, until the job is final (completed, failed or canceled); then the stream ends.
 * <p>
 * Updates come from the {@link StatusFeed} as they are written and are merged here with the same rule as the
 * table, so a stream never shows a job going backwards. The table is asked again every few seconds, which covers
 * updates written between the first lookup and the subscription. A comment line every heartbeat keeps proxies
 * from closing an idle stream and finds clients that went away: the first failed write ends the stream and
 * releases its subscription. Writes happen on a small pool, never on the feed's thread, one task at a time per
 * stream in arrival order, so a slow client delays only itself.
 */
public final class JobEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    /** Streams end after this; EventSource reconnects by itself and gets the current status again. */
    private static final Duration MAX_STREAM_AGE = Duration.ofMinutes(30);

    private static final Duration RESYNC_EVERY = Duration.ofSeconds(3);

    private final JobLookup lookup;
    private final StatusFeed feed;
    private final Duration heartbeat;
    private final int maxClients;
    private final AtomicInteger open = new AtomicInteger();
    private final java.util.Set<Stream> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers;
    private final ExecutorService writers;

    public JobEvents(JobLookup lookup, StatusFeed feed, Duration heartbeat, int maxClients, MeterRegistry meters) {
        this.lookup = lookup;
        this.feed = feed;
        this.heartbeat = heartbeat;
        this.maxClients = maxClients;
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("sse-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timers = scheduler;
        // a fixed pool (an unbounded queue never grows a pool past its core size); idle threads time out
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(16, 16, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("sse-writer"));
        pool.allowCoreThreadTimeOut(true);
        this.writers = pool;
        meters.gauge("gateway.sse.open", open);
    }

    public int openStreams() {
        return open.get();
    }

    public void handle(Context ctx) throws IOException {
        String jobId = JobLookup.jobId(ctx);
        if (open.incrementAndGet() > maxClients) {
            open.decrementAndGet();
            throw Problem.of(503, "too many open event streams; poll GET /api/jobs/" + jobId + " instead")
                    .withHeader("Retry-After", "5")
                    .toException();
        }
        Stream stream = null;
        try {
            stream = new Stream(jobId);
            streams.add(stream);
            // subscribe before the first lookup, so no update can fall between the two
            stream.subscription = feed.subscribe(jobId, stream::offer);
            JobStatus initial = lookup.current(jobId)
                    .orElseThrow(() -> JobLookup.notFound(jobId).toException());
            stream.request = lookup.request(jobId).orElse(null);
            ctx.status(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-store");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            stream.open(ctx.res().getOutputStream(), initial);
            if (stream.finished.isDone()) {
                return;
            }
            stream.startTimers();
            Stream started = stream;
            ctx.future(() -> started.finished);
        } catch (RuntimeException | IOException e) {
            if (stream != null) {
                stream.finish();
            } else {
                open.decrementAndGet();
            }
            throw e;
        }
    }

    /** Ends every open stream (clients reconnect elsewhere), then stops the timers and writers. */
    @Override
    public void close() {
        for (Stream stream : streams) {
            stream.finish();
        }
        timers.shutdownNow();
        writers.shutdownNow();
    }

    /** One client's event stream. Every write is under the stream's lock, so events never interleave. */
    private final class Stream {
        private final String jobId;
        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private final List<ScheduledFuture<?>> timerTasks = new ArrayList<>();
        private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();
        private volatile StatusFeed.Subscription subscription;
        /** Null while the request table has not seen the job's request: looked up again on every resync. */
        private volatile RequestSummary request;

        private OutputStream out;
        private JobStatus sent;
        private JobStatus early;
        private boolean closed; // under the stream's lock; finished completes just after

        Stream(String jobId) {
            this.jobId = jobId;
        }

        /** Starts the stream with what is known now, and whatever the feed brought meanwhile. */
        synchronized void open(OutputStream output, JobStatus initial) {
            out = output;
            if (write("retry: 2000\n\n")) {
                deliver(initial);
                if (early != null) {
                    deliver(early);
                }
            }
        }

        /** From the feed's thread: hand over to a writer. */
        void offer(JobStatus update) {
            if (!finished.isDone()) {
                runOnWriter(() -> deliver(update));
            }
        }

        synchronized void deliver(JobStatus update) {
            if (finished.isDone()) {
                return;
            }
            if (out == null) {
                early = JobStatuses.merge(early, update); // came before the stream opened: sent right after
                return;
            }
            JobStatus merged = JobStatuses.merge(sent, update);
            if (merged.equals(sent)) {
                return;
            }
            String json;
            try {
                json = Json.MAPPER.writeValueAsString(
                        JobView.of(jobId, merged, JobLookup.metadata(Optional.ofNullable(request))));
            } catch (IOException e) {
                log.warn("status of {} could not be written as JSON", jobId, e);
                return;
            }
            if (write("event: status\nid: " + merged.getUpdatedAt().toEpochMilli() + "\ndata: " + json + "\n\n")) {
                sent = merged;
                if (JobStatuses.isFinal(merged)) {
                    finish();
                }
            }
        }

        synchronized void heartbeat() {
            if (!finished.isDone()) {
                write(": keep-alive\n\n");
            }
        }

        void resync() {
            if (finished.isDone()) {
                return;
            }
            try {
                if (request == null) {
                    request = lookup.request(jobId).orElse(null);
                }
                lookup.current(jobId).ifPresent(this::deliver);
            } catch (RuntimeException e) {
                log.debug("resync of {} skipped: {}", jobId, e.toString());
            }
        }

        void startTimers() {
            long beat = heartbeat.toMillis();
            long resync = RESYNC_EVERY.toMillis();
            synchronized (this) {
                if (closed) {
                    return; // the client left already: no timers to leak
                }
                timerTasks.add(timers.scheduleAtFixedRate(
                        () -> runOnWriter(this::heartbeat), beat, beat, TimeUnit.MILLISECONDS));
                timerTasks.add(timers.scheduleAtFixedRate(
                        () -> runOnWriter(this::resync), resync, resync, TimeUnit.MILLISECONDS));
                timerTasks.add(timers.schedule(this::finish, MAX_STREAM_AGE.toMillis(), TimeUnit.MILLISECONDS));
            }
        }

        /**
         * Runs the stream's tasks one after the other, in the order they came, on the shared writers: the pool must
         * not reorder a job's updates (a later step overtaking an earlier one would hide the earlier one).
         */
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

        /** Writes and flushes; a client that went away ends the stream. */
        private boolean write(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | RuntimeException e) {
                log.debug("event stream of {} closed by the client: {}", jobId, e.toString());
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
            StatusFeed.Subscription s = subscription;
            if (s != null) {
                s.close();
            }
            streams.remove(this);
            open.decrementAndGet();
            finished.complete(null);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
