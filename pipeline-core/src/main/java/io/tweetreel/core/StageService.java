package io.tweetreel.core;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tweetreel.schemas.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage: creates its topics, starts its Kafka Streams topology (exactly-once, one thread per
 * concurrent job) and its ops endpoints, and stops them in order. A stage supplies only its
 * {@link StageDefinition}, its {@link StageWork} and the resources that work uses.
 */
public final class StageService<I, O> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StageService.class);

    private final PipelineConfig config;
    private final StageDefinition<I, O> stage;
    private final StageWork<I, O> work;
    private final Map<String, BooleanSupplier> readinessChecks;
    private final List<AutoCloseable> resources;
    private final PrometheusMeterRegistry metrics;
    private final JobTracker tracker;
    private KafkaStatusEmitter emitter;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private HangingTransactionGuard transactionGuard;
    private OpsServer ops;

    /**
     * @param readinessChecks besides Kafka Streams RUNNING, what must answer for the stage to be ready
     * @param resources       closed after the stream stops, in order (browsers, clients)
     */
    public StageService(PipelineConfig config, Function<Topics, StageDefinition<I, O>> stage, StageWork<I, O> work,
                        Map<String, BooleanSupplier> readinessChecks, List<AutoCloseable> resources) {
        this.config = config;
        this.stage = stage.apply(Topics.withRegistry(config.schemaRegistryUrl()));
        this.work = work;
        this.readinessChecks = readinessChecks;
        this.resources = resources;
        this.metrics = Metrics.prometheus(config.serviceName());
        this.tracker = new JobTracker(this.stage.name(), metrics);
    }

    public StageService<I, O> start() {
        TopicProvisioner.ensureTopics(config.bootstrapServers(), config.topicPartitions(),
                config.topicReplicationFactor());
        emitter = new KafkaStatusEmitter(config.bootstrapServers(), stage.status(), config.instanceId());
        StageRuntime runtime = new StageRuntime(emitter, tracker, RetrySettings.forDuration(config.retryFor()),
                Clock.systemUTC());
        streams = new KafkaStreams(StageTopology.build(stage, work, runtime),
                StreamsSettings.forStage(config, "tweetreel-" + stage.name()));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread died, replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> log.info("streams {} -> {}", before, now));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        streams.start();
        transactionGuard = HangingTransactionGuard.forService(config, this::inputPartitions, metrics).start();

        Map<String, BooleanSupplier> checks = new LinkedHashMap<>(readinessChecks);
        checks.put("kafka-streams", () -> streams.state() == KafkaStreams.State.RUNNING);
        checks.put("input-partitions", transactionGuard::isHealthy);
        ops = OpsServer.start(config.opsHost(), config.opsPort(), new OpsEndpoints(metrics, checks, this::status));
        log.info("{} started: {} concurrent jobs, ops on port {}", config.serviceName(),
                config.maxConcurrentJobs(), ops.port());
        return this;
    }

    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("service", config.serviceName());
        status.put("instanceId", config.instanceId());
        status.put("isRunning", streams != null && streams.state().isRunningOrRebalancing());
        status.put("state", streams == null ? "NOT_STARTED" : streams.state().name());
        status.put("currentJobCount", tracker.currentJobCount());
        List<Map<String, Object>> jobs = new ArrayList<>();
        tracker.processingJobs().forEach((id, since) -> jobs.add(Map.of("jobId", id, "since", since)));
        status.put("processingJobs", jobs);
        status.put("maxConcurrentJobs", config.maxConcurrentJobs());
        status.put("assignedPartitions", inputPartitions().stream().map(Object::toString).sorted().toList());
        status.put("transactions", transactionGuard == null ? Map.of() : transactionGuard.status());
        return status;
    }

    /** The partitions of the input topic this instance works now. */
    private List<TopicPartition> inputPartitions() {
        return streams == null ? List.of() : streams.metadataForLocalThreads().stream()
                .flatMap(t -> t.activeTasks().stream()).flatMap(t -> t.topicPartitions().stream()).toList();
    }

    public int opsPort() {
        return ops.port();
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    public JobTracker tracker() {
        return tracker;
    }

    /** Stops taking jobs, lets the ones in hand finish and commit, then releases everything. */
    @Override
    public void close() {
        log.info("{} stopping", config.serviceName());
        if (streams != null) {
            streams.close(config.jobTimeout().plus(config.retryFor()));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (transactionGuard != null) {
            transactionGuard.close();
        }
        if (emitter != null) {
            emitter.close();
        }
        if (ops != null) {
            ops.close();
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resource, e.toString());
            }
        }
        log.info("{} stopped", config.serviceName());
    }
}
