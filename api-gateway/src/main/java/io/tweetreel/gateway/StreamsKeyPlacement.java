package io.tweetreel.gateway;

import java.time.LocalDate;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each key's limits are decided, from the gateway's Kafka Streams metadata: the instance that owns the key
 * id's partition of {@link KeyUsageTable#STORE}; and that store's day count, read from this instance's own
 * partition (only the owner asks, so no call leaves the instance).
 */
public final class StreamsKeyPlacement implements SharedKeyLimits.Placement, DailyUsage {
    private static final Logger log = LoggerFactory.getLogger(StreamsKeyPlacement.class);
    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();

    private volatile KafkaStreams streams;
    private volatile HostInfo self;

    /** Starts answering from {@code streams}; {@code self} is this instance's {@code application.server}. */
    public void attach(KafkaStreams streams, HostInfo self) {
        this.self = self;
        this.streams = streams;
    }

    @Override
    public Optional<HostInfo> owner(String keyId) {
        return metadata(keyId).map(KeyQueryMetadata::activeHost);
    }

    @Override
    public boolean isSelf(HostInfo host) {
        return host.equals(self);
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

    @Override
    public long jobsOn(String keyId, LocalDate day) {
        KafkaStreams current = streams;
        Optional<KeyQueryMetadata> owner = metadata(keyId);
        if (current == null || owner.isEmpty()) {
            return 0;
        }
        int partition = owner.get().partition();
        try {
            StateQueryRequest<String> request = StateQueryRequest.inStore(KeyUsageTable.STORE)
                    .withQuery(KeyQuery.<String, String>withKey(keyId))
                    .withPartitions(Set.of(partition))
                    .requireActive();
            QueryResult<String> answer =
                    current.query(request).getPartitionResults().get(partition);
            if (answer == null || !answer.isSuccess()) {
                log.debug(
                        "day count of {} not readable here: {}",
                        keyId,
                        answer == null ? "no answer" : answer.getFailureMessage());
                return 0;
            }
            return KeyUsageTable.jobsOn(answer.getResult(), day);
        } catch (RuntimeException e) {
            log.debug("day count of {} not readable here: {}", keyId, e.toString());
            return 0;
        }
    }

    private Optional<KeyQueryMetadata> metadata(String keyId) {
        KafkaStreams current = streams;
        if (current == null) {
            return Optional.empty();
        }
        KeyQueryMetadata owner;
        try {
            owner = current.queryMetadataForKey(KeyUsageTable.STORE, keyId, KEY_SERIALIZER);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (owner == null
                || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)
                || owner.activeHost() == null
                || owner.activeHost().port() < 0) {
            return Optional.empty();
        }
        return Optional.of(owner);
    }
}
