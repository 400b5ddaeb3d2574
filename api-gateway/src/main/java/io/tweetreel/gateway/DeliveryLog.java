package io.tweetreel.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.WebhookDelivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A job's webhook attempts as {@code GET /api/jobs/{jobId}/deliveries} shows them, oldest first, absent values as
 * {@code null}: what the gateway keeps of {@code videos.webhook-deliveries} per job
 * ({@link JobStatusTopology#DELIVERY_STORE}). Only the last {@value #MAX_ENTRIES} attempts are kept: with the
 * default schedule an event has at most 11 attempts, so only a job redelivered many times loses its oldest ones.
 */
public record DeliveryLog(List<Entry> deliveries) {
    static final int MAX_ENTRIES = 50;
    static final DeliveryLog EMPTY = new DeliveryLog(List.of());

    public DeliveryLog {
        deliveries = List.copyOf(deliveries);
    }

    /**
     * One attempt. {@code outcome} is {@code delivered | retrying | gave_up | refused}, as the notifier logged it
     * ({@code nextAttemptAt} is set only while {@code retrying}).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({
        "webhookId",
        "event",
        "attempt",
        "at",
        "outcome",
        "statusCode",
        "error",
        "durationMs",
        "nextAttemptAt"
    })
    public record Entry(
            String webhookId,
            String event,
            int attempt,
            Instant at,
            String outcome,
            Integer statusCode,
            String error,
            long durationMs,
            Instant nextAttemptAt) {
        static Entry of(WebhookDelivery d) {
            return new Entry(
                    d.getWebhookId(),
                    d.getEvent(),
                    d.getAttempt(),
                    d.getAt(),
                    d.getOutcome() == null ? null : d.getOutcome().name(),
                    d.getStatusCode(),
                    d.getError(),
                    d.getDurationMs(),
                    d.getNextAttemptAt());
        }
    }

    /** This log with the attempt appended (the notifier writes a job's attempts in order), capped. */
    DeliveryLog plus(WebhookDelivery delivery) {
        List<Entry> all = new ArrayList<>(deliveries);
        all.add(Entry.of(delivery));
        return new DeliveryLog(all.subList(Math.max(0, all.size() - MAX_ENTRIES), all.size()));
    }

    String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a delivery log always serialises", e);
        }
    }

    static DeliveryLog fromJson(String text) {
        try {
            return Json.MAPPER.readValue(text, DeliveryLog.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Serde<DeliveryLog> serde() {
        return Serdes.serdeFrom(
                (topic, log) -> log == null ? null : log.toJson().getBytes(StandardCharsets.UTF_8),
                (topic, bytes) -> bytes == null ? null : fromJson(new String(bytes, StandardCharsets.UTF_8)));
    }
}
