package io.tweetreel.gateway;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.tweetreel.core.KafkaClientSettings;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoBatch;
import io.tweetreel.schemas.VideoRequested;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RequestPublisher} and {@link BatchPublisher} on a transactional producer: each job's
 * {@code VideoRequested} and its {@code pending} status are committed in one Kafka transaction, so nobody ever sees
 * one without the other; a batch's {@code VideoBatch}, its items (on {@code videos.batch-queue}) and their
 * {@code pending} statuses likewise, all in one transaction. A producer allows one
 * open transaction at a time, so a single thread owns it and commits whatever submissions queued up meanwhile together
 * (group commit): one commit per group instead of per job, which is what lets one gateway take many requests
 * per second. The queue is bounded: a full queue or a slow Kafka is {@link TemporarilyUnavailableException}
 * instead of a pile of waiting requests.
 */
public final class KafkaRequestPublisher implements RequestPublisher, BatchPublisher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaRequestPublisher.class);
    private static final int MAX_GROUP = 200;
    private static final Duration WAIT_FOR_COMMIT = Duration.ofSeconds(10);
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final String REFUSAL = "the job could not be queued right now; try again shortly";

    /** What must be committed together: one job's two records, or a whole batch's. */
    private record Submission(List<ProducerRecord<String, byte[]>> records, CompletableFuture<Void> committed) {}

    private final Topics topics;
    private final Properties props;
    private final BlockingQueue<Submission> queue = new ArrayBlockingQueue<>(5000);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaProducer<String, byte[]> producer;

    /** @param transactionalId unique per gateway instance, stable across its restarts where possible */
    public KafkaRequestPublisher(KafkaClientSettings kafka, Topics topics, String transactionalId) {
        this.topics = topics;
        props = AnsweringProducerSettings.of(kafka, transactionalId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // a transaction holds small records (two per job, about a thousand for a batch of 500): if this instance
        // dies mid-way, readers wait at most this long
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000);
        thread = new Thread(this::run, "request-publisher");
        thread.setDaemon(true);
    }

    /** Creates the producer and claims its transactional id (aborting what a previous incarnation left open). */
    public KafkaRequestPublisher start() {
        RetryPolicy<Object> untilKafkaAnswers = RetryPolicy.builder()
                .handle(RuntimeException.class)
                .withDelay(Duration.ofMillis(500))
                .withMaxRetries(-1)
                .withMaxDuration(START_WAIT)
                .onFailedAttempt(e -> log.warn(
                        "transactional producer not ready yet: {}",
                        e.getLastException().toString()))
                .build();
        producer = Failsafe.with(untilKafkaAnswers).get(this::newProducer);
        thread.start();
        return this;
    }

    public boolean isReady() {
        return producer != null && thread.isAlive();
    }

    @Override
    public void publish(String jobId, VideoRequested request, JobStatus pending) {
        List<ProducerRecord<String, byte[]>> records;
        try {
            records = List.of(
                    new ProducerRecord<>(
                            Topics.VIDEOS_REQUESTED, jobId, encodeRequest(Topics.VIDEOS_REQUESTED, request)),
                    new ProducerRecord<>(Topics.VIDEOS_STATUS, jobId, encodeStatus(pending)));
        } catch (RuntimeException e) {
            log.warn("job {} could not be encoded (schema registry unreachable?): {}", jobId, e.toString());
            throw unavailable();
        }
        commitAndWait(new Submission(records, new CompletableFuture<>()));
    }

    @Override
    public void publish(String batchId, VideoBatch batch, String fingerprint, List<Item> items) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(1 + 2 * items.size());
        try {
            ProducerRecord<String, byte[]> batchRecord = new ProducerRecord<>(
                    Topics.VIDEOS_BATCHES,
                    batchId,
                    topics.batches().valueSerde().serializer().serialize(Topics.VIDEOS_BATCHES, batch));
            batchRecord.headers().add(BatchTable.FINGERPRINT_HEADER, fingerprint.getBytes(StandardCharsets.US_ASCII));
            records.add(batchRecord);
            for (Item item : items) {
                records.add(new ProducerRecord<>(
                        Topics.VIDEOS_BATCH_QUEUE,
                        item.jobId(),
                        encodeRequest(Topics.VIDEOS_BATCH_QUEUE, item.request())));
                records.add(new ProducerRecord<>(Topics.VIDEOS_STATUS, item.jobId(), encodeStatus(item.pending())));
            }
        } catch (RuntimeException e) {
            log.warn("batch {} could not be encoded (schema registry unreachable?): {}", batchId, e.toString());
            throw unavailable();
        }
        commitAndWait(new Submission(records, new CompletableFuture<>()));
    }

    private byte[] encodeRequest(String topic, VideoRequested request) {
        var serde = topic.equals(Topics.VIDEOS_BATCH_QUEUE) ? topics.batchQueue() : topics.requested();
        return serde.valueSerde().serializer().serialize(topic, request);
    }

    private byte[] encodeStatus(JobStatus status) {
        return topics.status().valueSerde().serializer().serialize(Topics.VIDEOS_STATUS, status);
    }

    private void commitAndWait(Submission job) {
        if (!running || !queue.offer(job)) {
            throw unavailable();
        }
        AckedProducer.awaitAll(
                List.of(job.committed()),
                System.nanoTime() + WAIT_FOR_COMMIT.toNanos(),
                REFUSAL,
                // debug only: the publisher's thread warns of a failed transaction once for its whole group
                failure -> log.debug("submission not committed: {}", failure.toString()));
    }

    private static TemporarilyUnavailableException unavailable() {
        return AckedProducer.unavailable(REFUSAL);
    }

    private void run() {
        List<Submission> group = new ArrayList<>(MAX_GROUP);
        while (running || !queue.isEmpty()) {
            try {
                Submission first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.clear();
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        queue.forEach(job -> job.committed().completeExceptionally(new IllegalStateException("stopped")));
    }

    private void commit(List<Submission> group) {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            try {
                p = producer = newProducer();
            } catch (RuntimeException e) {
                log.warn("transactional producer not ready: {}", e.toString());
                group.forEach(job -> job.committed().completeExceptionally(e));
                return;
            }
        }
        try {
            p.beginTransaction();
            for (Submission submission : group) {
                submission.records().forEach(p::send);
            }
            p.commitTransaction();
            group.forEach(job -> job.committed().complete(null));
        } catch (RuntimeException e) {
            log.warn("transaction of {} submissions failed: {}", group.size(), e.toString());
            group.forEach(job -> job.committed().completeExceptionally(e));
            try {
                p.abortTransaction();
            } catch (RuntimeException abortFailed) {
                // fenced or broken: start over with a new producer on the next group
                p.close(Duration.ZERO);
                producer = null;
            }
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        try {
            p.initTransactions();
            return p;
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(WAIT_FOR_COMMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }
}
