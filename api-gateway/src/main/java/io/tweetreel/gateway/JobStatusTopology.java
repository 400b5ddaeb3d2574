package io.tweetreel.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topic;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.apache.kafka.streams.state.Stores;

/**
 * The gateway's three queryable tables, keyed by jobId:
 * <ul>
 *   <li>{@value #STATUS_STORE}: every update on {@code videos.status}, merged with {@link JobStatuses#merge}
 *       (final states stay final, progress never goes backwards), so duplicates and reordering between producers
 *       cannot regress a job. A request published straight to {@code videos.requested} by a client other than the
 *       gateway counts as {@code pending} at its record time, so such jobs can be followed too.</li>
 *   <li>{@value #REQUEST_STORE}: a {@link RequestSummary} of each request: its {@link RequestFingerprint}, which
 *       tells an idempotent retry (same body) from a reused Idempotency-Key (different body), its metadata (shown
 *       in the job JSON) and whether it has a webhook.</li>
 *   <li>{@value #DELIVERY_STORE}: the {@link DeliveryLog} of each job's webhook, from the notifier's
 *       {@code videos.webhook-deliveries} (also keyed by jobId, so no repartitioning).</li>
 * </ul>
 * The batch table ({@link BatchTable}) is a sub-topology of its own, keyed by batchId.
 * The first two live in one sub-topology, so the same instance owns a key in both stores; the delivery log is a
 * sub-topology of its own (lookups ask each store for its owner). The {@link JobWatch} lives there
 * too: it reads the status table and the three pipeline topics (all keyed and partitioned by jobId), keeps
 * {@value JobWatch#STORE}, re-publishes the last event of a stalled job to its topic and fails a job that still does
 * not move, all through this topology's sinks, so inside the gateway's exactly-once transactions.
 */
public final class JobStatusTopology {
    public static final String STATUS_STORE = "job-status";
    /** Named for what it first held; its values are now {@link RequestSummary}s, which read the old ones too. */
    public static final String REQUEST_STORE = "job-request-fingerprint";

    public static final String DELIVERY_STORE = "job-webhook-deliveries";

    private JobStatusTopology() {}

    /**
     * @param jobTimeout how long a job may go without a status change before the watch looks at it (JOB_TIMEOUT)
     * @param queues     tells a queued job from a stalled one
     * @param meters     where the watch counts re-driven and timed-out jobs
     */
    public static Topology build(Topics topics, Duration jobTimeout, QueuePositions queues, MeterRegistry meters) {
        StreamsBuilder builder = new StreamsBuilder();
        var statusTopic = topics.status();
        var requestedTopic = topics.requested();

        KStream<String, JobStatus> statuses = builder.stream(
                statusTopic.name(),
                Consumed.with(statusTopic.keySerde(), statusTopic.valueSerde()).withName("status-source"));
        KStream<String, VideoRequested> requests = builder.stream(
                requestedTopic.name(),
                Consumed.with(requestedTopic.keySerde(), requestedTopic.valueSerde())
                        .withName("request-source"));

        requests.mapValues(RequestSummary::of, Named.as("request-fingerprint"))
                .toTable(
                        Named.as("request-table"),
                        Materialized.<String, RequestSummary, KeyValueStore<Bytes, byte[]>>as(REQUEST_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(RequestSummary.serde()));

        requests.processValues(PendingAtRecordTime::new, Named.as("request-as-pending"))
                .merge(statuses, Named.as("status-updates"))
                .groupByKey(Grouped.with("status-by-job", statusTopic.keySerde(), statusTopic.valueSerde()))
                .aggregate(
                        () -> null,
                        (jobId, update, known) -> JobStatuses.merge(known, update),
                        Named.as("status-merge"),
                        Materialized.<String, JobStatus, KeyValueStore<Bytes, byte[]>>as(STATUS_STORE)
                                .withKeySerde(statusTopic.keySerde())
                                .withValueSerde(statusTopic.valueSerde()));

        var deliveriesTopic = topics.webhookDeliveries();
        builder.stream(
                        deliveriesTopic.name(),
                        Consumed.with(deliveriesTopic.keySerde(), deliveriesTopic.valueSerde())
                                .withName("delivery-source"))
                .groupByKey(Grouped.with("deliveries-by-job", deliveriesTopic.keySerde(), deliveriesTopic.valueSerde()))
                .aggregate(
                        () -> DeliveryLog.EMPTY,
                        (jobId, delivery, log) -> log.plus(delivery),
                        Named.as("delivery-log"),
                        Materialized.<String, DeliveryLog, KeyValueStore<Bytes, byte[]>>as(DELIVERY_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(DeliveryLog.serde()));

        BatchTable.addTo(builder, topics);

        Topology topology = builder.build();
        addWatch(topology, topics, jobTimeout, queues, meters);
        return topology;
    }

    /** The job watch, in the Processor API: one processor fed by four topics, with a sink per topic it writes. */
    private static void addWatch(
            Topology topology, Topics topics, Duration jobTimeout, QueuePositions queues, MeterRegistry meters) {
        topology.addSource(
                "screenshot-source",
                topics.screenshot().keySerde().deserializer(),
                topics.screenshot().valueSerde().deserializer(),
                topics.screenshot().name());
        topology.addSource(
                "composed-source",
                topics.composed().keySerde().deserializer(),
                topics.composed().valueSerde().deserializer(),
                topics.composed().name());
        topology.addProcessor(
                "job-watch",
                () -> new JobWatch(topics, jobTimeout, queues, meters),
                "status-source",
                "request-source",
                "screenshot-source",
                "composed-source");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(JobWatch.STORE), Serdes.String(), WatchedJob.serde()),
                "job-watch");
        topology.connectProcessorAndStateStores("job-watch", STATUS_STORE);
        for (Topic<String, ?> topic : List.of(topics.requested(), topics.screenshot(), topics.composed())) {
            addSink(topology, JobWatch.redriveSink(topic.name()), topic);
        }
        addSink(topology, JobWatch.STATUS_SINK, topics.status());
    }

    private static <V> void addSink(Topology topology, String name, Topic<String, V> topic) {
        topology.addSink(
                name,
                topic.name(),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer(),
                "job-watch");
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
