package io.tweetreel.storage;

import io.tweetreel.core.ConfigVariable;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.PipelineConfig;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the storage service.
 *
 * @param filenameSecret key of the HMAC that makes filenames unguessable; from the environment only, required
 * @param baseUrl        public base URL of the gateway, for download links
 * @param ttl            how long a video stays downloadable
 * @param sweepInterval  how often expired videos are deleted
 */
public record StorageConfig(
        PipelineConfig pipeline, String filenameSecret, String baseUrl, Duration ttl, Duration sweepInterval) {
    public static final int DEFAULT_OPS_PORT = 3103;

    public static final ConfigVariable FILENAME_SECRET = ConfigVariable.required(
            "FILENAME_SECRET",
            "HMAC key of download filenames, a random secret of at least 16 characters (e.g. openssl rand -hex 32)");
    public static final ConfigVariable BASE_URL = ConfigVariable.withDefault(
            "BASE_URL", "http://localhost:3000", "public URL of the gateway, for download links");
    public static final ConfigVariable STORAGE_TTL_HOURS =
            ConfigVariable.withDefault("STORAGE_TTL_HOURS", 24, "how long a video can be downloaded");
    public static final ConfigVariable STORAGE_SWEEP_INTERVAL = ConfigVariable.withDefault(
            "STORAGE_SWEEP_INTERVAL", Duration.ofMinutes(10), "how often expired videos are deleted");
    /** Every variable the storage service reads. */
    public static final List<ConfigVariable> VARIABLES = ConfigVariable.concat(
            PipelineConfig.variables(DEFAULT_OPS_PORT),
            List.of(FILENAME_SECRET, BASE_URL, STORAGE_TTL_HOURS, STORAGE_SWEEP_INTERVAL));

    public static StorageConfig read(EnvConfig env) {
        PipelineConfig pipeline = PipelineConfig.read(env, "storage-service", DEFAULT_OPS_PORT);
        String secret = env.required(FILENAME_SECRET);
        if (secret != null && secret.length() < 16) {
            env.problem("FILENAME_SECRET is too short: use at least 16 characters");
        }
        StorageConfig config = new StorageConfig(
                pipeline,
                secret,
                env.httpUrl(BASE_URL),
                Duration.ofHours(env.integer(STORAGE_TTL_HOURS, 1, 24 * 365)),
                env.duration(STORAGE_SWEEP_INTERVAL, Duration.ofSeconds(1)));
        env.validate();
        return config;
    }

    @Override
    public String toString() {
        return "StorageConfig[baseUrl=" + baseUrl + ", ttl=" + ttl + ", sweepInterval=" + sweepInterval + "]";
    }
}
