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
 * {@link StoreOwners} from this gateway instance's Kafka Streams: owners from its metadata ({@code
 * queryMetadataForKey}), values from its own copies through interactive queries (IQv2).
 */
public final class StreamsStoreOwners implements StoreOwners {
    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private volatile KafkaStreams streams;
    private volatile HostInfo self;

    /** Starts answering from {@code streams}; {@code self} is this instance's {@code application.server}. */
    public void attach(KafkaStreams streams, HostInfo self) {
        this.self = self;
        this.streams = streams;
    }

    @Override
    public boolean isSelf(HostInfo host) {
        return host.equals(self);
    }

    @Override
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

    @Override
    public <V> Optional<V> queryHere(String store, String key, Owner owner) {
        return query(store, key, owner.partition(), true);
    }

    @Override
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

    @Override
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
