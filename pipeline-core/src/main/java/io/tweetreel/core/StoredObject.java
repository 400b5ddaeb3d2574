package io.tweetreel.core;

import java.time.Instant;
import java.util.Map;

/** What the object store knows of one object. User metadata keys are lower-case, without the x-amz-meta- prefix. */
public record StoredObject(
        String bucket,
        String key,
        long size,
        String etag,
        Instant lastModified,
        String contentType,
        Map<String, String> metadata) {}
