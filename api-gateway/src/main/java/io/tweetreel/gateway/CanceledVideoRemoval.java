package io.tweetreel.gateway;

import io.tweetreel.gateway.FiledVideoRemover.Outcome;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of a cancel that raced completion: storage filed the video after its last look at the
 * cancellations, but the gateway's {@code canceled} status reached {@code videos.status} first, so the table keeps
 * {@code canceled} and drops the {@code completed} update. A canceled job must not keep a filed video: every reel
 * named in the dropped update (one per format) is deleted, each with its poster and captions.
 * <p>
 * The decision needs no ordering against the table's merge: when the table says canceled, a {@code completed}
 * update of the job is dropped, whether the merge has run for it yet or not.
 * <p>
 * Durability: the removal is recorded in {@value #STORE} (jobId to the reels' filenames, separated by spaces;
 * changelogged, committed with the input under exactly-once) before it is handed to the {@link FiledVideoRemover},
 * and the entry is deleted only after the object store confirmed. Every {@link #TICK} (wall clock) the punctuator
 * applies finished removals and starts again those that failed, after a backoff that doubles up to
 * {@link #MAX_BACKOFF}; a restart, or another instance taking the partition over, finds the open entries in the
 * store and tries them again. The stream thread never waits for the object store.
 */
final class CanceledVideoRemoval implements Processor<String, JobStatus, Void, Void> {
    static final String STORE = "canceled-video-removals";
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(CanceledVideoRemoval.class);

    private final FiledVideoRemover remover;
    /** Results from the removal threads, applied on the stream thread. */
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    /** Removals handed out and not applied yet, so none is started twice at once. */
    private final Set<String> inFlight = new HashSet<>();
    /** Failed removals: when each may be tried again, and its current backoff. */
    private final Map<String, Retry> retries = new HashMap<>();

    private KeyValueStore<String, String> removals;
    private TimestampedKeyValueStore<String, JobStatus> statuses;

    private record Finished(String jobId, String filename, Outcome outcome) {}

    private record Retry(long atMs, Duration backoff) {}

    CanceledVideoRemoval(FiledVideoRemover remover) {
        this.remover = remover;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.removals = context.getStateStore(STORE);
        this.statuses = context.getStateStore(JobStatusTopology.STATUS_STORE);
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, JobStatus> record) {
        JobStatus update = record.value();
        if (record.key() == null
                || update == null
                || update.getStatus() != JobState.completed
                || update.getJobResult() == null) {
            return;
        }
        JobStatus known = ValueAndTimestamp.getValueOrNull(statuses.get(record.key()));
        if (known == null || known.getStatus() != JobState.canceled) {
            return;
        }
        // every format's reel; a result from before formats names one. Download names never contain a space.
        List<String> reels = new ArrayList<>();
        reels.add(update.getJobResult().getFilename());
        update.getJobResult().getOutputs().forEach(output -> reels.add(output.getFilename()));
        String filename = String.join(" ", reels.stream().distinct().toList());
        log.warn(
                "job {} was canceled before its completion was read: deleting its filed video {}",
                record.key(),
                filename);
        removals.put(record.key(), filename);
        start(record.key(), filename);
    }

    private void start(String jobId, String filename) {
        inFlight.add(jobId);
        remover.remove(jobId, filename, outcome -> finished.add(new Finished(jobId, filename, outcome)));
    }

    private void tick(long nowMs) {
        Finished done;
        while ((done = finished.poll()) != null) {
            apply(done, nowMs);
        }
        try (KeyValueIterator<String, String> open = removals.all()) {
            while (open.hasNext()) {
                KeyValue<String, String> removal = open.next();
                Retry retry = retries.get(removal.key);
                if (!inFlight.contains(removal.key) && (retry == null || retry.atMs() <= nowMs)) {
                    start(removal.key, removal.value);
                }
            }
        }
    }

    private void apply(Finished done, long nowMs) {
        inFlight.remove(done.jobId());
        if (done.outcome() == Outcome.FAILED) {
            Retry last = retries.get(done.jobId());
            Duration backoff = last == null ? FIRST_BACKOFF : min(last.backoff().multipliedBy(2), MAX_BACKOFF);
            retries.put(done.jobId(), new Retry(nowMs + backoff.toMillis(), backoff));
            log.warn(
                    "filed video {} of canceled job {} not deleted (object store failed); trying again in {}s",
                    done.filename(),
                    done.jobId(),
                    backoff.toSeconds());
            return;
        }
        if (done.outcome() == Outcome.NOT_THE_JOBS) {
            log.warn(
                    "{} is not job {}'s video (its job-id metadata differs): left alone",
                    done.filename(),
                    done.jobId());
        } else {
            log.info("filed video {} of canceled job {} deleted", done.filename(), done.jobId());
        }
        retries.remove(done.jobId());
        if (done.filename().equals(removals.get(done.jobId()))) {
            removals.delete(done.jobId());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        // removals still running report into a queue nobody reads any more; their entries stay in the store and
        // whoever owns the partition next tries them again (a repeated delete is harmless)
        finished.clear();
        inFlight.clear();
        retries.clear();
    }
}
