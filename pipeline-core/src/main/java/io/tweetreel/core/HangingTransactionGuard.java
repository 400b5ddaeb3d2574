package io.tweetreel.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds transactions that hang on the partitions a service reads, and aborts them.
 *
 * <p>A transaction hangs when a partition holds records of a transaction that its coordinator no longer knows
 * (it completed or aborted it without writing a marker to that partition). The partition's last stable offset
 * then stays behind its high watermark for good: every read_committed consumer, so every later job on that
 * partition, waits forever, and the broker never times it out, because the timeout lives in the coordinator.
 *
 * <p>A check compares the last stable offset of each partition with its high watermark; where it is behind, it
 * asks the partition for its producers' open transactions. One that stays open, unchanged, for longer than the
 * transaction timeout (the coordinator would have aborted it by then) and that the coordinator does not show as
 * ongoing on this partition is hanging: it is logged with its producer state and aborted through the Admin API
 * ({@code kafka-transactions.sh abort} does the same).
 */
public final class HangingTransactionGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HangingTransactionGuard.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

    /** An open transaction on a partition: who opened it, where it starts, since when this guard has seen it. */
    public record OpenTransaction(
            TopicPartition partition,
            long producerId,
            int producerEpoch,
            long startOffset,
            int coordinatorEpoch,
            long lastTimestamp,
            Instant firstSeen) {
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partition", partition.toString());
            m.put("producerId", producerId);
            m.put("producerEpoch", producerEpoch);
            m.put("startOffset", startOffset);
            m.put(
                    "lastTimestamp",
                    lastTimestamp <= 0
                            ? null
                            : Instant.ofEpochMilli(lastTimestamp).toString());
            m.put("openSince", firstSeen.toString());
            return m;
        }
    }

    private final Admin admin;
    private final Supplier<Collection<TopicPartition>> partitions;
    private final Duration transactionTimeout;
    private final Duration interval;
    private final Clock clock;
    private final Map<TopicPartition, OpenTransaction> blocking = new ConcurrentHashMap<>();
    private final Map<TopicPartition, OpenTransaction> unresolved = new ConcurrentHashMap<>();
    private final Deque<Map<String, Object>> recentlyAborted = new ConcurrentLinkedDeque<>();
    private final Counter aborted;
    private final Counter abortFailures;
    private volatile Instant lastCheck;
    private ScheduledExecutorService scheduler;

    /**
     * @param partitions         the partitions to watch, asked again at every check (they move on rebalances)
     * @param transactionTimeout the longest a transaction of the topics' writers may stay open
     * @param interval           time between two checks
     */
    public HangingTransactionGuard(
            Admin admin,
            Supplier<Collection<TopicPartition>> partitions,
            Duration transactionTimeout,
            Duration interval,
            Clock clock,
            MeterRegistry metrics) {
        this.admin = admin;
        this.partitions = partitions;
        this.transactionTimeout = transactionTimeout;
        this.interval = interval;
        this.clock = clock;
        this.aborted = Counter.builder("tweetreel.hanging.transactions.aborted")
                .description("Hanging transactions found on partitions this service reads and aborted")
                .register(metrics);
        this.abortFailures = Counter.builder("tweetreel.hanging.transactions.abort.failures")
                .description("Attempts to abort a hanging transaction that failed")
                .register(metrics);
        metrics.gauge("tweetreel.hanging.transactions", unresolved, Map::size);
        metrics.gauge("tweetreel.partitions.blocked.by.open.transaction", blocking, Map::size);
    }

    /** A guard with its own Admin client, for the service whose settings are given. */
    public static HangingTransactionGuard forService(
            PipelineConfig config, Supplier<Collection<TopicPartition>> partitions, MeterRegistry metrics) {
        Properties props = config.kafkaClientProperties();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, config.instanceId() + "-transaction-guard");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        Duration timeout = StreamsSettings.TRANSACTION_TIMEOUT;
        return new HangingTransactionGuard(
                Admin.create(props), partitions, timeout, checkInterval(timeout), Clock.systemUTC(), metrics);
    }

    /** A tenth of the transaction timeout, between 1 and 30 s: found within the timeout plus this. */
    static Duration checkInterval(Duration transactionTimeout) {
        long ms = Math.max(1_000, Math.min(30_000, transactionTimeout.toMillis() / 10));
        return Duration.ofMillis(ms);
    }

    public HangingTransactionGuard start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hanging-transaction-guard");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(
                this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info(
                "watching for hanging transactions every {} s (transaction timeout {} s)",
                interval.toSeconds(),
                transactionTimeout.toSeconds());
        return this;
    }

    /** False while a hanging transaction was found and could not be aborted yet. */
    public boolean isHealthy() {
        return unresolved.isEmpty();
    }

    /**
     * For {@code /status}: partitions held up by an open transaction now, the hanging ones not yet aborted, and
     * the last 20 it aborted.
     */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lastCheck", lastCheck == null ? null : lastCheck.toString());
        m.put(
                "openTransactions",
                blocking.values().stream().map(OpenTransaction::describe).toList());
        m.put(
                "hangingTransactions",
                unresolved.values().stream().map(OpenTransaction::describe).toList());
        m.put("abortedTransactions", List.copyOf(recentlyAborted));
        return m;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (Exception e) {
            // Kafka unreachable or a request timed out: the next check tries again
            log.warn("hanging-transaction check failed: {}", e.toString());
        }
    }

    /** One check; returns the hanging transactions it aborted. */
    public List<OpenTransaction> check() throws Exception {
        Instant now = clock.instant();
        Set<TopicPartition> watched = new HashSet<>(partitions.get());
        List<OpenTransaction> abortedNow = new ArrayList<>();
        if (watched.isEmpty()) {
            blocking.clear();
            unresolved.clear();
            lastCheck = now;
            return abortedNow;
        }
        Map<TopicPartition, Long> highWatermarks = offsets(watched, IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> stableOffsets = offsets(watched, IsolationLevel.READ_COMMITTED);
        Set<TopicPartition> behind = watched.stream()
                .filter(tp -> stableOffsets.getOrDefault(tp, 0L) < highWatermarks.getOrDefault(tp, 0L))
                .collect(Collectors.toSet());
        blocking.keySet().retainAll(behind);
        unresolved.keySet().retainAll(behind);
        if (behind.isEmpty()) {
            lastCheck = now;
            return abortedNow;
        }

        var producers = admin.describeProducers(behind).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        for (TopicPartition tp : behind) {
            long stableOffset = stableOffsets.get(tp);
            ProducerState blocker = producers.get(tp) == null
                    ? null
                    : producers.get(tp).activeProducers().stream()
                            .filter(p -> p.currentTransactionStartOffset().orElse(-1) == stableOffset)
                            .findFirst()
                            .orElse(null);
            if (blocker == null) {
                blocking.remove(tp);
                unresolved.remove(tp);
                continue;
            }
            OpenTransaction seen = blocking.get(tp);
            if (seen == null
                    || seen.producerId() != blocker.producerId()
                    || seen.producerEpoch() != blocker.producerEpoch()
                    || seen.startOffset() != stableOffset) {
                unresolved.remove(tp);
                seen = new OpenTransaction(
                        tp,
                        blocker.producerId(),
                        blocker.producerEpoch(),
                        stableOffset,
                        blocker.coordinatorEpoch().orElse(-1),
                        blocker.lastTimestamp(),
                        now);
            } else {
                // the coordinator epoch the partition knows for this producer may have moved since first sight
                seen = new OpenTransaction(
                        tp,
                        seen.producerId(),
                        seen.producerEpoch(),
                        stableOffset,
                        blocker.coordinatorEpoch().orElse(-1),
                        blocker.lastTimestamp(),
                        seen.firstSeen());
            }
            blocking.put(tp, seen);
            if (Duration.between(seen.firstSeen(), now).compareTo(transactionTimeout) < 0) {
                continue;
            }
            String coordinatorView = coordinatorView(seen);
            if (coordinatorView.startsWith("ongoing")) {
                // the coordinator still owns it and will end it itself
                unresolved.remove(tp);
                continue;
            }
            log.warn(
                    "hanging transaction on {}: producer {} epoch {} open since offset {} (last write {}), "
                            + "last stable offset {} < high watermark {} for {} s; coordinator: {}; aborting it",
                    tp,
                    seen.producerId(),
                    seen.producerEpoch(),
                    seen.startOffset(),
                    seen.describe().get("lastTimestamp"),
                    stableOffset,
                    highWatermarks.get(tp),
                    Duration.between(seen.firstSeen(), now).toSeconds(),
                    coordinatorView);
            unresolved.put(tp, seen);
            if (abort(seen)) {
                abortedNow.add(seen);
                unresolved.remove(tp);
                blocking.remove(tp);
            }
        }
        lastCheck = now;
        return abortedNow;
    }

    private boolean abort(OpenTransaction hang) {
        // an empty coordinator epoch means no marker was ever written for this producer here; 0 is accepted then
        int coordinatorEpoch = Math.max(hang.coordinatorEpoch(), 0);
        try {
            admin.abortTransaction(new AbortTransactionSpec(
                            hang.partition(), hang.producerId(), (short) hang.producerEpoch(), coordinatorEpoch))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            aborted.increment();
            Map<String, Object> record = new LinkedHashMap<>(hang.describe());
            record.put("abortedAt", clock.instant().toString());
            recentlyAborted.addFirst(record);
            while (recentlyAborted.size() > 20) {
                recentlyAborted.removeLast();
            }
            log.warn(
                    "aborted the hanging transaction of producer {} on {}: the partition is readable again",
                    hang.producerId(),
                    hang.partition());
            return true;
        } catch (Exception e) {
            // e.g. TransactionCoordinatorFencedException: a coordinator newer than the epoch the partition
            // reported has written for this producer here, so it is not ours to end; the next check looks again
            abortFailures.increment();
            log.error(
                    "could not abort the hanging transaction of producer {} on {} (coordinator epoch {}): {}",
                    hang.producerId(),
                    hang.partition(),
                    coordinatorEpoch,
                    e.toString());
            return false;
        }
    }

    /**
     * What the transaction coordinator says of this producer: "ongoing ..." when it has a transaction open that
     * includes the partition, otherwise a description for the log.
     */
    private String coordinatorView(OpenTransaction hang) {
        try {
            Collection<TransactionListing> listings = admin.listTransactions(
                            new ListTransactionsOptions().filterProducerIds(Set.of(hang.producerId())))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (listings.isEmpty()) {
                return "no transactional id with this producer id";
            }
            List<String> ids =
                    listings.stream().map(TransactionListing::transactionalId).toList();
            Map<String, TransactionDescription> described =
                    admin.describeTransactions(ids).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> views = new ArrayList<>();
            for (var entry : described.entrySet()) {
                TransactionDescription d = entry.getValue();
                boolean open = d.state() == TransactionState.ONGOING
                        || d.state() == TransactionState.PREPARE_COMMIT
                        || d.state() == TransactionState.PREPARE_ABORT;
                if (open
                        && d.producerId() == hang.producerId()
                        && d.topicPartitions().contains(hang.partition())) {
                    return "ongoing as " + entry.getKey();
                }
                views.add(entry.getKey() + " " + d.state() + " epoch " + d.producerEpoch() + " partitions "
                        + d.topicPartitions());
            }
            return String.join("; ", views);
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> watched, IsolationLevel isolation) throws Exception {
        Map<TopicPartition, OffsetSpec> latest =
                watched.stream().collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        var result = admin.listOffsets(latest, new ListOffsetsOptions(isolation))
                .all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
