package io.tweetreel.notifier;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tweetreel.core.ApiKeyDirectory;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.Metrics;
import io.tweetreel.core.PipelineConfig;
import io.tweetreel.core.ServiceLauncher;
import io.tweetreel.core.ServiceStreams;
import io.tweetreel.core.StreamsSettings;
import io.tweetreel.core.TopicProvisioner;
import io.tweetreel.core.http.SafeHttpClient;
import io.tweetreel.schemas.ApiKey;
import io.tweetreel.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier stage: sends signed webhooks when jobs end ({@link NotifierTopology}, {@link WebhookSender}), with
 * the ops endpoints every service has ({@link ServiceStreams}). It has no input-to-output job like the other
 * stages, so it does not use StageService.
 */
public final class NotifierService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotifierService.class);
    /**
     * Checks for due attempts and applies finished ones this often. It bounds the delay of a retry, and the pace of
     * a burst to one endpoint: a freed slot is refilled on the next tick (4 slots per 200 ms capped one receiver at
     * 20 webhooks a second; 50 ms allows 80). The first attempt of an event goes out at once.
     */
    static final Duration TICK = Duration.ofMillis(50);
    /** How long a finished event is kept for redelivery, as long as the status topic keeps the job. */
    static final Duration RETENTION = Duration.ofDays(7);

    private final NotifierConfig config;
    private final PipelineConfig pipeline;
    private final Topics topics;
    private final PrometheusMeterRegistry metrics;
    private final WebhookSender sender;
    /** API keys: the events of a key's jobs are signed with that key's webhook secret. */
    private final ApiKeyDirectory keys;

    private ServiceStreams running;

    public NotifierService(NotifierConfig config) {
        this.config = config;
        this.pipeline = config.pipeline();
        this.topics = Topics.withRegistry(pipeline.schemaRegistryUrl());
        this.metrics = Metrics.prometheus(pipeline.serviceName());
        SafeHttpClient http = SafeHttpClient.builder()
                .addressPolicy(config.addressPolicy())
                .timeout(config.timeout())
                // receivers answer with a status; a body this large is not an acknowledgement worth reading
                .maxBytes(1024 * 1024)
                .build();
        this.keys = new ApiKeyDirectory(pipeline.kafka(), topics.apiKeys(), pipeline.instanceId());
        this.sender = new WebhookSender(
                http,
                config.secret(),
                keyId -> keys.byId(keyId).map(ApiKey::getWebhookSecret).map(WebhookSecret::parse),
                config.maxInFlight(),
                config.maxInFlightPerEndpoint(),
                Clock.systemUTC());
        metrics.gauge("tweetreel.webhook.in.flight", sender, WebhookSender::inFlight);
    }

    public NotifierService start() {
        TopicProvisioner.ensureTopics(pipeline.kafka(), pipeline.topicPartitions(), pipeline.topicReplicationFactor());
        try {
            // before the first event goes out, so none is signed with the default secret for want of its key
            keys.start(Duration.ofSeconds(60));
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading API keys", e);
        }
        var settings = new NotifierTopology.Settings(
                config.retrySchedule(), config.timeout().plus(Duration.ofSeconds(30)), RETENTION, TICK);
        Properties props = StreamsSettings.forStage(pipeline, "tweetreel-notifier");
        // Stages take one record per poll because each is a long job; the notifier's records take microseconds
        // (sending happens off the stream thread), so it takes them in batches.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 500);
        // an idle stream thread polls this long before it punctuates again: no longer than a tick
        props.put(StreamsConfig.POLL_MS_CONFIG, TICK.toMillis());
        running = new ServiceStreams(
                pipeline,
                NotifierTopology.build(topics, sender, settings, Clock.systemUTC(), metrics),
                props,
                metrics,
                Map.of(),
                this::status);
        log.info("{} started: {}, ops on port {}", pipeline.serviceName(), config, running.opsPort());
        return this;
    }

    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("service", pipeline.serviceName());
        status.put("instanceId", pipeline.instanceId());
        ServiceStreams.describe(running, status);
        status.put("currentJobCount", sender.inFlight());
        status.put("processingJobs", sender.inFlightJobs());
        status.put("maxConcurrentJobs", sender.maxInFlight());
        status.put("maxInFlightPerEndpoint", sender.maxInFlightPerEndpoint());
        status.put(
                "retrySchedule",
                config.retrySchedule().stream().map(Duration::toString).toList());
        ServiceStreams.describePartitions(running, status);
        return status;
    }

    public int opsPort() {
        return running.opsPort();
    }

    public KafkaStreams.State state() {
        return running == null ? KafkaStreams.State.CREATED : running.state();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * Stops handing out attempts, lets the running ones finish and their results be applied and committed, then
     * stops the stream: an attempt cut off here would be made again after the restart (same webhook-id).
     */
    @Override
    public void close() {
        log.info("{} stopping", pipeline.serviceName());
        try {
            if (sender.stopAndAwaitIdle(config.timeout().plusSeconds(1))) {
                // two ticks to apply the last results, then a commit interval to commit them
                Thread.sleep(TICK.multipliedBy(2).plusMillis(200).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running != null) {
            running.close(Duration.ofSeconds(30));
        }
        sender.close();
        keys.close();
        log.info("{} stopped", pipeline.serviceName());
    }

    public static void main(String[] args) {
        ServiceLauncher.run(
                "notifier-service", () -> new NotifierService(NotifierConfig.read(EnvConfig.fromSystem())).start());
    }
}
