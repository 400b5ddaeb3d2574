package io.tweetreel.core;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.Directive;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SetBucketLifecycleArgs;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Expiration;
import io.minio.messages.Item;
import io.minio.messages.LifecycleConfiguration;
import io.minio.messages.LifecycleRule;
import io.minio.messages.RuleFilter;
import io.minio.messages.Status;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/** {@link ObjectStore} on the MinIO Java SDK; works with any S3 server (MinIO, S3Proxy, AWS). */
public final class MinioObjectStore implements ObjectStore {
    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject", "NoSuchBucket");

    private final MinioClient client;
    private final String endpoint;
    private final RetryPolicy<Object> retry;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();

    public MinioObjectStore(ObjectStoreConfig config) {
        this(config, new RetrySettings(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    }

    public MinioObjectStore(ObjectStoreConfig config, RetrySettings retry) {
        this.endpoint = config.endpoint();
        // bounded timeouts: a dead server must fail a call, not hang a stage thread
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS)
                .writeTimeout(60, TimeUnit.SECONDS)
                .retryOnConnectionFailure(true)
                .build();
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .httpClient(http)
                .build();
        this.retry = retry.policyBuilder()
                .abortOn(ObjectStoreException.ObjectNotFoundException.class)
                .abortOn(UnsupportedOperationException.class)
                .build();
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, Call<T> call) {
        try {
            return Failsafe.with(retry).get(() -> {
                try {
                    return call.run();
                } catch (ErrorResponseException e) {
                    String code =
                            e.errorResponse() == null ? "" : e.errorResponse().code();
                    if (NOT_FOUND.contains(code) || e.response().code() == 404) {
                        throw new ObjectStoreException.ObjectNotFoundException(
                                e.errorResponse() == null
                                        ? "?"
                                        : e.errorResponse().bucketName(),
                                e.errorResponse() == null
                                        ? "?"
                                        : e.errorResponse().objectName());
                    }
                    if (e.response().code() == 501) {
                        throw new UnsupportedOperationException(code);
                    }
                    throw e;
                }
            });
        } catch (FailsafeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ObjectStoreException(what + " failed at " + endpoint + ": " + message(cause), cause);
        } catch (ObjectStoreException | UnsupportedOperationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ObjectStoreException(what + " failed at " + endpoint + ": " + message(e), e);
        }
    }

    private static String message(Throwable e) {
        if (e instanceof ErrorResponseException er && er.errorResponse() != null) {
            return er.errorResponse().code() + " " + er.errorResponse().message();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void ensureBucket(String bucket) {
        if (knownBuckets.contains(bucket)) {
            return;
        }
        call("create bucket " + bucket, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                } catch (ErrorResponseException e) {
                    String code =
                            e.errorResponse() == null ? "" : e.errorResponse().code();
                    if (!code.startsWith("BucketAlready")) {
                        throw e; // another instance won the race: fine
                    }
                }
            }
            return null;
        });
        knownBuckets.add(bucket);
    }

    @Override
    public void put(String bucket, String key, Path file, String contentType, Map<String, String> metadata) {
        call(
                "upload " + key,
                () -> client.uploadObject(UploadObjectArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .filename(file.toString())
                        .contentType(contentType)
                        .userMetadata(metadata)
                        .build()));
    }

    @Override
    public void download(String bucket, String key, Path target) {
        call("download " + key, () -> {
            Files.deleteIfExists(target);
            client.downloadObject(DownloadObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .filename(target.toString())
                    .overwrite(true)
                    .build());
            return null;
        });
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
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", contentType);
        if (contentDisposition != null) {
            headers.put("Content-Disposition", contentDisposition);
        }
        call(
                "copy " + sourceKey + " to " + bucket + "/" + key,
                () -> client.copyObject(CopyObjectArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .source(CopySource.builder()
                                .bucket(sourceBucket)
                                .object(sourceKey)
                                .build())
                        .headers(headers)
                        .userMetadata(metadata)
                        .metadataDirective(Directive.REPLACE)
                        .build()));
    }

    @Override
    public Optional<StoredObject> stat(String bucket, String key) {
        try {
            return Optional.of(call("stat " + key, () -> {
                var s = client.statObject(
                        StatObjectArgs.builder().bucket(bucket).object(key).build());
                Map<String, String> meta = new HashMap<>();
                s.userMetadata().forEach((k, v) -> meta.put(k.toLowerCase(Locale.ROOT), v));
                return new StoredObject(
                        bucket,
                        key,
                        s.size(),
                        stripQuotes(s.etag()),
                        s.lastModified() == null ? null : s.lastModified().toInstant(),
                        s.contentType(),
                        Map.copyOf(meta));
            }));
        } catch (ObjectStoreException.ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String bucket, String key) {
        call("delete " + key, () -> {
            client.removeObject(
                    RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    @Override
    public List<StoredObject> list(String bucket, String prefix) {
        return call("list " + bucket + "/" + prefix, () -> {
            List<StoredObject> objects = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .recursive(true)
                    .build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    Instant modified = item.lastModified() == null
                            ? null
                            : item.lastModified().toInstant();
                    objects.add(new StoredObject(
                            bucket,
                            item.objectName(),
                            item.size(),
                            stripQuotes(item.etag()),
                            modified,
                            null,
                            Map.of()));
                }
            }
            return objects;
        });
    }

    @Override
    public InputStream read(String bucket, String key, long offset, Long length) {
        return call("read " + key, () -> {
            var args = GetObjectArgs.builder().bucket(bucket).object(key).offset(offset);
            if (length != null) {
                args.length(length);
            }
            return client.getObject(args.build());
        });
    }

    @Override
    public boolean setExpiration(String bucket, int days) {
        try {
            call("set lifecycle of " + bucket, () -> {
                LifecycleRule rule = new LifecycleRule(
                        Status.ENABLED,
                        null,
                        new Expiration((java.time.ZonedDateTime) null, days, null),
                        new RuleFilter(""),
                        "expire-videos",
                        null,
                        null,
                        null);
                client.setBucketLifecycle(SetBucketLifecycleArgs.builder()
                        .bucket(bucket)
                        .config(new LifecycleConfiguration(List.of(rule)))
                        .build());
                return null;
            });
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public boolean isReachable() {
        try {
            client.listBuckets();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String stripQuotes(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }
}
