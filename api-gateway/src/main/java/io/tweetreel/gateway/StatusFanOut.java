package io.tweetreel.gateway;

import io.tweetreel.schemas.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each status record to the listeners of its job, and keeps the last {@code window} of records so that a
 * listener that subscribes late still gets the job's recent updates. Why: the feed can be ahead of the status
 * table, so a client that subscribes and then looks the job up could otherwise miss a step the feed passed on just
 * before the subscription while the table did not show it yet (a job's short render step, gone from its stream).
 * Listeners merge what they get monotonically, so a replayed update older than what they know is harmless.
 * <p>
 * Records are kept as they came (bytes) and decoded only for a listener.
 */
final class StatusFanOut {
    private static final Logger log = LoggerFactory.getLogger(StatusFanOut.class);

    private record Kept(ConsumerRecord<String, byte[]> record, long atMillis) {}

    private final Function<ConsumerRecord<String, byte[]>, JobStatus> decode;
    private final Duration window;
    private final int maxKept;
    private final Clock clock;

    // all under this object's lock: a subscription and a dispatch are ordered, so no record falls between them
    private final Map<String, List<Consumer<JobStatus>>> listeners = new HashMap<>();
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private final Map<String, ArrayDeque<ConsumerRecord<String, byte[]>>> keptByJob = new HashMap<>();

    /**
     * @param decode throws on a record it cannot read (it is then skipped, with a warning)
     * @param window how long a record is kept for late subscribers
     * @param maxKept at most this many records are kept, whatever their age (bounds memory under a burst)
     */
    StatusFanOut(
            Function<ConsumerRecord<String, byte[]>, JobStatus> decode, Duration window, int maxKept, Clock clock) {
        this.decode = decode;
        this.window = window;
        this.maxKept = maxKept;
        this.clock = clock;
    }

    /**
     * Subscribes {@code listener} to {@code jobId}, first handing it the job's kept records, oldest first. Those are
     * handed over under the lock, so no newer record reaches the listener before them.
     */
    StatusFeed.Subscription subscribe(String jobId, Consumer<JobStatus> listener) {
        synchronized (this) {
            listeners.computeIfAbsent(jobId, k -> new ArrayList<>()).add(listener);
            ArrayDeque<ConsumerRecord<String, byte[]>> ofJob = keptByJob.get(jobId);
            if (ofJob != null) {
                ofJob.forEach(record -> deliver(record, List.of(listener)));
            }
        }
        return () -> {
            synchronized (this) {
                List<Consumer<JobStatus>> ofJob = listeners.get(jobId);
                if (ofJob != null && ofJob.remove(listener) && ofJob.isEmpty()) {
                    listeners.remove(jobId);
                }
            }
        };
    }

    /**
     * Keeps {@code record} and hands it to its job's listeners, outside the lock (listeners only queue work, but a
     * slow one must not hold up subscriptions). Called by the feed's one reading thread, so records stay in order.
     */
    void dispatch(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        List<Consumer<JobStatus>> interested;
        synchronized (this) {
            long now = clock.millis();
            kept.addLast(new Kept(record, now));
            keptByJob.computeIfAbsent(record.key(), k -> new ArrayDeque<>()).addLast(record);
            evictOlderThan(now - window.toMillis());
            List<Consumer<JobStatus>> ofJob = listeners.get(record.key());
            interested = ofJob == null ? List.of() : List.copyOf(ofJob);
        }
        deliver(record, interested);
    }

    synchronized int keptRecords() {
        return kept.size();
    }

    private void evictOlderThan(long oldestKeptMillis) {
        while (!kept.isEmpty() && (kept.size() > maxKept || kept.peekFirst().atMillis() < oldestKeptMillis)) {
            ConsumerRecord<String, byte[]> gone = kept.removeFirst().record();
            ArrayDeque<ConsumerRecord<String, byte[]>> ofJob = keptByJob.get(gone.key());
            ofJob.removeFirst(); // a job's records leave in the order they came, as all records do
            if (ofJob.isEmpty()) {
                keptByJob.remove(gone.key());
            }
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> record, List<Consumer<JobStatus>> to) {
        if (to.isEmpty()) {
            return;
        }
        JobStatus status;
        try {
            status = decode.apply(record);
        } catch (RuntimeException e) {
            log.warn("status feed skipped an unreadable update of {}: {}", record.key(), e.toString());
            return;
        }
        for (Consumer<JobStatus> listener : to) {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                log.warn("status listener of {} failed: {}", record.key(), e.toString());
            }
        }
    }
}
