package io.tweetreel.gateway;

import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tweetreel.core.ApiKeyDirectory;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.HangingTransactionGuard;
import io.tweetreel.core.Metrics;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.OpsEndpoints;
import io.tweetreel.core.PipelineConfig;
import io.tweetreel.core.ServiceLauncher;
import io.tweetreel.core.StreamsSettings;
import io.tweetreel.core.TopicProvisioner;
import io.tweetreel.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway: takes job requests, answers job status from the status table (its own Kafka Streams app,
 * {@value GatewayConfig#APPLICATION_ID}, forwarding lookups to the instance that owns a key), streams progress,
 * serves finished videos and the web page; ops endpoints on the same port. Several instances share the table's
 * partitions; each must be reachable by the others at its advertised URL.
 */
public final class GatewayService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayService.class);
    /** Bound on reading every API key at start-up; after it the gateway starts but is not ready until done. */
    private static final Duration API_KEYS_READ_TIMEOUT = Duration.ofSeconds(30);

    private final GatewayConfig config;
    private final PipelineConfig pipeline;
    private final PrometheusMeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();
    private ObjectStore objectStore;
    private KafkaRequestPublisher publisher;
    private KafkaWebhookCommands webhookCommands;
    private BatchEvents batchEvents;
    private KafkaStatusFeed feed;
    private JobStatusStore store;
    private JobEvents events;
    private RecentSubmissions recent;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private HangingTransactionGuard transactionGuard;
    private KafkaQueuePositions queuePositions;
    private FiledVideoRemover videoRemover;
    private KafkaCancellationPublisher cancellations;
    private ApiKeyDirectory apiKeyDirectory;
    private KafkaApiKeyStore apiKeys;
    private Javalin app;
    private URI advertised;

    public GatewayService(GatewayConfig config) {
        this.config = config;
        this.pipeline = config.pipeline();
        this.metrics = Metrics.prometheus(GatewayConfig.SERVICE_NAME);
    }

    public static void main(String[] args) {
        ServiceLauncher.run(
                GatewayConfig.SERVICE_NAME,
                () -> new GatewayService(GatewayConfig.read(EnvConfig.fromSystem())).start());
    }

    public GatewayService start() {
        TopicProvisioner.ensureTopics(pipeline.kafka(), pipeline.topicPartitions(), pipeline.topicReplicationFactor());
        // the port must be known before anything is built: it is this instance's identity in the Streams group
        int port = config.port() == 0 ? freePort(config.host()) : config.port();
        advertised = config.advertisedUri(port);
        HostInfo self = new HostInfo(advertised.getHost(), advertised.getPort() < 0 ? 80 : advertised.getPort());
        Topics topics = Topics.withRegistry(pipeline.schemaRegistryUrl());

        objectStore = new MinioObjectStore(pipeline.objectStore());
        recent = new RecentSubmissions(clock, Duration.ofMinutes(10), 100_000);
        StreamsStoreOwners storeOwners = new StreamsStoreOwners();
        PeerHttp peerHttp = new PeerHttp(config.forwardTimeout());
        store = new JobStatusStore(storeOwners, new PeerLookups(peerHttp), config.lookupWait(), metrics);
        publisher = new KafkaRequestPublisher(
                        pipeline.kafka(), topics, GatewayConfig.APPLICATION_ID + "-" + self.host() + "-" + self.port())
                .start();
        webhookCommands = new KafkaWebhookCommands(
                pipeline.kafka(),
                topics.webhookCommands(),
                GatewayConfig.APPLICATION_ID + "-commands-" + pipeline.instanceId(),
                clock);
        cancellations = new KafkaCancellationPublisher(
                pipeline.kafka(),
                topics.cancellations(),
                GatewayConfig.APPLICATION_ID + "-cancellations-" + pipeline.instanceId(),
                clock);
        // read every key before the API opens, so a key made before this instance started works here at once
        apiKeyDirectory = new ApiKeyDirectory(pipeline.kafka(), topics.apiKeys(), pipeline.instanceId());
        try {
            apiKeyDirectory.start(API_KEYS_READ_TIMEOUT);
        } catch (TimeoutException e) {
            log.warn("{}; the gateway is not ready until they are", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading API keys", e);
        }
        apiKeys = new KafkaApiKeyStore(
                apiKeyDirectory,
                pipeline.kafka(),
                topics.apiKeys(),
                GatewayConfig.APPLICATION_ID + "-api-keys-" + pipeline.instanceId());
        feed = new KafkaStatusFeed(pipeline.kafka(), topics.status(), pipeline.instanceId()).start();
        JobLookup lookup = new JobLookup(store, recent);
        events = new JobEvents(lookup, feed, config.sseHeartbeat(), config.sseMaxClients(), metrics);
        RecentBatches recentBatches = new RecentBatches(clock, Duration.ofMinutes(10), 10_000);
        BatchLookup batchLookup = new BatchLookup(store, recentBatches, lookup);
        batchEvents =
                new BatchEvents(batchLookup, lookup, feed, config.sseHeartbeat(), config.sseMaxClients(), metrics);

        StreamsKeyPlacement keyPlacement = new StreamsKeyPlacement(storeOwners);
        SharedKeyLimits keyLimits = new SharedKeyLimits(
                keyPlacement,
                new PeerLimits(peerHttp),
                new TokenBuckets(clock, keyPlacement),
                new TokenBuckets(clock, DailyUsage.NONE));
        KeyAdmission admission = new KeyAdmission(keyLimits);

        queuePositions =
                new KafkaQueuePositions(pipeline.kafka(), pipeline.instanceId() + "-job-watch", Duration.ofSeconds(2));
        videoRemover = new FiledVideoRemover(objectStore, pipeline.objectStore().videosBucket());
        streams = new KafkaStreams(
                JobStatusTopology.build(
                        topics, pipeline.jobTimeout(), config.batchInFlight(), queuePositions, videoRemover, metrics),
                streamsProperties(self));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("gateway stream thread died, replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> log.info("status table {} -> {}", before, now));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        storeOwners.attach(streams, self);
        transactionGuard = HangingTransactionGuard.forService(pipeline, this::ownedPartitions, metrics);

        Map<String, BooleanSupplier> ready = new LinkedHashMap<>();
        ready.put("kafka-streams", () -> streams.state() == KafkaStreams.State.RUNNING);
        ready.put("kafka-producer", publisher::isReady);
        ready.put("status-feed", feed::isReady);
        ready.put("api-keys", apiKeyDirectory::isReady);
        ready.put("object-store", objectStore::isReachable);
        ready.put("input-partitions", transactionGuard::isHealthy);
        GatewayApp.Handlers handlers = new GatewayApp.Handlers(
                new JobSubmissions(publisher, store, recent, admission, config.baseUrl(), clock, metrics),
                lookup,
                events,
                new WebhookDeliveries(lookup, store, webhookCommands, config.baseUrl()),
                new JobCancellations(lookup, feed, cancellations, JobCancellations.WAIT_FOR_FINAL),
                new VideoDownloads(objectStore, pipeline.objectStore().videosBucket(), clock, metrics),
                new WebAssets(),
                new BatchEndpoints(
                        new BatchSubmissions(
                                publisher, store, recentBatches, recent, admission, config.baseUrl(), clock, metrics),
                        batchLookup,
                        batchEvents,
                        new BatchCancels(batchLookup, cancellations, feed),
                        new BatchArchives(
                                batchLookup, objectStore, pipeline.objectStore().videosBucket(), clock)),
                new PeerLookupEndpoint(store),
                admission,
                new PeerLimitEndpoint(keyLimits),
                new OpsEndpoints(metrics, ready, this::status),
                metrics,
                config.apiAuth() == GatewayConfig.ApiAuth.KEYS ? new ApiKeyAuthentication(apiKeys) : null,
                new ApiKeys(apiKeys, new ApiKeyIssuer(), config.adminToken(), clock));
        app = GatewayApp.create(handlers).start(config.host(), port);
        streams.start();
        transactionGuard.start();
        log.info(
                "gateway listening on {}:{}, advertised as {}, public URL {}, API keys {}, admin endpoints {}",
                config.host(),
                app.port(),
                advertised,
                config.baseUrl(),
                config.apiAuth() == GatewayConfig.ApiAuth.KEYS ? "required" : "off (API_AUTH=none)",
                config.adminToken() == null ? "off (no ADMIN_TOKEN)" : "on");
        return this;
    }

    private Properties streamsProperties(HostInfo self) {
        // brokers and credentials; Streams passes them on to the clients it builds
        Properties p = pipeline.kafkaClientProperties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, GatewayConfig.APPLICATION_ID);
        p.put(StreamsConfig.CLIENT_ID_CONFIG, pipeline.instanceId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        p.put(
                StreamsConfig.STATE_DIR_CONFIG,
                pipeline.stateDir().resolve("streams").toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // a warm copy of the tables on another instance: when an instance crashes, lookups of its keys are answered
        // from the copy at once (JobStatusStore) instead of 503s until the group notices (the session timeout) and a
        // new owner restores the partitions from their changelogs; the new owner then starts from the copy too
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        // a standby copy is current only up to what the crashed owner committed: its partitions' new statuses wait
        // for the group to notice the crash and a new owner to take them, so notice as soon as the stages do (with
        // the client's 45 s, a gateway killed and restarted at the same address answered "cannot answer yet" for
        // its old partitions until about 40 s after the kill, holding back lookups and Idempotency-Key submissions
        // on the other gateway)
        StreamsSettings.noticeCrashesWithin(p, StreamsSettings.CRASH_NOTICED_WITHIN);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) pipeline.topicReplicationFactor());
        // a record nobody can read is the writer's problem (the stages send such records to the dead-letter
        // topic); the table skips it instead of stopping every lookup
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // the job watch's scan asks Kafka where the stages stand (up to 2 x 2 s) while a transaction may be open;
        // Streams' 10 s default left too little room before the broker aborts it and fences the gateway
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 30_000);
        return p;
    }

    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        KafkaStreams.State state = streams == null ? KafkaStreams.State.CREATED : streams.state();
        status.put("service", GatewayConfig.SERVICE_NAME);
        status.put("instanceId", pipeline.instanceId());
        status.put("isRunning", state.isRunningOrRebalancing());
        status.put("state", state.name());
        status.put("advertisedUrl", advertised == null ? null : advertised.toString());
        status.put("openEventStreams", events == null ? 0 : events.openStreams());
        status.put("openBatchEventStreams", batchEvents == null ? 0 : batchEvents.openStreams());
        status.put("maxEventStreams", config.sseMaxClients());
        status.put("recentSubmissions", recent == null ? 0 : recent.size());
        status.put(
                "ownedPartitions",
                ownedPartitions().stream().map(Object::toString).sorted().toList());
        status.put("transactions", transactionGuard == null ? Map.of() : transactionGuard.status());
        return status;
    }

    /** The partitions of the status table's input topics this instance works now. */
    private List<TopicPartition> ownedPartitions() {
        return streams == null
                ? List.of()
                : streams.metadataForLocalThreads().stream()
                        .flatMap(t -> t.activeTasks().stream())
                        .flatMap(t -> t.topicPartitions().stream())
                        .toList();
    }

    public int port() {
        return app.port();
    }

    public URI advertisedUrl() {
        return advertised;
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** Stops taking requests, lets accepted jobs commit, then leaves the Streams group and releases everything. */
    @Override
    public void close() {
        log.info("gateway stopping");
        closeQuietly(events); // event streams end first, so the HTTP server has nothing left to wait for
        closeQuietly(batchEvents);
        if (app != null) {
            app.stop();
        }
        closeQuietly(publisher);
        closeQuietly(webhookCommands);
        closeQuietly(cancellations);
        closeQuietly(apiKeys);
        if (streams != null) {
            // leave the group at once: until the others take over its partitions, lookups of its keys cannot be
            // answered (the default, staying until the session times out, means 45 s of 503s)
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
        closeQuietly(streamsMetrics);
        closeQuietly(transactionGuard);
        closeQuietly(queuePositions);
        closeQuietly(videoRemover);
        closeQuietly(feed);
        closeQuietly(apiKeyDirectory);
        log.info("gateway stopped");
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getByName("0.0.0.0".equals(host) ? "0.0.0.0" : host))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
