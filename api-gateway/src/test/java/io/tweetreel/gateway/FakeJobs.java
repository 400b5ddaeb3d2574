package io.tweetreel.gateway;

import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.VideoRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The Kafka side of the gateway in memory: tables, the transactional publisher, the live feed, the webhook
 * commands and the cancellations.
 */
final class FakeJobs implements JobQueries, RequestPublisher, StatusFeed, WebhookCommands, CancellationPublisher {
    record Published(String jobId, VideoRequested request, JobStatus pending) {}

    final Map<String, JobStatus> table = new ConcurrentHashMap<>();
    final Map<String, RequestSummary> requests = new ConcurrentHashMap<>();
    final Map<String, DeliveryLog> deliveries = new ConcurrentHashMap<>();
    final List<String> redelivered = new CopyOnWriteArrayList<>();
    final List<Published> published = new CopyOnWriteArrayList<>();
    final Map<String, List<Consumer<JobStatus>>> listeners = new ConcurrentHashMap<>();
    /** false: the table lags behind the publisher, as it does for a moment after a commit */
    volatile boolean tableFollowsPublisher = true;

    volatile TemporarilyUnavailableException unavailable;
    /** set: the webhook commands topic does not take records, the tables still answer */
    volatile TemporarilyUnavailableException commandsUnavailable;

    /** The jobs whose cancel was written, in order. */
    final List<String> cancels = new CopyOnWriteArrayList<>();
    /** set: the cancellations topic does not take records */
    volatile TemporarilyUnavailableException cancelsUnavailable;
    /**
     * What reaches {@code videos.status} once a cancel is written, from the job's status in the table: by default
     * what the status table's topology writes (canceled where the job stands); null: nothing (the table lags).
     */
    volatile UnaryOperator<JobStatus> statusAfterCancel = FakeJobs::canceledWhereItStands;

    @Override
    public Optional<JobStatus> status(String jobId) {
        failIfUnavailable();
        return Optional.ofNullable(table.get(jobId));
    }

    @Override
    public Optional<RequestSummary> request(String jobId) {
        failIfUnavailable();
        return Optional.ofNullable(requests.get(jobId));
    }

    @Override
    public Optional<DeliveryLog> deliveries(String jobId) {
        failIfUnavailable();
        return Optional.ofNullable(deliveries.get(jobId));
    }

    @Override
    public void redeliver(String jobId) {
        if (commandsUnavailable != null) {
            throw commandsUnavailable;
        }
        redelivered.add(jobId);
    }

    @Override
    public void cancel(String jobId, String batchId) {
        if (cancelsUnavailable != null) {
            throw cancelsUnavailable;
        }
        cancels.add(jobId);
        UnaryOperator<JobStatus> after = statusAfterCancel;
        JobStatus next = after == null ? null : after.apply(table.get(jobId));
        if (next != null) {
            update(jobId, next);
        }
    }

    static JobStatus canceledWhereItStands(JobStatus known) {
        Instant now = Instant.now();
        return known == null
                ? JobStatuses.canceled(JobStep.queued, 0, now)
                : JobStatuses.canceled(known.getCurrentStep(), known.getProgress(), now);
    }

    private void failIfUnavailable() {
        TemporarilyUnavailableException e = unavailable;
        if (e != null) {
            throw e;
        }
    }

    @Override
    public void publish(String jobId, VideoRequested request, JobStatus pending) {
        published.add(new Published(jobId, request, pending));
        if (tableFollowsPublisher) {
            update(jobId, pending);
            requests.put(jobId, RequestSummary.of(request));
        }
    }

    /** A status update written to the topic: merged into the table and pushed to listeners. */
    void update(String jobId, JobStatus status) {
        table.compute(jobId, (id, known) -> JobStatuses.merge(known, status));
        for (Consumer<JobStatus> listener : listeners.getOrDefault(jobId, List.of())) {
            listener.accept(status);
        }
    }

    @Override
    public Subscription subscribe(String jobId, Consumer<JobStatus> listener) {
        listeners.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(jobId, new ArrayList<>()).remove(listener);
    }

    int listenerCount(String jobId) {
        return listeners.getOrDefault(jobId, List.of()).size();
    }
}
