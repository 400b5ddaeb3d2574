package io.tweetreel.gateway;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.schemas.JobStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups in the gateway's tables ({@link JobStatusTopology}) through interactive queries (IQv2). The instance
 * that owns a key (Kafka Streams metadata, {@code application.server}) answers it: this one from its local store,
 * another one through {@link PeerLookups}, and the other instance only ever answers from its own store (no
 * forwarding chains). While the owner is unknown or moving (start-up, rebalance) a lookup retries until the
 * lookup wait has passed, then throws {@link TemporarilyUnavailableException}.
 */
public final class JobStatusStore implements JobQueries, BatchQueries {
    static final Set<String> STORES = Set.of(
            JobStatusTopology.STATUS_STORE,
            JobStatusTopology.REQUEST_STORE,
            JobStatusTopology.DELIVERY_STORE,
            BatchTable.STORE);
    private static final Logger log = LoggerFactory.getLogger(JobStatusStore.class);
    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();
    private static final AvroJson<JobStatus> STATUS_JSON = new AvroJson<>(JobStatus.getClassSchema());
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final PeerLookups peers;
    private final Duration lookupWait;
    private final MeterRegistry meters;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;

    public JobStatusStore(PeerLookups peers, Duration lookupWait, MeterRegistry meters) {
        this.peers = peers;
        this.lookupWait = lookupWait;
        this.meters = meters;
    }

    /** Starts answering from {@code streams}; {@code self} is this instance's {@code application.server}. */
    public void attach(KafkaStreams streams, HostInfo self) {
        this.self = self;
        this.streams = streams;
    }

    @Override
    public Optional<JobStatus> status(String jobId) {
        return lookup(JobStatusTopology.STATUS_STORE, jobId, STATUS_JSON::decode);
    }

    @Override
    public Optional<RequestSummary> request(String jobId) {
        return lookup(JobStatusTopology.REQUEST_STORE, jobId, RequestSummary::fromJson);
    }

    @Override
    public Optional<DeliveryLog> deliveries(String jobId) {
        return lookup(JobStatusTopology.DELIVERY_STORE, jobId, DeliveryLog::fromJson);
    }

    @Override
    public Optional<BatchSummary> batch(String batchId) {
        return lookup(BatchTable.STORE, batchId, BatchSummary::fromJson);
    }

    /**
     * What this instance's own store holds for the key, as JSON a peer reads back (Avro's JSON for a status, the
     * value's own JSON otherwise); unavailable when this instance does not own the key (yet).
     */
    public Optional<String> ownAnswer(String store, String key) {
        KafkaStreams current = running();
        KeyQueryMetadata owner = owner(current, store, key);
        if (!owner.activeHost().equals(self)) {
            throw notYet("not the owner");
        }
        Optional<Object> value = queryLocal(current, store, key, owner.partition());
        return value.map(JobStatusStore::forPeer);
    }

    private KafkaStreams running() {
        KafkaStreams current = streams;
        if (current == null) {
            throw notYet("not started");
        }
        return current;
    }

    /** The instance that owns the key now, as Streams metadata says; unavailable while unknown (rebalancing). */
    private static KeyQueryMetadata owner(KafkaStreams current, String store, String key) {
        KeyQueryMetadata owner;
        try {
            owner = current.queryMetadataForKey(store, key, KEY_SERIALIZER);
        } catch (RuntimeException e) {
            throw notYet("no metadata: " + e.getMessage());
        }
        if (owner == null
                || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)
                || owner.activeHost() == null
                || owner.activeHost().port() < 0) {
            throw notYet("owner unknown");
        }
        return owner;
    }

    private static String forPeer(Object value) {
        if (value instanceof JobStatus status) {
            return STATUS_JSON.encode(status);
        }
        if (value instanceof RequestSummary request) {
            return request.toJson();
        }
        if (value instanceof DeliveryLog deliveries) {
            return deliveries.toJson();
        }
        if (value instanceof BatchSummary batch) {
            return batch.toJson();
        }
        throw new IllegalStateException(
                "no peer encoding for " + value.getClass().getName());
    }

    private <V> Optional<V> lookup(String store, String key, Function<String, V> decodeForwarded) {
        long deadline = System.nanoTime() + lookupWait.toNanos();
        String[] where = new String[1];
        RetryPolicy<Optional<V>> untilTheOwnerAnswers = RetryPolicy.<Optional<V>>builder()
                .handle(TemporarilyUnavailableException.class)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withMaxRetries(-1)
                .withMaxDuration(lookupWait)
                .build();
        try {
            Optional<V> value = Failsafe.with(untilTheOwnerAnswers)
                    .get(() -> attempt(store, key, decodeForwarded, deadline, where));
            meters.counter("gateway.lookups", "store", store, "where", where[0]).increment();
            return value;
        } catch (TemporarilyUnavailableException e) {
            meters.counter("gateway.lookups", "store", store, "where", "unavailable")
                    .increment();
            log.warn("lookup of {} in {} gave up: {}", key, store, e.getMessage());
            throw new TemporarilyUnavailableException(
                    "job lookups are unavailable for a moment (the gateway "
                            + "instances are rebalancing); try again shortly",
                    RETRY_AFTER);
        }
    }

    @SuppressWarnings("unchecked")
    private <V> Optional<V> attempt(
            String store, String key, Function<String, V> decodeForwarded, long deadline, String[] where) {
        KafkaStreams current = running();
        KeyQueryMetadata owner = owner(current, store, key);
        if (owner.activeHost().equals(self)) {
            where[0] = "local";
            return (Optional<V>) queryLocal(current, store, key, owner.partition());
        }
        where[0] = "forwarded";
        Duration left = Duration.ofMillis(Math.max(50, (deadline - System.nanoTime()) / 1_000_000));
        return peers.lookup(owner.activeHost(), store, key, left, decodeForwarded);
    }

    private static Optional<Object> queryLocal(KafkaStreams current, String store, String key, int partition) {
        QueryResult<Object> answer;
        try {
            StateQueryRequest<Object> request = StateQueryRequest.inStore(store)
                    .withQuery(KeyQuery.<String, Object>withKey(key))
                    .withPartitions(Set.of(partition))
                    .requireActive();
            StateQueryResult<Object> result = current.query(request);
            answer = result.getPartitionResults().get(partition);
        } catch (RuntimeException e) {
            throw notYet("local query failed: " + e);
        }
        if (answer == null) {
            throw notYet("partition " + partition + " not answered");
        }
        if (!answer.isSuccess()) {
            throw notYet(answer.getFailureReason() + " " + answer.getFailureMessage());
        }
        return Optional.ofNullable(answer.getResult());
    }

    private static TemporarilyUnavailableException notYet(String why) {
        return new TemporarilyUnavailableException(why, RETRY_AFTER);
    }
}
