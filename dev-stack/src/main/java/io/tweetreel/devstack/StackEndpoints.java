package io.tweetreel.devstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 */
public record StackEndpoints(
        String bootstrapServers,
        String registryUrl,
        String ccompatUrl,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Region,
        Path stateDir) {

    public StackEndpoints {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(ccompatUrl, "ccompatUrl");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(s3AccessKey, "s3AccessKey");
        Objects.requireNonNull(s3SecretKey, "s3SecretKey");
        Objects.requireNonNull(s3Region, "s3Region");
        Objects.requireNonNull(stateDir, "stateDir");
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
        return env;
    }

    @Override
    public String toString() {
        // keep the secret out of logs and assertion messages
        return "StackEndpoints[bootstrapServers=" + bootstrapServers + ", registryUrl=" + registryUrl
                + ", ccompatUrl=" + ccompatUrl + ", s3Endpoint=" + s3Endpoint + ", s3AccessKey=" + s3AccessKey
                + ", s3Region=" + s3Region + ", stateDir=" + stateDir + "]";
    }
}
