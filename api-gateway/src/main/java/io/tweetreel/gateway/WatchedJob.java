package io.tweetreel.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.JobStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the {@link JobWatch} keeps of a job that is not final yet (store {@value JobWatch#STORE}, key jobId).
 *
 * @param lastEvent the furthest pipeline event seen of the job (null: only statuses seen so far)
 * @param redrive   when and at which step the job was re-driven (null: not yet)
 * @param batchItem the job was read on {@code videos.batch-queue}: a batch item, released by the
 *                  {@link BatchScheduler} when its turn comes (absent in values stored before batches: false)
 */
record WatchedJob(LastEvent lastEvent, Redrive redrive, boolean batchItem) {
    static final WatchedJob NOTHING_YET = new WatchedJob(null, null, false);

    /**
     * A pipeline event and where it was read. The value is kept as its topic's serde wrote it (see
     * {@link io.tweetreel.schemas.Topics}), so the watch can publish it again as it was.
     */
    record LastEvent(String topic, int partition, long offset, byte[] value) {
        String position() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** The job was re-driven while it was at {@code step}, at {@code at}. */
    record Redrive(JobStep step, Instant at) {}

    WatchedJob withLastEvent(LastEvent event) {
        return new WatchedJob(event, redrive, batchItem);
    }

    WatchedJob withRedrive(Redrive done) {
        return new WatchedJob(lastEvent, done, batchItem);
    }

    WatchedJob inBatchQueue() {
        return new WatchedJob(lastEvent, redrive, true);
    }

    /** A batch item not released yet: its first pipeline event, on videos.requested, is still to come. */
    boolean waitsForRelease() {
        return batchItem && lastEvent == null;
    }

    /** JSON, so a state store's content can be read by a person; the event value is base64 in it. */
    static Serde<WatchedJob> serde() {
        return Serdes.serdeFrom(
                (topic, watched) -> {
                    try {
                        return watched == null ? null : Json.MAPPER.writeValueAsBytes(watched);
                    } catch (JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                (topic, bytes) -> {
                    try {
                        return bytes == null ? null : Json.MAPPER.readValue(bytes, WatchedJob.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
