package io.tweetreel.gateway;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where keys' limits are decided, as a test sets it instead of Kafka Streams metadata: the owner of every key (null:
 * unknown, as while rebalancing), this instance, and how many instances share the work. Both are asked again at
 * each call, so a test can move the owner between requests.
 */
record TestPlacement(Supplier<HostInfo> owner, Supplier<HostInfo> self, int liveInstances)
        implements SharedKeyLimits.Placement {
    /** For an instance that owns every key: it never has anyone to ask. */
    static final SharedKeyLimits.Peers ASKS_NOBODY = (owner, keyId, rates, cost) -> {
        throw new AssertionError("the owner asks nobody");
    };

    @Override
    public Optional<HostInfo> owner(String keyId) {
        return Optional.ofNullable(owner.get());
    }

    @Override
    public boolean isSelf(HostInfo host) {
        return host.equals(self.get());
    }

    /** Limits decided with this placement, asking {@code peers}, with no day counts behind the buckets. */
    SharedKeyLimits limits(SharedKeyLimits.Peers peers, Clock clock) {
        return new SharedKeyLimits(
                this, peers, new TokenBuckets(clock, DailyUsage.NONE), new TokenBuckets(clock, DailyUsage.NONE));
    }
}
