package io.tweetreel.gateway;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topics;
import io.tweetreel.schemas.VideoRequested;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RequestPublisher} on a transactional producer: each job's {@code VideoRequested} and its {@code pending}
 * status are committed in one Kafka transaction, so nobody ever sees one without the other. A producer allows one
 * open transaction at a time, so a single thread owns it and commits whatever jobs queued up meanwhile together
 * (group commit): one commit per batch instead of per job, which is what lets one gateway take many requests
 * per second. The queue is bounded: a full queue or a slow Kafka is {@link TemporarilyUnavailableException}
 * instead of a pile of waiting requests.
 */
public final class KafkaRequestPublisher implements RequestPublisher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaRequestPublisher.class);
    private static final int MAX_BATCH = 200;
    private static final Duration WAIT_FOR_COMMIT = Duration.ofSeconds(10);
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private record Job(String jobId, byte[] request, byte[] pending, CompletableFuture<Void> committed) {}

    private final Topics topics;
    private final Properties props;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(5000);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaProducer<String, byte[]> producer;

    /** @param transactionalId unique per gateway instance, stable across its restarts where possible */
    public KafkaRequestPublisher(String bootstrapServers, Topics topics, String transactionalId) {
        this.topics = topics;
        props = AnsweringProducerSettings.of(bootstrapServers, transactionalId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // a transaction holds two small records: if this instance dies mid-way, readers wait at most this long
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
        Job job;
        try {
            job = new Job(
                    jobId,
                    topics.requested().valueSerde().serializer().serialize(Topics.VIDEOS_REQUESTED, request),
                    topics.status().valueSerde().serializer().serialize(Topics.VIDEOS_STATUS, pending),
                    new CompletableFuture<>());
        } catch (RuntimeException e) {
            log.warn("job {} could not be encoded (schema registry unreachable?): {}", jobId, e.toString());
            throw unavailable();
        }
        if (!running || !queue.offer(job)) {
            throw unavailable();
        }
        try {
            job.committed().get(WAIT_FOR_COMMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static TemporarilyUnavailableException unavailable() {
        return new TemporarilyUnavailableException(
                "the job could not be queued right now; try again shortly", RETRY_AFTER);
    }

    private void run() {
        List<Job> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Job first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        queue.forEach(job -> job.committed().completeExceptionally(new IllegalStateException("stopped")));
    }

    private void commit(List<Job> batch) {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            try {
                p = producer = newProducer();
            } catch (RuntimeException e) {
                log.warn("transactional producer not ready: {}", e.toString());
                batch.forEach(job -> job.committed().completeExceptionally(e));
                return;
            }
        }
        try {
            p.beginTransaction();
            for (Job job : batch) {
                p.send(new ProducerRecord<>(Topics.VIDEOS_REQUESTED, job.jobId(), job.request()));
                p.send(new ProducerRecord<>(Topics.VIDEOS_STATUS, job.jobId(), job.pending()));
            }
            p.commitTransaction();
            batch.forEach(job -> job.committed().complete(null));
        } catch (RuntimeException e) {
            log.warn("transaction of {} jobs failed: {}", batch.size(), e.toString());
            batch.forEach(job -> job.committed().completeExceptionally(e));
            try {
                p.abortTransaction();
            } catch (RuntimeException abortFailed) {
                // fenced or broken: start over with a new producer on the next batch
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
