package io.tweetreel.core;

/** Where the S3-compatible object store is and which buckets the pipeline uses. */
public record ObjectStoreConfig(
        String endpoint, String accessKey, String secretKey, String region, String workBucket, String videosBucket) {

    public static ObjectStoreConfig read(EnvConfig env) {
        return new ObjectStoreConfig(
                env.httpUrl("S3_ENDPOINT", "http://localhost:9000"),
                env.string("S3_ACCESS_KEY", "minioadmin"),
                env.string("S3_SECRET_KEY", "minioadmin"),
                env.string("S3_REGION", "us-east-1"),
                env.string("S3_WORK_BUCKET", "tweetreel-work"),
                env.string("S3_VIDEOS_BUCKET", "tweetreel-videos"));
    }

    @Override
    public String toString() {
        // never log the secret
        return "ObjectStoreConfig[endpoint=" + endpoint + ", accessKey=" + accessKey + ", region=" + region
                + ", workBucket=" + workBucket + ", videosBucket=" + videosBucket + "]";
    }
}
