package io.tweetreel.core;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The S3-compatible object store where the pipeline keeps its claim-checked payloads and the finished videos.
 * Failures are {@link ObjectStoreException}s; short blips are retried inside, longer outages are the caller's.
 */
public interface ObjectStore {
    void ensureBucket(String bucket);

    /** {@link #ensureBucket} at start-up, where a store that is down must not stop the service: false if it failed. */
    default boolean tryEnsureBucket(String bucket) {
        try {
            ensureBucket(bucket);
            return true;
        } catch (ObjectStoreException e) {
            return false;
        }
    }

    void put(String bucket, String key, Path file, String contentType, Map<String, String> metadata);

    /** Downloads an object to {@code target}, replacing it. */
    void download(String bucket, String key, Path target);

    /** Server-side copy with new metadata (the source's metadata is replaced). */
    void copy(
            String sourceBucket,
            String sourceKey,
            String bucket,
            String key,
            String contentType,
            String contentDisposition,
            Map<String, String> metadata);

    Optional<StoredObject> stat(String bucket, String key);

    void delete(String bucket, String key);

    /** Deletes every object under {@code prefix}, all at once ({@link ConcurrentCalls}); none there is fine. */
    default void deletePrefix(String bucket, String prefix) {
        ConcurrentCalls.eachAtOnce(list(bucket, prefix), object -> {
            delete(bucket, object.key());
            return object;
        });
    }

    /** Objects under {@code prefix} (metadata not included: {@link #stat} each when needed). */
    List<StoredObject> list(String bucket, String prefix);

    /** Reads {@code length} bytes from {@code offset} (null length: to the end). The caller closes the stream. */
    InputStream read(String bucket, String key, long offset, Long length);

    /**
     * Asks the server to expire objects after {@code days}; false when the server does not support lifecycle
     * rules (S3Proxy answers 501).
     */
    boolean setExpiration(String bucket, int days);

    /** True when the server answers. */
    boolean isReachable();
}
