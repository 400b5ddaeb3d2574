package io.tweetreel.gateway;

import java.time.LocalDate;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each key's limits are decided, from the gateway's Kafka Streams metadata ({@link StoreOwners}): the instance
 * that owns the key id's partition of {@link KeyUsageTable#STORE}; and that store's day count, read from this
 * instance's own partition (only the owner asks, so no call leaves the instance). Neither waits: while the owner is
 * unknown there is none, and a count this instance cannot read is 0.
 */
public final class StreamsKeyPlacement implements SharedKeyLimits.Placement, DailyUsage {
    private static final Logger log = LoggerFactory.getLogger(StreamsKeyPlacement.class);

    private final StoreOwners owners;

    public StreamsKeyPlacement(StoreOwners owners) {
        this.owners = owners;
    }

    @Override
    public Optional<HostInfo> owner(String keyId) {
        try {
            return Optional.of(owners.owner(KeyUsageTable.STORE, keyId).host());
        } catch (TemporarilyUnavailableException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean isSelf(HostInfo host) {
        return owners.isSelf(host);
    }

    @Override
    public int liveInstances() {
        return owners.liveInstances();
    }

    @Override
    public long jobsOn(String keyId, LocalDate day) {
        try {
            StoreOwners.Owner owner = owners.owner(KeyUsageTable.STORE, keyId);
            Optional<String> counted = owners.queryHere(KeyUsageTable.STORE, keyId, owner);
            return KeyUsageTable.jobsOn(counted.orElse(null), day);
        } catch (TemporarilyUnavailableException e) {
            log.debug("day count of {} not readable here: {}", keyId, e.getMessage());
            return 0;
        }
    }
}
