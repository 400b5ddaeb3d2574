package io.tweetreel.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.JobState;
import io.tweetreel.schemas.VideoBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One record on the batch lane, the gateway's one-partition repartition topic that gives the {@link BatchScheduler}
 * and the {@link BatchCompletion} a single, ordered view of every batch.
 *
 * @param kind     what happened
 * @param jobId    the item (QUEUED, FINISHED)
 * @param batchId  the batch
 * @param request  QUEUED: the item's {@code VideoRequested} as the batch-queue topic's serde wrote it, released as is
 * @param outcome  FINISHED: the item's final state
 * @param total    ACCEPTED: how many items the batch has
 * @param webhookUrl ACCEPTED: where batch.completed goes, null for none
 * @param metadata ACCEPTED: the batch's metadata
 * @param keyId    ACCEPTED: the API key that made the batch (its webhook secret signs batch.completed), null for none
 */
record BatchLaneEvent(
        Kind kind,
        String jobId,
        String batchId,
        byte[] request,
        JobState outcome,
        int total,
        String webhookUrl,
        Map<String, String> metadata,
        String keyId) {

    enum Kind {
        /** an item arrived on {@code videos.batch-queue} and is not final */
        QUEUED,
        /** an item reached its first final status (in the queue or after its release) */
        FINISHED,
        /** the batch itself arrived on {@code videos.batches} */
        ACCEPTED
    }

    /** The lane has one partition, so every record has this one key. */
    static final String KEY = "batches";

    static BatchLaneEvent queued(String jobId, String batchId, byte[] request) {
        return new BatchLaneEvent(Kind.QUEUED, jobId, batchId, request, null, 0, null, null, null);
    }

    static BatchLaneEvent finished(String jobId, String batchId, JobState outcome) {
        return new BatchLaneEvent(Kind.FINISHED, jobId, batchId, null, outcome, 0, null, null, null);
    }

    static BatchLaneEvent accepted(String batchId, VideoBatch batch) {
        List<String> jobIds = batch.getJobIds();
        return new BatchLaneEvent(
                Kind.ACCEPTED,
                null,
                batchId,
                null,
                null,
                jobIds.size(),
                batch.getWebhookUrl(),
                Map.copyOf(batch.getMetadata()),
                batch.getKeyId());
    }

    /** JSON, so the lane and the stores holding its records can be read by a person; the request is base64. */
    static Serde<BatchLaneEvent> serde() {
        return Serdes.serdeFrom(
                (topic, event) -> {
                    try {
                        return event == null ? null : Json.MAPPER.writeValueAsBytes(event);
                    } catch (JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                (topic, bytes) -> {
                    try {
                        return bytes == null ? null : Json.MAPPER.readValue(bytes, BatchLaneEvent.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
