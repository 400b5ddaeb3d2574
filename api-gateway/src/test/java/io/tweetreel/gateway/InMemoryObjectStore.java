package io.tweetreel.gateway;

import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link ObjectStore} in memory for handler tests; counts calls so tests can prove it was not touched. */
final class InMemoryObjectStore implements ObjectStore {
    private record Entry(byte[] bytes, Map<String, String> metadata, String etag, Instant modified) {}

    private final Map<String, Entry> objects = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    /** true: every call fails as it does while the server is down */
    volatile boolean down;

    void putBytes(String bucket, String key, byte[] bytes, Map<String, String> metadata) {
        String etag = HexFormat.of()
                .formatHex(Arrays.copyOf(
                        Integer.toHexString(Arrays.hashCode(bytes)).getBytes(), 16));
        objects.put(
                bucket + "/" + key,
                new Entry(bytes, Map.copyOf(metadata), etag, Instant.parse("2026-11-28T10:00:00Z")));
    }

    void clear() {
        objects.clear();
        calls.set(0);
        down = false;
    }

    boolean contains(String bucket, String key) {
        return objects.containsKey(bucket + "/" + key);
    }

    private void failIfDown() {
        if (down) {
            throw new ObjectStoreException("object store down", new java.net.ConnectException("refused"));
        }
    }

    @Override
    public Optional<StoredObject> stat(String bucket, String key) {
        calls.incrementAndGet();
        failIfDown();
        Entry e = objects.get(bucket + "/" + key);
        return e == null
                ? Optional.empty()
                : Optional.of(new StoredObject(
                        bucket, key, e.bytes().length, e.etag(), e.modified(), "video/mp4", e.metadata()));
    }

    @Override
    public InputStream read(String bucket, String key, long offset, Long length) {
        calls.incrementAndGet();
        Entry e = objects.get(bucket + "/" + key);
        if (e == null) {
            throw new ObjectStoreException.ObjectNotFoundException(bucket, key);
        }
        int end = length == null ? e.bytes().length : (int) Math.min(e.bytes().length, offset + length);
        return new ByteArrayInputStream(Arrays.copyOfRange(e.bytes(), (int) offset, end));
    }

    @Override
    public boolean isReachable() {
        return true;
    }

    @Override
    public void ensureBucket(String bucket) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void put(String bucket, String key, Path file, String contentType, Map<String, String> metadata) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void download(String bucket, String key, Path target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void copy(
            String sourceBucket,
            String sourceKey,
            String bucket,
            String key,
            String contentType,
            String contentDisposition,
            Map<String, String> metadata) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String bucket, String key) {
        calls.incrementAndGet();
        failIfDown();
        objects.remove(bucket + "/" + key);
    }

    @Override
    public List<StoredObject> list(String bucket, String prefix) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean setExpiration(String bucket, int days) {
        return false;
    }
}
