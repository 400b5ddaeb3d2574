package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.core.JobView;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.JobStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/jobs/{jobId}/events}: Server-Sent Events, one {@code status} event (the job JSON, metadata
 * included, as {@code GET /api/jobs/{jobId}} shows it) per change of the merged status, starting with the current
 * one, until the job is final (completed, failed or canceled); then the stream ends.
 * <p>
 * Updates come from the {@link StatusFeed} as they are written and are merged here with the same rule as the
 * table, so a stream never shows a job going backwards. The table is asked again every few seconds, which covers
 * updates written between the first lookup and the subscription. Heartbeat, write pool and limits: see
 * {@link EventStreams}.
 */
public final class JobEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    private static final Duration RESYNC_EVERY = Duration.ofSeconds(3);

    private final JobLookup lookup;
    private final StatusFeed feed;
    private final EventStreams streams;

    public JobEvents(JobLookup lookup, StatusFeed feed, Duration heartbeat, int maxClients, MeterRegistry meters) {
        this.lookup = lookup;
        this.feed = feed;
        this.streams = new EventStreams("sse", 16, heartbeat, RESYNC_EVERY, maxClients, "gateway.sse.open", meters);
    }

    public int openStreams() {
        return streams.openStreams();
    }

    public void handle(Context ctx) throws IOException {
        String jobId = JobLookup.jobId(ctx);
        streams.serve(ctx, new Stream(jobId, Caller.of(ctx)), "/api/jobs/" + jobId);
    }

    /** Ends every open stream (clients reconnect elsewhere), then stops the timers and writers. */
    @Override
    public void close() {
        streams.close();
    }

    /** One client's stream of one job. */
    private final class Stream extends EventStreams.Stream {
        private final String jobId;
        private final Caller caller;
        /** Null while the request table has not seen the job's request: looked up again on every resync. */
        private volatile RequestSummary request;

        private JobStatus initial;
        private JobStatus sent;
        /**
         * What the feed brought before the stream opened, in order: each is sent, not only the latest, so a step
         * that came and went meanwhile (a render finished before the client connected) still shows.
         */
        private final List<JobStatus> early = new ArrayList<>();

        Stream(String jobId, Caller caller) {
            super(streams, jobId);
            this.jobId = jobId;
            this.caller = caller;
        }

        @Override
        void subscribeAndLookUp() {
            follow(feed.subscribe(jobId, update -> offer(() -> deliver(update))));
            initial = lookup.current(jobId, caller)
                    .orElseThrow(() -> JobLookup.notFound(jobId).toException());
            request = lookup.request(jobId).orElse(null);
        }

        /** Starts the stream with what is known now, and whatever the feed brought meanwhile. */
        @Override
        synchronized void writeFirst() {
            deliver(initial);
            early.forEach(this::deliver);
            early.clear();
        }

        synchronized void deliver(JobStatus update) {
            if (isFinished()) {
                return;
            }
            if (!isOpen()) {
                early.add(update); // came before the stream opened: sent right after the first write
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

        @Override
        void resync() {
            if (isFinished()) {
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
    }
}
