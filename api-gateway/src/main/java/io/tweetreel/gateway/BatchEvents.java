package io.tweetreel.gateway;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.JobStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
 * the items not final yet. Heartbeat, write pool and limits: see {@link EventStreams}.
 */
public final class BatchEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchEvents.class);
    /** Longer than a job stream's: a resync asks the table about up to 500 items. */
    static final Duration RESYNC_EVERY = Duration.ofSeconds(5);

    private final BatchLookup lookup;
    private final JobLookup jobs;
    private final StatusFeed feed;
    private final EventStreams streams;

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
        this.streams = new EventStreams(
                "batch-sse", 8, heartbeat, RESYNC_EVERY, maxClients, "gateway.sse.batches.open", meters);
    }

    public int openStreams() {
        return streams.openStreams();
    }

    public void handle(Context ctx) throws IOException {
        String batchId = BatchLookup.batchId(ctx);
        BatchSummary batch = lookup.batch(batchId, Caller.of(ctx))
                .orElseThrow(() -> BatchLookup.notFound(batchId).toException());
        streams.serve(ctx, new Stream(batchId, batch), "/api/batches/" + batchId);
    }

    /** Ends every open stream (clients reconnect elsewhere), then stops the timers and writers. */
    @Override
    public void close() {
        streams.close();
    }

    /** One client's stream of one batch. */
    private final class Stream extends EventStreams.Stream {
        private final String batchId;
        private final BatchSummary batch;
        private final JobStatus[] known;
        private List<JobStatus> initial;

        Stream(String batchId, BatchSummary batch) {
            super(streams, "batch " + batchId);
            this.batchId = batchId;
            this.batch = batch;
            this.known = new JobStatus[batch.jobIds().size()];
        }

        @Override
        void subscribeAndLookUp() {
            for (int i = 0; i < known.length; i++) {
                int index = i;
                follow(feed.subscribe(batch.jobIds().get(i), status -> offer(() -> deliver(index, status))));
            }
            initial = lookup.statuses(batch);
        }

        /** Starts with the batch as known now, merged with whatever the feed brought meanwhile. */
        @Override
        void writeFirst() {
            for (int i = 0; i < known.length; i++) {
                known[i] = known[i] == null ? initial.get(i) : JobStatuses.merge(initial.get(i), known[i]);
            }
            BatchView view = BatchView.of(batchId, batch, Arrays.asList(known));
            if (write("event: batch\ndata: " + json(view) + "\n\n") && view.allFinal()) {
                finish();
            }
        }

        synchronized void deliver(int index, JobStatus update) {
            if (isFinished()) {
                return;
            }
            JobStatus merged = JobStatuses.merge(known[index], update);
            if (merged.equals(known[index])) {
                return;
            }
            known[index] = merged;
            if (!isOpen()) {
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

        /** Asks the table again about the items not final yet. */
        @Override
        void resync() {
            for (int i = 0; i < known.length && !isFinished(); i++) {
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

        private String json(Object value) {
            try {
                return Json.MAPPER.writeValueAsString(value);
            } catch (IOException e) {
                throw new IllegalStateException("a batch event always serialises", e);
            }
        }
    }
}
