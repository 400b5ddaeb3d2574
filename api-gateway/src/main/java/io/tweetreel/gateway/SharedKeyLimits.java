package io.tweetreel.gateway;

import io.tweetreel.schemas.ApiKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-key limits of every gateway instance together: one instance decides for each key, so the limits hold
 * however a load balancer spreads the requests.
 * <ul>
 *   <li>The instance that owns the key id's partition of {@link KeyUsageTable#STORE} (Kafka Streams metadata, as for
 *       job lookups) keeps the key's bucket and day count ({@link TokenBuckets}, with the store's count behind it)
 *       and decides; the others ask it ({@link PeerLimits}, one HTTP call per job-creating request).</li>
 *   <li>While the owner is unknown (start-up, rebalance) or does not answer, each instance decides alone with an
 *       even share of the key's limits for every live instance ({@link KeyRates#shareOf}), so the instances together
 *       still stay within them. (An owner that is up but unreachable from some instances keeps deciding with the
 *       whole limits meanwhile, so during such a partition up to (2n-1)/n of the limits can pass.)</li>
 *   <li>{@link #peek} (the headers of answers that create nothing) makes no network call: the owner answers from
 *       its bucket; another instance shows the last answer it got for the key, or a full bucket.</li>
 * </ul>
 */
public final class SharedKeyLimits implements KeyLimits {
    private static final Logger log = LoggerFactory.getLogger(SharedKeyLimits.class);

    /** Where a key's limits are decided. */
    public interface Placement {
        /** The instance that decides for the key now; empty while unknown. */
        Optional<HostInfo> owner(String keyId);

        boolean isSelf(HostInfo host);

        /** How many gateway instances share the work now (at least 1). */
        int liveInstances();
    }

    /** Asks the instance that owns a key. */
    public interface Peers {
        /** @throws TemporarilyUnavailableException when the owner cannot answer (unreachable, not the owner) */
        Admission admit(HostInfo owner, String keyId, KeyRates rates, int cost);
    }

    private final Placement placement;
    private final Peers peers;
    private final TokenBuckets owned;
    private final TokenBuckets alone;
    private final Map<String, Admission> lastKnown = new ConcurrentHashMap<>();

    /**
     * @param owned the buckets of the keys this instance owns (day counts backed by {@link KeyUsageTable})
     * @param alone the buckets used with a share of the limits while the owner cannot be asked
     */
    public SharedKeyLimits(Placement placement, Peers peers, TokenBuckets owned, TokenBuckets alone) {
        this.placement = placement;
        this.peers = peers;
        this.owned = owned;
        this.alone = alone;
    }

    @Override
    public Admission admit(ApiKey key, int cost) {
        String keyId = key.getId();
        KeyRates rates = KeyRates.of(key);
        Optional<HostInfo> owner = placement.owner(keyId);
        Admission admission;
        if (owner.isPresent() && placement.isSelf(owner.get())) {
            admission = owned.admit(keyId, rates, cost);
        } else if (owner.isPresent()) {
            try {
                admission = peers.admit(owner.get(), keyId, rates, cost);
            } catch (TemporarilyUnavailableException e) {
                log.info(
                        "limits of {}: owner {} not answering ({}); deciding alone",
                        keyId,
                        owner.get(),
                        e.getMessage());
                admission = alone(keyId, rates, cost);
            }
        } else {
            admission = alone(keyId, rates, cost);
        }
        lastKnown.put(keyId, admission);
        return admission;
    }

    /** What the owner answers another instance; empty when this instance does not own the key (now). */
    public Optional<Admission> admitAsOwner(String keyId, KeyRates rates, int cost) {
        Optional<HostInfo> owner = placement.owner(keyId);
        if (owner.isEmpty() || !placement.isSelf(owner.get())) {
            return Optional.empty();
        }
        return Optional.of(owned.admit(keyId, rates, cost));
    }

    @Override
    public Admission peek(ApiKey key) {
        String keyId = key.getId();
        KeyRates rates = KeyRates.of(key);
        Optional<HostInfo> owner = placement.owner(keyId);
        if (owner.isPresent() && placement.isSelf(owner.get())) {
            return owned.peek(keyId, rates);
        }
        Admission known = lastKnown.get(keyId);
        if (known != null) {
            return new Admission(
                    Outcome.ALLOWED, rates.limit(), known.remaining(), known.resetSeconds(), 0, known.quotaResetAt());
        }
        return alone.peek(keyId, rates);
    }

    private Admission alone(String keyId, KeyRates rates, int cost) {
        return alone.admit(keyId, rates.shareOf(placement.liveInstances()), cost);
    }
}
