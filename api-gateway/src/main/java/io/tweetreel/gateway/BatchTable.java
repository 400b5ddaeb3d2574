package io.tweetreel.gateway;

import io.tweetreel.schemas.VideoBatch;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The batch table, a sub-topology of the gateway's {@link JobStatusTopology}: {@code videos.batches} materialised
 * as {@link BatchSummary}s keyed by batchId in {@value #STORE}, looked up on the instance that owns the key like
 * the job tables. The batch's fingerprint travels in the record's {@value #FINGERPRINT_HEADER} header rather than
 * in the {@code VideoBatch} itself: it matters only to the gateway's Idempotency-Key check.
 */
public final class BatchTable {
    public static final String STORE = "batches";
    public static final String FINGERPRINT_HEADER = "tweetreel-batch-fingerprint";

    private BatchTable() {}

    /** @param batches the records of {@code videos.batches} (a topic is read once per topology: shared) */
    static void addTo(KStream<String, VideoBatch> batches) {
        batches.processValues(SummaryWithFingerprint::new, Named.as("batch-summary"))
                .toTable(
                        Named.as("batch-table"),
                        Materialized.<String, BatchSummary, KeyValueStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(BatchSummary.serde()));
    }

    /** A batch record as its summary, fingerprint from the header; a tombstone stays a tombstone. */
    private static final class SummaryWithFingerprint implements FixedKeyProcessor<String, VideoBatch, BatchSummary> {
        private FixedKeyProcessorContext<String, BatchSummary> context;

        @Override
        public void init(FixedKeyProcessorContext<String, BatchSummary> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, VideoBatch> record) {
            if (record.value() == null) {
                context.forward(record.withValue(null));
                return;
            }
            Header header = record.headers().lastHeader(FINGERPRINT_HEADER);
            String fingerprint = header == null || header.value() == null
                    ? null
                    : new String(header.value(), StandardCharsets.US_ASCII);
            context.forward(record.withValue(BatchSummary.of(record.value(), fingerprint)));
        }
    }
}
