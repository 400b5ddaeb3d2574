package io.tweetreel.core;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tweetreel.schemas.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
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
    private final WorkObjects workObjects;
    private final Map<String, BooleanSupplier> readinessChecks;
    private final List<AutoCloseable> resources;
    private final PrometheusMeterRegistry metrics;
    private final JobTracker tracker;
    private KafkaStatusEmitter emitter;
    private ServiceStreams running;

    /**
     * @param workObjects     where the work keeps a job's objects, deleted when the job is canceled
     * @param readinessChecks besides Kafka Streams RUNNING, what must answer for the stage to be ready
     * @param resources       closed after the stream stops, in order (browsers, clients)
     */
    public StageService(
            PipelineConfig config,
            Function<Topics, StageDefinition<I, O>> stage,
            StageWork<I, O> work,
            WorkObjects workObjects,
            Map<String, BooleanSupplier> readinessChecks,
            List<AutoCloseable> resources) {
        this.config = config;
        this.stage = stage.apply(Topics.withRegistry(config.schemaRegistryUrl()));
        this.work = work;
        this.workObjects = workObjects;
        this.readinessChecks = readinessChecks;
        this.resources = resources;
        this.metrics = Metrics.prometheus(config.serviceName());
        this.tracker = new JobTracker(this.stage.name(), metrics);
    }

    public StageService<I, O> start() {
        TopicProvisioner.ensureTopics(config.kafka(), config.topicPartitions(), config.topicReplicationFactor());
        emitter = new KafkaStatusEmitter(config.kafka(), stage.status(), config.instanceId());
        StageRuntime runtime = new StageRuntime(
                emitter,
                tracker,
                RetrySettings.forDuration(config.retryFor()),
                Clock.systemUTC(),
                new JobCancellations(),
                workObjects);
        running = new ServiceStreams(
                config,
                StageTopology.build(stage, work, runtime),
                StreamsSettings.forStage(config, "tweetreel-" + stage.name()),
                metrics,
                readinessChecks,
                this::status);
        log.info(
                "{} started: {} concurrent jobs, ops on port {}",
                config.serviceName(),
                config.maxConcurrentJobs(),
                running.opsPort());
        return this;
    }

    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("service", config.serviceName());
        status.put("instanceId", config.instanceId());
        ServiceStreams.describe(running, status);
        status.put("currentJobCount", tracker.currentJobCount());
        List<Map<String, Object>> jobs = new ArrayList<>();
        tracker.processingJobs().forEach((id, since) -> jobs.add(Map.of("jobId", id, "since", since)));
        status.put("processingJobs", jobs);
        status.put("maxConcurrentJobs", config.maxConcurrentJobs());
        ServiceStreams.describePartitions(running, status);
        return status;
    }

    public int opsPort() {
        return running.opsPort();
    }

    public KafkaStreams.State state() {
        return running == null ? KafkaStreams.State.CREATED : running.state();
    }

    public JobTracker tracker() {
        return tracker;
    }

    /** Stops taking jobs, lets the ones in hand finish and commit, then releases everything. */
    @Override
    public void close() {
        log.info("{} stopping", config.serviceName());
        if (running != null) {
            running.close(config.jobTimeout().plus(config.retryFor()));
        }
        if (emitter != null) {
            emitter.close();
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
