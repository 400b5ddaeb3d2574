package io.tweetreel.core;

import io.tweetreel.core.WholeTopicReader.From;
import io.tweetreel.schemas.ApiKey;
import io.tweetreel.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every API key, read from the whole {@code videos.api-keys} topic into memory, by id and by the hash of the key.
 *
 * <p>Each instance reads every partition from the beginning with a {@link WholeTopicReader} (not a group member),
 * committed records only; it keeps reading, so a key written or revoked on any instance is seen
 * here within about one poll ({@value #POLL_MILLIS} ms). A Streams global store was not used: its processor does
 * not run while the store is restored, so an index kept beside it would miss the keys read at start-up.
 * {@link #start} returns once everything written before it has been read; {@link #awaitRead} lets a writer on this
 * instance wait until its own write is visible here. A record that cannot be decoded is logged and skipped.
 */
public final class ApiKeyDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyDirectory.class);
    /** Short, so that a revocation reaches every instance well within the promised 2 s. */
    static final int POLL_MILLIS = 100;

    private final Topic<String, ApiKey> topic;
    private final Deserializer<ApiKey> values;
    private final Map<String, ApiKey> byId = new ConcurrentHashMap<>();
    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();
    /** Per partition, the offset of the next record this directory will read; guarded by {@code this}. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    private final WholeTopicReader reader;
    /** The end of each partition when reading began: what "caught up" means; set on the reader's thread. */
    private Map<TopicPartition, Long> endAtStart;

    private volatile boolean caughtUp;

    public ApiKeyDirectory(KafkaClientSettings kafka, Topic<String, ApiKey> topic, String clientId) {
        this.topic = topic;
        this.values = topic.valueSerde().deserializer();
        this.reader = new WholeTopicReader(
                kafka,
                topic.name(),
                clientId + "-api-keys",
                From.BEGINNING,
                Duration.ofMillis(POLL_MILLIS),
                new WholeTopicReader.Handler() {
                    @Override
                    public void handle(ConsumerRecord<String, byte[]> record) {
                        apply(record);
                    }

                    @Override
                    public void polled(Consumer<String, byte[]> consumer) {
                        recordPositions(consumer);
                    }
                });
    }

    /** Lowercase hex SHA-256 of a key, as {@link ApiKey#getKeyHash()} holds it. */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /**
     * Starts reading and returns once every record the topic held when this was called has been read.
     *
     * @throws TimeoutException when it has not caught up within {@code timeout} (the directory keeps trying; the
     *                          service's readiness says when it has)
     */
    public ApiKeyDirectory start(Duration timeout) throws TimeoutException, InterruptedException {
        reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!caughtUp) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(
                            "API keys of " + topic.name() + " not read within " + timeout.toSeconds() + " s");
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        log.info("{} API keys read from {}", byId.size(), topic.name());
        return this;
    }

    /** True once it has read what the topic held at start and still reads. */
    public boolean isReady() {
        return caughtUp && reader.isAlive();
    }

    /** The key with this id, revoked or not. */
    public Optional<ApiKey> byId(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /**
     * The key a client presented, revoked or not. Only the presented key's hash is compared (as a map lookup), never
     * the raw key against stored text, so the answer's timing says nothing about how much of a guess was right.
     */
    public Optional<ApiKey> byKey(String presentedKey) {
        return presentedKey == null ? Optional.empty() : Optional.ofNullable(byHash.get(hash(presentedKey)));
    }

    /** Every key, revoked ones included, oldest first. */
    public List<ApiKey> all() {
        return byId.values().stream()
                .sorted(Comparator.comparing(ApiKey::getCreatedAt).thenComparing(ApiKey::getId))
                .toList();
    }

    /**
     * Waits until the record at {@code offset} of {@code partition} has been read here (read-your-writes after a
     * write on this instance).
     *
     * @return false when it has not been read within {@code timeout}
     */
    public boolean awaitRead(int partition, long offset, Duration timeout) throws InterruptedException {
        TopicPartition tp = new TopicPartition(topic.name(), partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (positions.getOrDefault(tp, 0L) <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !reader.isAlive()) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            ApiKey removed = byId.remove(record.key());
            if (removed != null) {
                byHash.remove(removed.getKeyHash(), removed);
            }
            return;
        }
        ApiKey key;
        try {
            key = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            log.warn(
                    "skipping an unreadable record on {} (key {}, offset {}): {}",
                    record.topic(),
                    record.key(),
                    record.offset(),
                    e.toString());
            return;
        }
        ApiKey previous = byId.put(record.key(), key);
        if (previous != null && !previous.getKeyHash().equals(key.getKeyHash())) {
            byHash.remove(previous.getKeyHash(), previous);
        }
        byHash.put(key.getKeyHash(), key);
    }

    /** Publishes how far each partition has been read, and whether what was there at start is all read. */
    private void recordPositions(Consumer<String, byte[]> consumer) {
        if (endAtStart == null && !consumer.assignment().isEmpty()) {
            endAtStart = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10));
        }
        Map<TopicPartition, Long> now = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            now.put(tp, consumer.position(tp));
        }
        synchronized (this) {
            positions.putAll(now);
            if (!caughtUp && endAtStart != null) {
                caughtUp = endAtStart.entrySet().stream()
                        .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
            }
            notifyAll();
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
