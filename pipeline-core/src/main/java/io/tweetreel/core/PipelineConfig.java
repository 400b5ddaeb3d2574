package io.tweetreel.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Settings every service shares, read from the environment. Service-specific settings live in the service's
 * own config record, read from the same {@link EnvConfig} so one validation reports everything.
 */
public record PipelineConfig(
        String serviceName,
        KafkaClientSettings kafka,
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

    public static final ConfigVariable SCHEMA_REGISTRY_URL = ConfigVariable.withDefault(
            "SCHEMA_REGISTRY_URL", "http://localhost:8081/apis/registry/v3", "Apicurio Registry core API");
    public static final ConfigVariable MAX_CONCURRENT_JOBS = ConfigVariable.withDefault(
            "MAX_CONCURRENT_JOBS", 2, "jobs one instance runs at once (= stream threads), 1–64");
    public static final ConfigVariable TOPIC_PARTITIONS = ConfigVariable.withDefault(
            "TOPIC_PARTITIONS", 6, "partitions of topics created at start-up (caps the instances of one stage)");
    public static final ConfigVariable TOPIC_REPLICATION_FACTOR =
            ConfigVariable.withDefault("TOPIC_REPLICATION_FACTOR", 1, "replication of topics created at start-up");
    public static final ConfigVariable OPS_HOST =
            ConfigVariable.withDefault("OPS_HOST", "0.0.0.0", "interface of the health, metrics and status endpoints");
    /** Its default differs per service: see {@link #variables(int)}. */
    private static final ConfigVariable OPS_PORT =
            ConfigVariable.derived("OPS_PORT", "the service's own", "port of the health, metrics and status endpoints");

    public static final ConfigVariable STATE_DIR = ConfigVariable.derived(
            "STATE_DIR", "$TMPDIR/tweetreel/<service>", "Kafka Streams state and temporary job files");
    public static final ConfigVariable JOB_TIMEOUT =
            ConfigVariable.withDefault("JOB_TIMEOUT", DEFAULT_JOB_TIMEOUT, "longest a job may take");
    public static final ConfigVariable RETRY_FOR = ConfigVariable.withDefault(
            "RETRY_FOR", Duration.ofSeconds(90), "how long transient failures are retried before a job fails");
    public static final ConfigVariable INSTANCE_ID =
            ConfigVariable.derived("INSTANCE_ID", "<service>-<pid>", "client id in Kafka and logs");
    /** Read by {@code logback.xml}, not by this class; declared here because every service has them. */
    public static final ConfigVariable LOG_FORMAT =
            ConfigVariable.withDefault("LOG_FORMAT", "text", "json for one JSON object per line");

    public static final ConfigVariable LOG_LEVEL =
            ConfigVariable.withDefault("LOG_LEVEL", "INFO", "level of the project's own loggers");
    /** The variables {@code logback.xml} reads. */
    public static final List<ConfigVariable> LOGGING = List.of(LOG_FORMAT, LOG_LEVEL);

    /** Every variable a service built on this config reads, with that service's default ops port. */
    public static List<ConfigVariable> variables(int defaultOpsPort) {
        return ConfigVariable.concat(
                KafkaClientSettings.VARIABLES,
                List.of(SCHEMA_REGISTRY_URL),
                ObjectStoreConfig.VARIABLES,
                List.of(
                        MAX_CONCURRENT_JOBS,
                        TOPIC_PARTITIONS,
                        TOPIC_REPLICATION_FACTOR,
                        OPS_HOST,
                        opsPort(defaultOpsPort),
                        STATE_DIR,
                        JOB_TIMEOUT,
                        RETRY_FOR,
                        INSTANCE_ID),
                LOGGING);
    }

    public static PipelineConfig read(EnvConfig env, String serviceName, int defaultOpsPort) {
        return new PipelineConfig(
                serviceName,
                KafkaClientSettings.read(env),
                env.httpUrl(SCHEMA_REGISTRY_URL),
                ObjectStoreConfig.read(env),
                env.integer(MAX_CONCURRENT_JOBS, 1, 64),
                env.integer(TOPIC_PARTITIONS, 1, 1000),
                (short) env.integer(TOPIC_REPLICATION_FACTOR, 1, 7),
                env.string(OPS_HOST),
                env.integer(opsPort(defaultOpsPort), 0, 65535),
                env.path(STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "tweetreel", serviceName)),
                env.duration(JOB_TIMEOUT, Duration.ofSeconds(10)),
                env.duration(RETRY_FOR, Duration.ZERO),
                env.string(
                        INSTANCE_ID, serviceName + "-" + ProcessHandle.current().pid()));
    }

    /**
     * The brokers and security settings as client properties, the start of every Kafka client's configuration.
     * Fresh on each call: add the client's own settings to it.
     */
    public Properties kafkaClientProperties() {
        return kafka.properties();
    }

    private static ConfigVariable opsPort(int defaultOpsPort) {
        return OPS_PORT.defaultingTo(String.valueOf(defaultOpsPort));
    }
}
