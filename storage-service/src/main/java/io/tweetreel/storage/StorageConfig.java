package io.tweetreel.storage;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import java.time.Duration;

/**
 * Settings of the storage service.
 *
 * @param filenameSecret key of the HMAC that makes filenames unguessable; from the environment only, required
 * @param baseUrl        public base URL of the gateway, for download links
 * @param ttl            how long a video stays downloadable
 * @param sweepInterval  how often expired videos are deleted
 */
public record StorageConfig(PipelineConfig pipeline, String filenameSecret, String baseUrl, Duration ttl,
                            Duration sweepInterval) {
    public static final int DEFAULT_OPS_PORT = 3103;

    public static StorageConfig read(EnvConfig env) {
        PipelineConfig pipeline = PipelineConfig.read(env, "storage-service", DEFAULT_OPS_PORT);
        String secret = env.required("FILENAME_SECRET",
                "a random secret of at least 16 characters that keys download filenames (e.g. openssl rand -hex 32)");
        if (secret != null && secret.length() < 16) {
            env.problem("FILENAME_SECRET is too short: use at least 16 characters");
        }
        StorageConfig config = new StorageConfig(pipeline, secret,
                env.httpUrl("BASE_URL", "http://localhost:3000"),
                Duration.ofHours(env.integer("STORAGE_TTL_HOURS", 24, 1, 24 * 365)),
                env.duration("STORAGE_SWEEP_INTERVAL", Duration.ofMinutes(10), Duration.ofSeconds(1)));
        env.validate();
        return config;
    }

    @Override
    public String toString() {
        return "StorageConfig[baseUrl=" + baseUrl + ", ttl=" + ttl + ", sweepInterval=" + sweepInterval + "]";
    }
}
