package io.tweetreel.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.core.JobStatuses;
import io.tweetreel.schemas.JobCancellation;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.JobStep;
import io.tweetreel.schemas.Topic;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoBatch;
import io.tweetreel.schemas.VideoRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * The batch table ({@link BatchTable}) is a sub-topology of its own, keyed by batchId; so is the count of jobs per
 * API key and day ({@link KeyUsageTable}), keyed by key id.
 * The first two live in one sub-topology, so the same instance owns a key in both stores; the delivery log is a
 * sub-topology of its own (lookups ask each store for its owner). The {@link JobWatch} lives there
 * too: it reads the status table and the three pipeline topics (all keyed and partitioned by jobId), keeps
 * {@value JobWatch#STORE}, re-publishes the last event of a stalled job to its topic and fails a job that still does
 * not move, all through this topology's sinks, so inside the gateway's exactly-once transactions.
 * <p>
 * Cancel, in the status table's sub-topology as well ({@code videos.cancellations} is keyed and partitioned by
 * jobId too): a {@link JobCancellation} of a job that is not final becomes {@code canceled} on
 * {@code videos.status}, and {@link CanceledVideoRemoval} deletes the filed video of a job whose {@code completed}
 * came after its {@code canceled}.
 */
public final class JobStatusTopology {
    public static final String STATUS_STORE = "job-status";
    /** Named for what it first held; its values are now {@link RequestSummary}s, which read the old ones too. */
    public static final String REQUEST_STORE = "job-request-fingerprint";

    public static final String DELIVERY_STORE = "job-webhook-deliveries";
    /** The one-partition repartition topic of the batch lane (its name gets the application id in front). */
    static final String BATCH_LANE = "batch-lane";

    static final String BATCH_QUEUE_SOURCE = "batch-queue-source";

    private static final Logger log = LoggerFactory.getLogger(JobStatusTopology.class);

    private JobStatusTopology() {}

    /**
     * @param jobTimeout how long a job may go without a status change before the watch looks at it (JOB_TIMEOUT)
     * @param queues     tells a queued job from a stalled one
     * @param videoRemover deletes the filed video of a job whose cancel beat its completion
     * @param meters     where the watch counts re-driven and timed-out jobs
     */
    public static Topology build(
            Topics topics,
            Duration jobTimeout,
            QueuePositions queues,
            FiledVideoRemover videoRemover,
            MeterRegistry meters) {
        return build(topics, jobTimeout, GatewayConfig.DEFAULT_BATCH_IN_FLIGHT, queues, videoRemover, meters);
    }

    /**
     * @param batchInFlight how many batch jobs the {@link BatchScheduler} lets into the pipeline at once
     *                      (BATCH_IN_FLIGHT)
     */
    public static Topology build(
            Topics topics,
            Duration jobTimeout,
            int batchInFlight,
            QueuePositions queues,
            FiledVideoRemover videoRemover,
            MeterRegistry meters) {
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

        // a cancel, whoever wrote it, becomes the job's final status ON videos.status (not straight in the table):
        // the table and the notifier then both take the first final status in the topic's order, so they agree on
        // whether a cancel that raced completion won
        var cancellationsTopic = topics.cancellations();
        builder.stream(
                        cancellationsTopic.name(),
                        Consumed.with(cancellationsTopic.keySerde(), cancellationsTopic.valueSerde())
                                .withName("cancellation-source"))
                .processValues(CanceledWhereItStands::new, Named.as("cancel-to-status"), STATUS_STORE)
                .to(
                        statusTopic.name(),
                        Produced.with(statusTopic.keySerde(), statusTopic.valueSerde())
                                .withName("canceled-status"));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CanceledVideoRemoval.STORE), Serdes.String(), Serdes.String()));
        statuses.process(
                () -> new CanceledVideoRemoval(videoRemover),
                Named.as("canceled-video-removal"),
                STATUS_STORE,
                CanceledVideoRemoval.STORE);

        var batchQueueTopic = topics.batchQueue();
        KStream<String, VideoRequested> queuedItems = builder.stream(
                batchQueueTopic.name(),
                Consumed.with(batchQueueTopic.keySerde(), batchQueueTopic.valueSerde())
                        .withName(BATCH_QUEUE_SOURCE));
        var batchesTopic = topics.batches();
        KStream<String, VideoBatch> batches = builder.stream(
                batchesTopic.name(),
                Consumed.with(batchesTopic.keySerde(), batchesTopic.valueSerde())
                        .withName("batch-source"));
        addBatchLane(builder, topics, statuses, queuedItems, batches, batchInFlight);

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

        BatchTable.addTo(batches);
        KeyUsageTable.addTo(statuses);

        Topology topology = builder.build();
        addWatch(topology, topics, jobTimeout, queues, meters);
        return topology;
    }

    /**
     * The batch lane: the {@link BatchItemTracker} (with the status table, keyed by jobId) and the batches topic
     * feed a one-partition repartition topic, so one task sees every batch in order; there the
     * {@link BatchScheduler} releases items to {@code videos.requested} and {@link BatchCompletion} asks for
     * batch.completed.
     */
    private static void addBatchLane(
            StreamsBuilder builder,
            Topics topics,
            KStream<String, JobStatus> statuses,
            KStream<String, VideoRequested> queuedItems,
            KStream<String, VideoBatch> batches,
            int batchInFlight) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BatchItemTracker.STORE), Serdes.String(), Serdes.String()));
        KStream<String, BatchLaneEvent> itemEvents = queuedItems
                .mapValues(item -> (Object) item, Named.as("batch-item-queued"))
                .merge(statuses.mapValues(status -> (Object) status, Named.as("batch-item-status")))
                .process(
                        () -> new BatchItemTracker(topics.batchQueue()),
                        Named.as("batch-item-tracker"),
                        BatchItemTracker.STORE,
                        STATUS_STORE);

        KStream<String, BatchLaneEvent> batchEvents = batches.filter(
                        (batchId, batch) -> batchId != null && batch != null, Named.as("batch-present"))
                .map(
                        (batchId, batch) -> KeyValue.pair(BatchLaneEvent.KEY, BatchLaneEvent.accepted(batchId, batch)),
                        Named.as("batch-accepted"));

        KStream<String, BatchLaneEvent> lane = itemEvents
                .merge(batchEvents, Named.as("batch-lane-events"))
                .repartition(Repartitioned.<String, BatchLaneEvent>as(BATCH_LANE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(BatchLaneEvent.serde())
                        .withNumberOfPartitions(1));

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BatchScheduler.QUEUE_STORE), Serdes.String(), BatchLaneEvent.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BatchScheduler.WAITING_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BatchScheduler.IN_FLIGHT_STORE), Serdes.String(), Serdes.Long()));
        var requestedTopic = topics.requested();
        lane.process(
                        () -> new BatchScheduler(topics.batchQueue(), batchInFlight),
                        Named.as("batch-scheduler"),
                        BatchScheduler.QUEUE_STORE,
                        BatchScheduler.WAITING_STORE,
                        BatchScheduler.IN_FLIGHT_STORE)
                .to(
                        requestedTopic.name(),
                        Produced.with(requestedTopic.keySerde(), requestedTopic.valueSerde())
                                .withName("batch-release"));

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BatchCompletion.STORE),
                Serdes.String(),
                BatchCompletion.Progress.serde()));
        var commandsTopic = topics.webhookCommands();
        lane.process(BatchCompletion::new, Named.as("batch-completion"), BatchCompletion.STORE)
                .to(
                        commandsTopic.name(),
                        Produced.with(commandsTopic.keySerde(), commandsTopic.valueSerde())
                                .withName("batch-completed-command"));
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
                "composed-source",
                BATCH_QUEUE_SOURCE);
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

    /**
     * A cancel of a job that is not final: {@code canceled} where the job stands (its step and progress in the table,
     * {@code queued} at 0 for a job the table has not seen yet: a request read after its cancel is skipped by every
     * stage, so that job is canceled too). A job already final gets nothing: a repeated cancel changes nothing, and
     * a completed or failed job stays so. A key that is no job id is ignored.
     */
    private static final class CanceledWhereItStands implements FixedKeyProcessor<String, JobCancellation, JobStatus> {
        private FixedKeyProcessorContext<String, JobStatus> context;
        private TimestampedKeyValueStore<String, JobStatus> statuses;

        @Override
        public void init(FixedKeyProcessorContext<String, JobStatus> context) {
            this.context = context;
            this.statuses = context.getStateStore(STATUS_STORE);
        }

        @Override
        public void process(FixedKeyRecord<String, JobCancellation> record) {
            if (record.value() == null
                    || record.key() == null
                    || JobIds.parse(record.key()).isEmpty()) {
                return;
            }
            JobStatus known = ValueAndTimestamp.getValueOrNull(statuses.get(record.key()));
            if (known != null && JobStatuses.isFinal(known)) {
                return;
            }
            Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
            JobStatus canceled = known == null
                    ? JobStatuses.canceled(JobStep.queued, 0, now)
                    : JobStatuses.canceled(known.getCurrentStep(), known.getProgress(), now);
            log.info("job {} canceled at {} ({}%)", record.key(), canceled.getCurrentStep(), canceled.getProgress());
            context.forward(record.withValue(canceled));
        }
    }

    /** A request seen on the topic means its job exists and waits: pending since it was requested. */
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
            // the gateway stamps requestedAt with its pending status's createdAt; a Kafka producer may not
            Instant requestedAt = record.value().getRequestedAt();
            JobStatus pending =
                    JobStatuses.pending(requestedAt != null ? requestedAt : Instant.ofEpochMilli(record.timestamp()));
            if (record.value().getKeyId() != null) {
                // a producer that names its key (trusted through ACLs on videos.requested) owns the job as well
                pending = JobStatus.newBuilder(pending)
                        .setKeyId(record.value().getKeyId())
                        .build();
            }
            context.forward(record.withValue(pending));
        }
    }
}
