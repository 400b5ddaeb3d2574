package io.tweetreel.gateway;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which gateway instance owns key K of state store S (Kafka Streams metadata: the instance whose
 * {@code application.server} holds K's active partition), and K's value read from this instance's own partition
 * when the owner is this instance. Job lookups ({@link JobStatusStore}) and key limits ({@link StreamsKeyPlacement})
 * both ask here; what to do when the owner is another instance is theirs. "Not yet" (not started, owner unknown
 * while Streams starts or rebalances, partition not active here) is a {@link TemporarilyUnavailableException}.
 */
public final class StoreOwners {
    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * The owner of one key now: its instance, the key's partition, whether that instance is this one, and the
     * instances that keep a standby replica of the partition (none with a single instance).
     */
    public record Owner(HostInfo host, int partition, boolean isSelf, Set<HostInfo> standbys) {
        public Owner {
            standbys = Set.copyOf(standbys);
        }
    }

    private volatile KafkaStreams streams;
    private volatile HostInfo self;

    /** Starts answering from {@code streams}; {@code self} is this instance's {@code application.server}. */
    public void attach(KafkaStreams streams, HostInfo self) {
        this.self = self;
        this.streams = streams;
    }

    public boolean isSelf(HostInfo host) {
        return host.equals(self);
    }

    /** The instance that owns {@code key} of {@code store} now; unavailable while unknown (start-up, rebalance). */
    public Owner owner(String store, String key) {
        KafkaStreams current = running();
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
        Set<HostInfo> standbys = owner.standbyHosts() == null ? Set.of() : owner.standbyHosts();
        return new Owner(owner.activeHost(), owner.partition(), isSelf(owner.activeHost()), standbys);
    }

    /**
     * The value of {@code key} in this instance's active copy of {@code owner}'s partition of {@code store}; empty
     * when the store has none. Unavailable when the partition is not active here (it moved since {@link #owner}).
     */
    public <V> Optional<V> queryHere(String store, String key, Owner owner) {
        return query(store, key, owner.partition(), true);
    }

    /**
     * The value of {@code key} in this instance's copy of {@code owner}'s partition of {@code store}, active or
     * standby; a standby may lag the active copy by what the active has not yet committed. Unavailable when this
     * instance keeps no copy of the partition.
     */
    public <V> Optional<V> queryAnyReplicaHere(String store, String key, Owner owner) {
        return query(store, key, owner.partition(), false);
    }

    private <V> Optional<V> query(String store, String key, int partition, boolean activeOnly) {
        KafkaStreams current = running();
        QueryResult<V> answer;
        try {
            StateQueryRequest<V> request = StateQueryRequest.inStore(store)
                    .withQuery(KeyQuery.<String, V>withKey(key))
                    .withPartitions(Set.of(partition));
            if (activeOnly) {
                request = request.requireActive();
            }
            answer = current.query(request).getPartitionResults().get(partition);
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

    /** How many gateway instances share the work now, as Streams metadata knows them; at least 1. */
    public int liveInstances() {
        KafkaStreams current = streams;
        if (current == null) {
            return 1;
        }
        try {
            return Math.max(1, current.metadataForAllStreamsClients().size());
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private KafkaStreams running() {
        KafkaStreams current = streams;
        if (current == null) {
            throw notYet("not started");
        }
        return current;
    }

    private static TemporarilyUnavailableException notYet(String why) {
        return new TemporarilyUnavailableException(why, RETRY_AFTER);
    }
}
