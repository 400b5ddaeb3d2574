package io.tweetreel.composer;

import io.tweetreel.core.ObjectStore;
import io.tweetreel.core.ObjectStoreException;
import io.tweetreel.core.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of an object store the composer's work uses (put and download), on a folder: tests of {@link ReelComposing}
 * without an S3 server. Objects are files at {@code root/bucket/key}.
 */
final class FolderObjectStore implements ObjectStore {
    private final Path root;

    FolderObjectStore(Path root) {
        this.root = root;
    }

    Path file(String bucket, String key) {
        return root.resolve(bucket).resolve(key);
    }

    @Override
    public void ensureBucket(String bucket) {
        try {
            Files.createDirectories(root.resolve(bucket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void put(String bucket, String key, Path file, String contentType, Map<String, String> metadata) {
        try {
            Path target = file(bucket, key);
            Files.createDirectories(target.getParent());
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void download(String bucket, String key, Path target) {
        Path source = file(bucket, key);
        if (!Files.isRegularFile(source)) {
            throw new ObjectStoreException.ObjectNotFoundException(bucket, key);
        }
        try {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        throw new UnsupportedOperationException("not used by the composer");
    }

    @Override
    public Optional<StoredObject> stat(String bucket, String key) {
        throw new UnsupportedOperationException("not used by the composer");
    }

    @Override
    public void delete(String bucket, String key) {
        throw new UnsupportedOperationException("not used by the composer");
    }

    @Override
    public List<StoredObject> list(String bucket, String prefix) {
        throw new UnsupportedOperationException("not used by the composer");
    }

    @Override
    public InputStream read(String bucket, String key, long offset, Long length) {
        throw new UnsupportedOperationException("not used by the composer");
    }

    @Override
    public boolean setExpiration(String bucket, int days) {
        return false;
    }

    @Override
    public boolean isReachable() {
        return true;
    }
}
