package io.tweetreel.gateway;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.tweetreel.schemas.JobStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups in the gateway's tables ({@link JobStatusTopology}) through interactive queries (IQv2). The instance
 * that owns a key ({@link StoreOwners}) answers it: this one from its local store,
 * another one through {@link PeerLookups}, and the other instance only ever answers from its own store (no
 * forwarding chains). When the owner does not answer at all (it crashed: the group notices only after the
 * session timeout), the lookup is answered from a standby replica of the key's partition, this instance's own or
 * another's. While the owner is unknown or moving (start-up, rebalance) a lookup retries until the lookup wait has
 * passed, then throws {@link TemporarilyUnavailableException}.
 */
public final class JobStatusStore implements JobQueries, BatchQueries {
    static final Set<String> STORES = Set.of(
            JobStatusTopology.STATUS_STORE,
            JobStatusTopology.REQUEST_STORE,
            JobStatusTopology.DELIVERY_STORE,
            BatchTable.STORE);
    private static final Logger log = LoggerFactory.getLogger(JobStatusStore.class);
    private static final AvroJson<JobStatus> STATUS_JSON = new AvroJson<>(JobStatus.getClassSchema());
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final StoreOwners owners;
    private final PeerLookups peers;
    private final Duration lookupWait;
    private final MeterRegistry meters;

    public JobStatusStore(StoreOwners owners, PeerLookups peers, Duration lookupWait, MeterRegistry meters) {
        this.owners = owners;
        this.peers = peers;
        this.lookupWait = lookupWait;
        this.meters = meters;
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
        StoreOwners.Owner owner = owners.owner(store, key);
        if (!owner.isSelf()) {
            throw new TemporarilyUnavailableException("not the owner", RETRY_AFTER);
        }
        return owners.queryHere(store, key, owner).map(JobStatusStore::forPeer);
    }

    /**
     * What this instance's own copy of the key's partition holds, active or standby (asked when the owner did not
     * answer); unavailable when this instance keeps no copy of it.
     */
    public Optional<String> replicaAnswer(String store, String key) {
        StoreOwners.Owner owner = owners.owner(store, key);
        if (!owner.isSelf() && owner.standbys().stream().noneMatch(owners::isSelf)) {
            throw new TemporarilyUnavailableException("no replica here", RETRY_AFTER);
        }
        return owners.queryAnyReplicaHere(store, key, owner).map(JobStatusStore::forPeer);
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

    private <V> Optional<V> attempt(
            String store, String key, Function<String, V> decodeForwarded, long deadline, String[] where) {
        StoreOwners.Owner owner = owners.owner(store, key);
        if (owner.isSelf()) {
            where[0] = "local";
            return owners.queryHere(store, key, owner);
        }
        where[0] = "forwarded";
        try {
            return peers.lookup(owner.host(), store, key, left(deadline), decodeForwarded);
        } catch (PeerUnreachableException ownerGone) {
            return fromStandby(store, key, decodeForwarded, deadline, where, owner, ownerGone);
        }
    }

    /**
     * The key from a standby replica, when its owner did not answer: this instance's own standby copy first (no call
     * leaves the instance), else another instance's. A standby follows the partition's changelog, so it holds what
     * the owner had committed; without it, the lookup would wait for the group to notice the owner is gone (the
     * session timeout) and a new owner to restore the partition, far beyond the lookup wait.
     */
    private <V> Optional<V> fromStandby(
            String store,
            String key,
            Function<String, V> decodeForwarded,
            long deadline,
            String[] where,
            StoreOwners.Owner owner,
            PeerUnreachableException ownerGone) {
        if (owner.standbys().stream().anyMatch(owners::isSelf)) {
            where[0] = "standby";
            return owners.queryAnyReplicaHere(store, key, owner);
        }
        for (HostInfo standby : owner.standbys()) {
            where[0] = "standby-forwarded";
            try {
                return peers.lookupReplica(standby, store, key, left(deadline), decodeForwarded);
            } catch (PeerUnreachableException alsoGone) {
                log.debug("standby {} of {} did not answer either: {}", standby, key, alsoGone.getMessage());
            }
        }
        throw ownerGone;
    }

    private static Duration left(long deadline) {
        return Duration.ofMillis(Math.max(50, (deadline - System.nanoTime()) / 1_000_000));
    }
}
