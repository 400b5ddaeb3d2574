package io.tweetreel.core;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic on its own thread and hands each record, undecoded, to a {@link Handler}: a
 * plain consumer that is assigned every partition, not a group member, so every instance sees every record.
 * Committed records only. Partitions added to the topic later are picked up within {@link #PARTITION_REFRESH} and
 * read from their beginning. A failure of the consumer is logged and retried each second until {@link #close}.
 */
public final class WholeTopicReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WholeTopicReader.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

    /** Where reading starts in the partitions there are at the start. */
    public enum From {
        BEGINNING,
        END
    }

    /** What the reader does with what it reads; called on its thread only. */
    public interface Handler {
        void handle(ConsumerRecord<String, byte[]> record);

        /** After each poll, once its records were handled: the consumer's positions are past them. */
        default void polled(Consumer<String, byte[]> consumer) {}
    }

    private final String topic;
    private final From from;
    private final Duration pollTimeout;
    private final Handler handler;
    private final Properties props;
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean assigned;

    /**
     * @param clientId    the consumer's client id (in the broker's logs and metrics)
     * @param pollTimeout how long one poll waits when nothing arrives; a record arriving ends the wait at once
     */
    public WholeTopicReader(
            KafkaClientSettings kafka,
            String topic,
            String clientId,
            From from,
            Duration pollTimeout,
            Handler handler) {
        this.topic = topic;
        this.from = from;
        this.pollTimeout = pollTimeout;
        this.handler = handler;
        props = kafka.properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // a record written in an aborted transaction never happened
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, from == From.BEGINNING ? "earliest" : "latest");
        // the broker answers a fetch at once when a record arrives; with nothing new, after this long
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) Math.min(100, pollTimeout.toMillis()));
        thread = new Thread(this::run, clientId);
        thread.setDaemon(true);
    }

    public WholeTopicReader start() {
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        thread.start();
        return this;
    }

    /** True once every partition is assigned, and while the reading thread runs. */
    public boolean isReading() {
        return assigned && thread.isAlive();
    }

    /** True while the reading thread runs. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        long nextRefresh = 0;
        try {
            while (running) {
                try {
                    if (System.nanoTime() >= nextRefresh) {
                        assignAll();
                        nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout)) {
                        handler.handle(record);
                    }
                    handler.polled(consumer);
                } catch (WakeupException e) {
                    // close() wants the loop to look at running again
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    log.warn("reading {}: {}; retrying", topic, e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** (Re)assigns every partition of the topic; partitions added later start from their beginning. */
    private void assignAll() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        if (partitions.isEmpty() || consumer.assignment().containsAll(partitions)) {
            return;
        }
        boolean first = consumer.assignment().isEmpty();
        List<TopicPartition> added = partitions.stream()
                .filter(p -> !consumer.assignment().contains(p))
                .toList();
        consumer.assign(partitions);
        if (first && from == From.END) {
            consumer.seekToEnd(partitions);
        } else {
            consumer.seekToBeginning(added);
        }
        assigned = true;
        log.info("{} reads {} partitions of {}", thread.getName(), partitions.size(), topic);
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
