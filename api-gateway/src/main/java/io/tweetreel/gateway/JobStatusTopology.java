package io.tweetreel.gateway;

import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The gateway's two queryable tables, keyed by jobId:
 * <ul>
 *   <li>{@value #STATUS_STORE}: every update on {@code videos.status}, merged with {@link JobStatuses#merge}
 *       (final states stay final, progress never goes backwards), so duplicates and reordering between producers
 *       cannot regress a job. A request published straight to {@code videos.requested} by a client other than the
 *       gateway counts as {@code pending} at its record time, so such jobs can be followed too.</li>
 *   <li>{@value #REQUEST_STORE}: the {@link RequestFingerprint} of each request, which tells an idempotent retry
 *       (same body) from a reused Idempotency-Key (different body).</li>
 * </ul>
 * Both live in one sub-topology, so the same instance owns a key in both stores.
 */
public final class JobStatusTopology {
    public static final String STATUS_STORE = "job-status";
    public static final String REQUEST_STORE = "job-request-fingerprint";

    private JobStatusTopology() {
    }

    public static Topology build(Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        var statusTopic = topics.status();
        var requestedTopic = topics.requested();

        KStream<String, JobStatus> statuses = builder.stream(statusTopic.name(),
                Consumed.with(statusTopic.keySerde(), statusTopic.valueSerde()).withName("status-source"));
        KStream<String, VideoRequested> requests = builder.stream(requestedTopic.name(),
                Consumed.with(requestedTopic.keySerde(), requestedTopic.valueSerde()).withName("request-source"));

        requests.mapValues(RequestFingerprint::of, Named.as("request-fingerprint"))
                .toTable(Named.as("request-table"), Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(
                                REQUEST_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.String()));

        requests.processValues(PendingAtRecordTime::new, Named.as("request-as-pending"))
                .merge(statuses, Named.as("status-updates"))
                .groupByKey(Grouped.with("status-by-job", statusTopic.keySerde(), statusTopic.valueSerde()))
                .aggregate(() -> null, (jobId, update, known) -> JobStatuses.merge(known, update),
                        Named.as("status-merge"),
                        Materialized.<String, JobStatus, KeyValueStore<Bytes, byte[]>>as(STATUS_STORE)
                                .withKeySerde(statusTopic.keySerde())
                                .withValueSerde(statusTopic.valueSerde()));
        return builder.build();
    }

    /** A request seen on the topic means its job exists and waits: pending since the record's time. */
    private static final class PendingAtRecordTime implements FixedKeyProcessor<String, VideoRequested, JobStatus> {
        private FixedKeyProcessorContext<String, JobStatus> context;

        @Override
        public void init(FixedKeyProcessorContext<String, JobStatus> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, VideoRequested> record) {
            if (record.value() == null) {
                return;
            }
            context.forward(record.withValue(JobStatuses.pending(Instant.ofEpochMilli(record.timestamp()))));
        }
    }
}
