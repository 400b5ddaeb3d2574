package io.tweetreel.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tweetreel.core.Json;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.VideoBatch;
import io.tweetreel.schemas.VideoRequested;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the gateway keeps of a batch ({@link BatchTable#STORE}): its items' job ids in item order, its metadata,
 * whether it has a webhook, when it was accepted, its fingerprint (null for a batch written to Kafka by another
 * client), which tells an idempotent retry from a reused Idempotency-Key, and the id of the API key that created it
 * (null without keys; absent in summaries stored before keys existed, which read as null). Stored and forwarded as
 * JSON, so a forwarded lookup brings the owner along and the asking instance checks it.
 */
public record BatchSummary(
        List<String> jobIds,
        Map<String, String> metadata,
        boolean hasWebhook,
        Instant createdAt,
        String fingerprint,
        String keyId) {
    public BatchSummary {
        jobIds = List.copyOf(jobIds);
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    public static BatchSummary of(VideoBatch batch, String fingerprint) {
        return new BatchSummary(
                batch.getJobIds(),
                batch.getMetadata(),
                RequestRules.webhookUrl(batch.getWebhookUrl()) != null,
                batch.getCreatedAt(),
                fingerprint,
                batch.getKeyId());
    }

    /**
     * SHA-256 over what a client sent: the batch's webhook URL and metadata (sorted by key) and each item's
     * {@link RequestFingerprint} in order. Length-prefixed parts, so no two different batches run together into
     * the same bytes.
     */
    public static String fingerprint(String webhookUrl, Map<String, String> metadata, List<VideoRequested> items) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            part(digest, webhookUrl == null ? "" : webhookUrl);
            Map<String, String> sorted = new TreeMap<>(metadata == null ? Map.of() : metadata);
            part(digest, Integer.toString(sorted.size()));
            sorted.forEach((key, value) -> {
                part(digest, key);
                part(digest, value);
            });
            part(digest, Integer.toString(items.size()));
            for (VideoRequested item : items) {
                part(digest, RequestFingerprint.of(item));
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void part(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a batch summary always serialises", e);
        }
    }

    static BatchSummary fromJson(String text) {
        try {
            return Json.MAPPER.readValue(text, BatchSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Serde<BatchSummary> serde() {
        return Serdes.serdeFrom(
                (topic, summary) -> summary == null ? null : summary.toJson().getBytes(StandardCharsets.UTF_8),
                (topic, bytes) -> bytes == null ? null : fromJson(new String(bytes, StandardCharsets.UTF_8)));
    }
}
