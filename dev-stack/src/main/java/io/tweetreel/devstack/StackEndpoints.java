package io.tweetreel.devstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the running dev stack's infrastructure can be reached.
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port}
 * @param registryUrl      Apicurio Registry core API v3 base URL; this is what the Apicurio serde wants as
 *                         {@code apicurio.registry.url}
 * @param ccompatUrl       the registry's Confluent-compatible API base URL ({@code .../apis/ccompat/v7})
 * @param s3Endpoint       S3 endpoint URL, path-style addressing
 * @param s3AccessKey      S3 access key
 * @param s3SecretKey      S3 secret key
 * @param s3Region         region to sign requests for
 * @param stateDir         the directory all persistent state lives under
 * @param kafkaSecurity    Kafka client security properties ({@code security.protocol}, {@code sasl.*}) a client
 *                         needs besides the address; empty when the broker takes PLAINTEXT
 * @param topicReplicationFactor how many copies of each topic the services create: the number of brokers
 */
public record StackEndpoints(
        String bootstrapServers,
        String registryUrl,
        String ccompatUrl,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Region,
        Path stateDir,
        Map<String, String> kafkaSecurity,
        int topicReplicationFactor) {

    public StackEndpoints {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(ccompatUrl, "ccompatUrl");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(s3AccessKey, "s3AccessKey");
        Objects.requireNonNull(s3SecretKey, "s3SecretKey");
        Objects.requireNonNull(s3Region, "s3Region");
        Objects.requireNonNull(stateDir, "stateDir");
        kafkaSecurity = Map.copyOf(kafkaSecurity);
        if (topicReplicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topicReplicationFactor must be at least 1, got " + topicReplicationFactor);
        }
    }

    /** Endpoints of a stack with one broker. */
    public StackEndpoints(
            String bootstrapServers,
            String registryUrl,
            String ccompatUrl,
            String s3Endpoint,
            String s3AccessKey,
            String s3SecretKey,
            String s3Region,
            Path stateDir,
            Map<String, String> kafkaSecurity) {
        this(
                bootstrapServers,
                registryUrl,
                ccompatUrl,
                s3Endpoint,
                s3AccessKey,
                s3SecretKey,
                s3Region,
                stateDir,
                kafkaSecurity,
                1);
    }

    /** Endpoints of a stack with one broker, which takes PLAINTEXT. */
    public StackEndpoints(
            String bootstrapServers,
            String registryUrl,
            String ccompatUrl,
            String s3Endpoint,
            String s3AccessKey,
            String s3SecretKey,
            String s3Region,
            Path stateDir) {
        this(
                bootstrapServers,
                registryUrl,
                ccompatUrl,
                s3Endpoint,
                s3AccessKey,
                s3SecretKey,
                s3Region,
                stateDir,
                Map.of());
    }

    /** The address and security settings a Kafka client of this stack starts from. */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>(kafkaSecurity);
        properties.put("bootstrap.servers", bootstrapServers);
        return properties;
    }

    /** The environment variables the pipeline services read, pointing at this stack. */
    public Map<String, String> asEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("SCHEMA_REGISTRY_URL", registryUrl);
        env.put("S3_ENDPOINT", s3Endpoint);
        env.put("S3_ACCESS_KEY", s3AccessKey);
        env.put("S3_SECRET_KEY", s3SecretKey);
        env.put("S3_REGION", s3Region);
        env.put("TOPIC_REPLICATION_FACTOR", Integer.toString(topicReplicationFactor));
        // security.protocol -> KAFKA_SECURITY_PROTOCOL, sasl.jaas.config -> KAFKA_SASL_JAAS_CONFIG, ...
        kafkaSecurity.forEach((property, value) ->
                env.put("KAFKA_" + property.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        return env;
    }

    @Override
    public String toString() {
        // keep the secrets (S3 key, Kafka login) out of logs and assertion messages
        return "StackEndpoints[bootstrapServers=" + bootstrapServers + ", registryUrl=" + registryUrl
                + ", ccompatUrl=" + ccompatUrl + ", s3Endpoint=" + s3Endpoint + ", s3AccessKey=" + s3AccessKey
                + ", s3Region=" + s3Region + ", stateDir=" + stateDir + ", kafkaSecurity="
                + kafkaSecurity.keySet() + ", topicReplicationFactor=" + topicReplicationFactor + "]";
    }
}
