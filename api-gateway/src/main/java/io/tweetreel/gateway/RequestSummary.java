package io.tweetreel.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tweetreel.core.Json;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.VideoRequested;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the gateway keeps of a job's request ({@link JobStatusTopology#REQUEST_STORE}): its
 * {@link RequestFingerprint} (idempotent retry or reused Idempotency-Key), its {@code metadata} (shown in the job
 * JSON) and whether it asked for a webhook (redelivery makes sense only then). Not the URL itself: nothing here
 * needs it.
 *
 * <p>Stored as JSON. Before metadata existed the store held the bare fingerprint; such a value still reads, as a
 * request without metadata or webhook.
 */
public record RequestSummary(String fingerprint, Map<String, String> metadata, boolean hasWebhook) {
    public RequestSummary {
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    public static RequestSummary of(VideoRequested request) {
        return new RequestSummary(
                RequestFingerprint.of(request),
                request.getMetadata(),
                RequestRules.webhookUrl(request.getWebhookUrl()) != null);
    }

    String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request summary always serialises", e);
        }
    }

    static RequestSummary fromJson(String text) {
        if (!text.startsWith("{")) {
            return new RequestSummary(text, Map.of(), false); // a bare fingerprint, as stored before
        }
        try {
            return Json.MAPPER.readValue(text, RequestSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Serde<RequestSummary> serde() {
        return Serdes.serdeFrom(
                (topic, summary) -> summary == null ? null : summary.toJson().getBytes(StandardCharsets.UTF_8),
                (topic, bytes) -> bytes == null ? null : fromJson(new String(bytes, StandardCharsets.UTF_8)));
    }
}
