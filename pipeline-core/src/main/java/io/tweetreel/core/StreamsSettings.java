package io.tweetreel.core;

import io.tweetreel.schemas.Topics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/** Kafka Streams properties every stage runs with. */
public final class StreamsSettings {
    private StreamsSettings() {}

    public static Properties forStage(PipelineConfig config, String applicationId) {
        // brokers and credentials; Streams passes them on to the producers, consumers and admin client it builds
        Properties p = config.kafkaClientProperties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.CLIENT_ID_CONFIG, config.instanceId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // one stream thread per concurrent job; more throughput = more instances
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.maxConcurrentJobs());
        p.put(
                StreamsConfig.STATE_DIR_CONFIG,
                config.stateDir().resolve("streams").toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topicReplicationFactor());
        // records that cannot be read or processed go to the dead-letter topic, with the error in headers
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.VIDEOS_DEAD_LETTER);
        p.put("processing.exception.handler.global.enabled", true);

        // A job's records reach the broker only when its thread commits (SendAtCommitProducer), so a transaction
        // is open for the commit alone; a job (work + retries) blocks its thread, so the poll limit sits above it.
        long longestJobMs = config.jobTimeout().plus(config.retryFor()).toMillis();
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int)
                TRANSACTION_TIMEOUT.toMillis());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), (int)
                Math.min(longestJobMs * 2 + 60_000, Integer.MAX_VALUE));
        // Take one job at a time so a rebalance or crash redoes at most the job in hand, and idle
        // instances are not starved by a big fetch.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1);
        // a crashed instance's partitions (its job in hand and everything queued behind it) wait until the group
        // notices
        noticeCrashesWithin(p, CRASH_NOTICED_WITHIN);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        return p;
    }

    /**
     * How long a group takes to notice a member that died without leaving (kill -9, a lost machine or link) and give
     * its partitions to the others: 15 s instead of the client's 45 s. Heartbeats come from their own thread, so a
     * long job does not count against it; the broker's minimum is 6 s.
     */
    public static final Duration CRASH_NOTICED_WITHIN = Duration.ofSeconds(15);

    /** Sets the group session timeout of a Streams app's consumers to {@code within}, heartbeating five times in it. */
    public static void noticeCrashesWithin(Properties p, Duration within) {
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) within.toMillis());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), (int) within.toMillis() / 5);
    }

    /**
     * Longest a stage's transaction may stay open, which is also how long a stage killed in the middle of its
     * commit holds back the readers of its output partitions. A transaction lasts from its first send to its
     * commit, milliseconds ({@link SendAtCommitProducer}); 30 s lets a commit ride out a broker failover (the
     * dev cluster pauses about 12 s). A commit that still overruns it is aborted by the broker and the thread's
     * jobs are done again: slower, never lost.
     */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
}
