package io.tweetreel.gateway;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tweetreel.core.OpsEndpoints;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The gateway's HTTP app on a free port, with the Kafka side and the object store faked. */
final class GatewayFixture implements AutoCloseable {
    static final String BASE_URL = "https://reels.example";
    static final String BUCKET = "tweetreel-videos";

    final FakeJobs jobs = new FakeJobs();
    final FakeBatches batches = new FakeBatches(jobs);
    final InMemoryApiKeys keys = new InMemoryApiKeys();
    final InMemoryObjectStore objects = new InMemoryObjectStore();
    final RecentSubmissions recent;
    final RecentBatches recentBatches;
    final JobEvents events;
    final BatchEvents batchEvents;
    final Javalin app;
    final TestHttp http;

    GatewayFixture(Clock clock, Duration heartbeat) {
        this(clock, heartbeat, false, null);
    }

    /**
     * @param keysRequired as with API_AUTH=keys: every /api call needs a key of {@link #keys}
     * @param adminToken   ADMIN_TOKEN; null leaves the admin endpoints off
     */
    GatewayFixture(Clock clock, Duration heartbeat, boolean keysRequired, String adminToken) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        recent = new RecentSubmissions(clock, Duration.ofMinutes(10), 1000);
        JobLookup lookup = new JobLookup(jobs, recent);
        events = new JobEvents(lookup, jobs, heartbeat, 50, meters);
        recentBatches = new RecentBatches(clock, Duration.ofMinutes(10), 1000);
        BatchLookup batchLookup = new BatchLookup(batches, recentBatches, lookup);
        batchEvents = new BatchEvents(batchLookup, lookup, jobs, heartbeat, 50, meters);
        var handlers = new GatewayApp.Handlers(
                new JobSubmissions(jobs, jobs, recent, BASE_URL, clock, meters),
                lookup,
                events,
                new WebhookDeliveries(lookup, jobs, jobs, BASE_URL),
                new JobCancellations(lookup, jobs, jobs, JobCancellations.WAIT_FOR_FINAL),
                new VideoDownloads(objects, BUCKET, clock, meters),
                new WebAssets(),
                new BatchEndpoints(
                        new BatchSubmissions(batches, batches, recentBatches, recent, BASE_URL, clock, meters),
                        batchLookup,
                        batchEvents,
                        new BatchCancels(batchLookup, batches, jobs),
                        new BatchArchives(batchLookup, objects, BUCKET, clock)),
                null,
                new OpsEndpoints(meters, Map.of("fake", () -> true), () -> Map.of("isRunning", true)),
                meters,
                keysRequired ? new ApiKeyAuthentication(keys) : null,
                new ApiKeys(keys, new ApiKeyIssuer(), adminToken == null ? null : new AdminToken(adminToken), clock));
        app = GatewayApp.create(handlers).start("127.0.0.1", 0);
        http = new TestHttp("http://127.0.0.1:" + app.port());
    }

    GatewayFixture() {
        this(Clock.systemUTC(), Duration.ofSeconds(15));
    }

    /** Forgets every job, request and object, for the next test. */
    void reset() {
        jobs.table.clear();
        jobs.requests.clear();
        jobs.deliveries.clear();
        jobs.redelivered.clear();
        jobs.published.clear();
        jobs.listeners.clear();
        jobs.tableFollowsPublisher = true;
        jobs.unavailable = null;
        jobs.commandsUnavailable = null;
        jobs.cancels.clear();
        jobs.cancelsUnavailable = null;
        jobs.statusAfterCancel = FakeJobs::canceledWhereItStands;
        objects.clear();
        recent.clear();
        batches.clear();
        recentBatches.clear();
        keys.clear();
    }

    @Override
    public void close() {
        app.stop();
        events.close();
        batchEvents.close();
    }
}
