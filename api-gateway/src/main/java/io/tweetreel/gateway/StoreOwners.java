package io.tweetreel.gateway;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which gateway instance owns key K of state store S (the instance that works K's active partition), which ones
 * keep a standby replica of it, and K's value read from this instance's own copy. Job lookups ({@link
 * JobStatusStore}) and key limits ({@link StreamsKeyPlacement}) both ask here; what to do when the owner is another
 * instance is theirs. "Not yet" (not started, owner unknown while Streams starts or rebalances, partition not here)
 * is a {@link TemporarilyUnavailableException}. {@link StreamsStoreOwners} answers from Kafka Streams.
 */
public interface StoreOwners {
    /**
     * The owner of one key now: its instance, the key's partition, whether that instance is this one, and the
     * instances that keep a standby replica of the partition (none with a single instance).
     */
    record Owner(HostInfo host, int partition, boolean isSelf, Set<HostInfo> standbys) {
        public Owner {
            standbys = Set.copyOf(standbys);
        }
    }

    boolean isSelf(HostInfo host);

    /** The instance that owns {@code key} of {@code store} now; unavailable while unknown (start-up, rebalance). */
    Owner owner(String store, String key);

    /**
     * The value of {@code key} in this instance's active copy of {@code owner}'s partition of {@code store}; empty
     * when the store has none. Unavailable when the partition is not active here (it moved since {@link #owner}).
     */
    <V> Optional<V> queryHere(String store, String key, Owner owner);

    /**
     * The value of {@code key} in this instance's copy of {@code owner}'s partition of {@code store}, active or
     * standby; a standby may lag the active copy by what the active has not yet committed. Unavailable when this
     * instance keeps no copy of the partition.
     */
    <V> Optional<V> queryAnyReplicaHere(String store, String key, Owner owner);

    /** How many gateway instances share the work now, as the group knows them; at least 1. */
    int liveInstances();
}
