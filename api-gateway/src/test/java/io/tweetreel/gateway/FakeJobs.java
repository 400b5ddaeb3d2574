package io.tweetreel.gateway;

import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.VideoRequested;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The Kafka side of the gateway in memory: tables, the transactional publisher, the live feed and the webhook
 * commands.
 */
final class FakeJobs implements JobQueries, RequestPublisher, StatusFeed, WebhookCommands {
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
