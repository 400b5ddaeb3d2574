package io.tweetreel.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/**
 * The transactional producer of a service's stream threads, holding the records a job writes until the thread
 * commits, then sending them and committing at once.
 *
 * <p>Why: a stream thread's transaction begins on the broker with its first send and ends at the thread's next
 * commit, which comes only after the thread has processed one record of each of its tasks. With several tasks
 * per thread, one job's output would sit in an open transaction while the thread works on the next jobs, and an
 * open transaction holds back every read_committed reader of its partitions. A stage killed then leaves them
 * waiting for the transaction timeout, which had to be longer than several jobs. Held back here, the records
 * reach the broker only when the thread commits: the transaction is open for the commit's few round trips, and
 * the stages' transaction timeout covers just that window ({@link StreamsSettings#TRANSACTION_TIMEOUT}).
 *
 * <p>Used by one stream thread (Kafka Streams gives each its own producer); records keep their order; the
 * callbacks and futures Streams passes complete when the records are really sent.
 */
final class SendAtCommitProducer implements Producer<byte[], byte[]> {
    private final Producer<byte[], byte[]> producer;
    private final List<Held> held = new ArrayList<>();

    SendAtCommitProducer(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** The client supplier that gives a Kafka Streams app these producers (its transactional ones only). */
    static KafkaClientSupplier clientSupplier() {
        return new DefaultKafkaClientSupplier() {
            @Override
            public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
                Producer<byte[], byte[]> producer = super.getProducer(config);
                return config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) == null
                        ? producer
                        : new SendAtCommitProducer(producer);
            }
        };
    }

    private record Held(
            ProducerRecord<byte[], byte[]> record, Callback callback, CompletableFuture<RecordMetadata> sent) {}

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        held.add(new Held(record, callback, sent));
        return sent;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return send(record, null);
    }

    /** Sends what is held, in order; the broker sees the transaction from here on. */
    private synchronized void sendHeld() {
        List<Held> sending = List.copyOf(held);
        held.clear();
        for (Held h : sending) {
            producer.send(h.record(), (metadata, exception) -> {
                if (exception == null) {
                    h.sent().complete(metadata);
                } else {
                    h.sent().completeExceptionally(exception);
                }
                if (h.callback() != null) {
                    h.callback().onCompletion(metadata, exception);
                }
            });
        }
    }

    @Override
    public void flush() {
        sendHeld();
        producer.flush();
    }

    @Override
    public void sendOffsetsToTransaction(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        sendHeld();
        producer.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public void commitTransaction() {
        sendHeld();
        producer.commitTransaction();
    }

    @Override
    public synchronized void abortTransaction() {
        held.clear(); // never sent: nothing of them to abort on the broker
        producer.abortTransaction();
    }

    @Override
    public void initTransactions() {
        producer.initTransactions();
    }

    @Override
    public void beginTransaction() {
        producer.beginTransaction(); // local to the client: the broker learns of it at the first send
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        producer.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        producer.unregisterMetricFromSubscription(metric);
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return producer.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return producer.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return producer.clientInstanceId(timeout);
    }

    @Override
    public synchronized void close() {
        held.clear();
        producer.close();
    }

    @Override
    public synchronized void close(Duration timeout) {
        held.clear();
        producer.close(timeout);
    }
}
