package io.tweetreel.gateway;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tweetreel.core.ApiKeyDirectory;
import io.tweetreel.core.OpsEndpoints;
import io.tweetreel.schemas.ApiKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The gateway's HTTP app on a free port, with the Kafka side and the object store faked. With keys required, a
 * request with {@code Authorization: Bearer <secret>} of a key added with {@link #addKey} is that key's caller; one
 * instance decides every key's limits.
 *
 * <p>A test class shares one, started once: {@code @RegisterExtension static final GatewayFixture gateway = new
 * GatewayFixture(...)} starts it with the class, forgets everything before each test ({@link #reset}, before the
 * class's own {@code @BeforeEach}) and stops it after the last test.
 */
final class GatewayFixture implements AutoCloseable, BeforeEachCallback, AfterAllCallback {
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
        HostInfo self = new HostInfo("127.0.0.1", 1);
        KeyAdmission admission =
                new KeyAdmission(new TestPlacement(() -> self, () -> self, 1).limits(TestPlacement.ASKS_NOBODY, clock));
        recent = new RecentSubmissions(clock, Duration.ofMinutes(10), 1000);
        JobLookup lookup = new JobLookup(jobs, recent);
        events = new JobEvents(lookup, jobs, heartbeat, 50, meters);
        recentBatches = new RecentBatches(clock, Duration.ofMinutes(10), 1000);
        BatchLookup batchLookup = new BatchLookup(batches, recentBatches, lookup);
        batchEvents = new BatchEvents(batchLookup, lookup, jobs, heartbeat, 50, meters);
        var handlers = new GatewayApp.Handlers(
                new JobSubmissions(jobs, jobs, recent, admission, BASE_URL, clock, meters),
                lookup,
                events,
                new WebhookDeliveries(lookup, jobs, jobs, BASE_URL),
                new JobCancellations(lookup, jobs, jobs, JobCancellations.WAIT_FOR_FINAL),
                new VideoDownloads(objects, BUCKET, clock, meters),
                new WebAssets(),
                new BatchEndpoints(
                        new BatchSubmissions(
                                batches, batches, recentBatches, recent, admission, BASE_URL, clock, meters),
                        batchLookup,
                        batchEvents,
                        new BatchCancels(batchLookup, batches, jobs),
                        new BatchArchives(batchLookup, objects, BUCKET, clock)),
                null,
                admission,
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

    /** A key whose callers send {@code Authorization: Bearer <secret>}; the limits are the contract's defaults. */
    ApiKey addKey(String id, String secret) {
        return addKey(
                ApiKey.newBuilder()
                        .setId(id)
                        .setName(id)
                        .setKeyHash("0".repeat(64))
                        .setPrefix(secret.substring(0, Math.min(8, secret.length())))
                        .setCreatedAt(Instant.EPOCH)
                        .setUpdatedAt(Instant.EPOCH)
                        .build(),
                secret);
    }

    ApiKey addKey(ApiKey key, String secret) {
        keys.write(
                ApiKey.newBuilder(key).setKeyHash(ApiKeyDirectory.hash(secret)).build());
        return key;
    }

    static Map<String, String> bearer(String secret) {
        return Map.of("Authorization", "Bearer " + secret);
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
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        app.stop();
        events.close();
        batchEvents.close();
    }
}
