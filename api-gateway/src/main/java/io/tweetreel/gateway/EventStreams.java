package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The open Server-Sent Events streams of one endpoint, and what every such stream does whatever it follows: a cap
 * on open streams (503 past it), the response headers, the {@code retry} line, a comment line every heartbeat that
 * keeps proxies from closing an idle stream and finds clients that went away (the first failed write ends the
 * stream and releases its subscriptions), a resync with the table every so often, and an age limit. Writes happen
 * on a small pool, never on the feed's thread, one task at a time per stream in arrival order, so a slow client
 * delays only itself.
 * <p>
 * An endpoint ({@link JobEvents}, {@link BatchEvents}) extends {@link Stream} with what differs: what a stream
 * subscribes to, what it writes and when it ends.
 */
final class EventStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
    /** Streams end after this; EventSource reconnects by itself and gets the current state again. */
    private static final Duration MAX_STREAM_AGE = Duration.ofMinutes(30);

    private final Duration heartbeat;
    private final Duration resyncEvery;
    private final int maxClients;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers;
    private final ExecutorService writers;

    /**
     * @param threadName prefix of the timer and writer threads' names
     * @param gauge name of the gauge of open streams
     */
    EventStreams(
            String threadName,
            int writerThreads,
            Duration heartbeat,
            Duration resyncEvery,
            int maxClients,
            String gauge,
            MeterRegistry meters) {
        this.heartbeat = heartbeat;
        this.resyncEvery = resyncEvery;
        this.maxClients = maxClients;
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon(threadName + "-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timers = scheduler;
        // a fixed pool (an unbounded queue never grows a pool past its core size); idle threads time out
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                writerThreads,
                writerThreads,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                daemon(threadName + "-writer"));
        pool.allowCoreThreadTimeOut(true);
        this.writers = pool;
        meters.gauge(gauge, open);
    }

    int openStreams() {
        return open.get();
    }

    /**
     * Serves {@code stream} on {@code ctx} until it ends: past the cap, 503 telling the client to poll
     * {@code pollInstead}; a problem thrown by {@link Stream#subscribeAndLookUp()} (e.g. 404) goes to the client as
     * it is, since nothing is written before it returns.
     */
    void serve(Context ctx, Stream stream, String pollInstead) throws IOException {
        if (open.incrementAndGet() > maxClients) {
            open.decrementAndGet();
            throw Problem.of(503, "too many open event streams; poll GET " + pollInstead + " instead")
                    .withHeader("Retry-After", "5")
                    .toException();
        }
        try {
            streams.add(stream);
            stream.subscribeAndLookUp();
            ctx.status(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-store");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            stream.open(ctx.res().getOutputStream());
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

    /** Ends every open stream (clients reconnect elsewhere), then stops the timers and writers. */
    @Override
    public void close() {
        for (Stream stream : streams) {
            stream.finish();
        }
        timers.shutdownNow();
        writers.shutdownNow();
    }

    /**
     * One client's event stream. Every write is under the stream's lock (the object itself, so a subclass's
     * {@code synchronized} methods hold the same one), so events never interleave.
     */
    abstract static class Stream {
        private final EventStreams owner;
        /** Names the stream in logs. */
        private final String label;

        private final CompletableFuture<Void> finished = new CompletableFuture<>();
        private final List<StatusFeed.Subscription> subscriptions = new CopyOnWriteArrayList<>();
        private final List<ScheduledFuture<?>> timerTasks = new ArrayList<>();
        private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean draining = new AtomicBoolean();
        private OutputStream out;
        private boolean closed; // under the stream's lock; finished completes just after

        Stream(EventStreams owner, String label) {
            this.owner = owner;
            this.label = label;
        }

        /**
         * Subscribes (with {@link #follow}) to what the stream follows, then looks up where it starts: in that
         * order, so no update can fall between the two. Throws a problem when there is nothing to stream.
         */
        abstract void subscribeAndLookUp();

        /** Writes the first events, under the lock, once the response is open; may {@link #finish()} already. */
        abstract void writeFirst();

        /** Asks the table again (covers anything the feed missed). Runs on a writer, not under the lock. */
        abstract void resync();

        /** Keeps a subscription until the stream ends. */
        final void follow(StatusFeed.Subscription subscription) {
            subscriptions.add(subscription);
        }

        /** False until the response is open: what comes before is part of the first events. Under the lock. */
        final boolean isOpen() {
            return out != null;
        }

        final boolean isFinished() {
            return finished.isDone();
        }

        /** From the feed's thread: hands {@code task} over to a writer, unless the stream has ended. */
        final void offer(Runnable task) {
            if (!finished.isDone()) {
                runOnWriter(task);
            }
        }

        private synchronized void open(OutputStream output) {
            out = output;
            if (write("retry: 2000\n\n")) {
                writeFirst();
            }
        }

        private synchronized void heartbeat() {
            if (!finished.isDone()) {
                write(": keep-alive\n\n");
            }
        }

        private void startTimers() {
            long beat = owner.heartbeat.toMillis();
            long resync = owner.resyncEvery.toMillis();
            synchronized (this) {
                if (closed) {
                    return; // the client left already: no timers to leak
                }
                timerTasks.add(owner.timers.scheduleAtFixedRate(
                        () -> runOnWriter(this::heartbeat), beat, beat, TimeUnit.MILLISECONDS));
                timerTasks.add(owner.timers.scheduleAtFixedRate(
                        () -> runOnWriter(this::resync), resync, resync, TimeUnit.MILLISECONDS));
                timerTasks.add(owner.timers.schedule(this::finish, MAX_STREAM_AGE.toMillis(), TimeUnit.MILLISECONDS));
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
                    owner.writers.execute(this::drain);
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

        /** Writes and flushes, under the lock; a client that went away ends the stream. */
        final boolean write(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | RuntimeException e) {
                log.debug("event stream of {} closed by the client: {}", label, e.toString());
                finish();
                return false;
            }
        }

        /** Ends the stream: stops its timers, releases its subscriptions and lets the response complete. */
        final void finish() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                timerTasks.forEach(t -> t.cancel(false));
                timerTasks.clear();
            }
            subscriptions.forEach(StatusFeed.Subscription::close);
            owner.streams.remove(this);
            owner.open.decrementAndGet();
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
