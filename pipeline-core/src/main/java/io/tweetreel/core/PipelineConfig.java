package io.tweetreel.core;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings every service shares, read from the environment. Service-specific settings live in the service's
 * own config record, read from the same {@link EnvConfig} so one validation reports everything.
 */
public record PipelineConfig(
        String serviceName,
        String bootstrapServers,
        String schemaRegistryUrl,
        ObjectStoreConfig objectStore,
        int maxConcurrentJobs,
        int topicPartitions,
        short topicReplicationFactor,
        String opsHost,
        int opsPort,
        Path stateDir,
        Duration jobTimeout,
        Duration retryFor,
        String instanceId) {

    /** Longest a job may take; Kafka transaction and poll timeouts are set above it. */
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(5);

    public static PipelineConfig read(EnvConfig env, String serviceName, int defaultOpsPort) {
        return new PipelineConfig(
                serviceName,
                env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.httpUrl("SCHEMA_REGISTRY_URL", "http://localhost:8081/apis/registry/v3"),
                ObjectStoreConfig.read(env),
                env.integer("MAX_CONCURRENT_JOBS", 2, 1, 64),
                env.integer("TOPIC_PARTITIONS", 6, 1, 1000),
                (short) env.integer("TOPIC_REPLICATION_FACTOR", 1, 1, 7),
                env.string("OPS_HOST", "0.0.0.0"),
                env.integer("OPS_PORT", defaultOpsPort, 0, 65535),
                env.path("STATE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "tweetreel", serviceName)),
                env.duration("JOB_TIMEOUT", DEFAULT_JOB_TIMEOUT, Duration.ofSeconds(10)),
                env.duration("RETRY_FOR", Duration.ofSeconds(90), Duration.ZERO),
                env.string("INSTANCE_ID", serviceName + "-" + ProcessHandle.current().pid()));
    }
}
