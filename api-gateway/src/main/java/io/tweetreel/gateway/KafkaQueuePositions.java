package io.tweetreel.gateway;

import io.tweetreel.core.KafkaClientSettings;
import io.tweetreel.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link QueuePositions} read with the Admin client: the committed offsets of the stage groups, the log start
 * offsets, and the high watermarks and last stable offsets of the job topics, four requests per read. Bounded by {@code timeout} and never throwing, because it runs on the gateway's
 * stream thread: when Kafka cannot answer, the read is empty and the watch skips that scan.
 */
final class KafkaQueuePositions implements QueuePositions, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaQueuePositions.class);

    private final Admin admin;
    private final Duration timeout;

    KafkaQueuePositions(KafkaClientSettings kafka, String clientId, Duration timeout) {
        Properties p = kafka.properties();
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        // the stream thread waits for the answer: give up at our bound, not the client's default 60 s
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.admin = Admin.create(p);
        this.timeout = timeout;
    }

    @Override
    public Optional<Positions> read(Set<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return Optional.of(new Positions(Map.of(), Map.of(), Set.of(), Map.of()));
        }
        try {
            Map<TopicPartition, Long> committed = committed(partitions);
            Map<TopicPartition, Long> logStart = logStart(partitions);
            return Optional.of(ends(partitions, committed, logStart));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.warn(
                    "cannot read the stages' committed offsets ({}); stalled jobs are looked at next scan",
                    cause.toString());
            return Optional.empty();
        }
    }

    private Map<TopicPartition, Long> committed(Set<TopicPartition> partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        partitions.stream()
                .collect(Collectors.groupingBy(tp -> READER_GROUPS.get(tp.topic()), Collectors.toSet()))
                .forEach((group, tps) -> specs.put(group, new ListConsumerGroupOffsetsSpec().topicPartitions(tps)));
        specs.put(
                STATUS_READER,
                new ListConsumerGroupOffsetsSpec()
                        .topicPartitions(partitions.stream()
                                .map(tp -> new TopicPartition(Topics.VIDEOS_STATUS, tp.partition()))
                                .collect(Collectors.toSet())));
        ListConsumerGroupOffsetsResult result = admin.listConsumerGroupOffsets(specs);
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (String group : specs.keySet()) {
            Map<TopicPartition, OffsetAndMetadata> offsets;
            try {
                offsets = result.partitionsToOffsetAndMetadata(group).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    continue; // the stage never ran: nothing of its topic has been consumed
                }
                throw e;
            }
            offsets.forEach((tp, offset) -> {
                if (offset != null) { // null: the group has not committed on this partition yet
                    committed.put(tp, offset.offset());
                }
            });
        }
        return committed;
    }

    private Map<TopicPartition, Long> logStart(Set<TopicPartition> partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> earliest = partitions.stream()
                .filter(tp -> READER_GROUPS.containsKey(tp.topic()))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest()));
        Map<TopicPartition, ListOffsetsResultInfo> infos =
                admin.listOffsets(earliest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> logStart = new HashMap<>();
        infos.forEach((tp, info) -> logStart.put(tp, info.offset()));
        return logStart;
    }

    /**
     * The last stable offsets of the job topics' partitions with the given partitions' numbers, and which of them
     * hold an open transaction. Read after the committed offsets: see {@link QueuePositions#read}.
     */
    private Positions ends(
            Set<TopicPartition> partitions, Map<TopicPartition, Long> committed, Map<TopicPartition, Long> logStart)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<Integer> numbers =
                partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : JOB_TOPICS) {
            numbers.forEach(n -> latest.put(new TopicPartition(topic, n), OffsetSpec.latest()));
        }
        var high = admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Set<TopicPartition> unsettled = latest.keySet().stream()
                .filter(tp -> stable.get(tp).offset() < high.get(tp).offset())
                .collect(Collectors.toSet());
        Map<TopicPartition, Long> stableEnd = new HashMap<>();
        stable.forEach((tp, info) -> stableEnd.put(tp, info.offset()));
        return new Positions(committed, logStart, unsettled, stableEnd);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
