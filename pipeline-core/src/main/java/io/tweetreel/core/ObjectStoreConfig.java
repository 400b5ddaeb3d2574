package io.tweetreel.core;

import java.util.List;

/** Where the S3-compatible object store is and which buckets the pipeline uses. */
public record ObjectStoreConfig(
        String endpoint, String accessKey, String secretKey, String region, String workBucket, String videosBucket) {

    public static final ConfigVariable S3_ENDPOINT =
            ConfigVariable.withDefault("S3_ENDPOINT", "http://localhost:9000", "S3-compatible object store");
    public static final ConfigVariable S3_ACCESS_KEY =
            ConfigVariable.withDefault("S3_ACCESS_KEY", "minioadmin", "object store access key");
    public static final ConfigVariable S3_SECRET_KEY =
            ConfigVariable.withDefault("S3_SECRET_KEY", "minioadmin", "object store secret key");
    public static final ConfigVariable S3_REGION =
            ConfigVariable.withDefault("S3_REGION", "us-east-1", "signing region");
    public static final ConfigVariable S3_WORK_BUCKET = ConfigVariable.withDefault(
            "S3_WORK_BUCKET", "tweetreel-work", "claim-checked PNGs and MP4s (jobs/{jobId}/...)");
    public static final ConfigVariable S3_VIDEOS_BUCKET =
            ConfigVariable.withDefault("S3_VIDEOS_BUCKET", "tweetreel-videos", "finished videos");
    public static final List<ConfigVariable> VARIABLES =
            List.of(S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, S3_WORK_BUCKET, S3_VIDEOS_BUCKET);

    public static ObjectStoreConfig read(EnvConfig env) {
        return new ObjectStoreConfig(
                env.httpUrl(S3_ENDPOINT),
                env.string(S3_ACCESS_KEY),
                env.string(S3_SECRET_KEY),
                env.string(S3_REGION),
                env.string(S3_WORK_BUCKET),
                env.string(S3_VIDEOS_BUCKET));
    }

    @Override
    public String toString() {
        // never log the secret
        return "ObjectStoreConfig[endpoint=" + endpoint + ", accessKey=" + accessKey + ", region=" + region
                + ", workBucket=" + workBucket + ", videosBucket=" + videosBucket + "]";
    }
}
