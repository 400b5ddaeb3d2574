package io.tweetreel.core;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's Kafka Streams instance with what every Streams service runs around it: a dead stream thread is
 * replaced, Streams metrics are published, the {@link HangingTransactionGuard} watches the partitions it works, and
 * the ops endpoints answer (ready once Streams is RUNNING, the partitions are unblocked and the service's own
 * checks pass). {@code StageService} and the notifier start their topology through it.
 */
public final class ServiceStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceStreams.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final HangingTransactionGuard transactionGuard;
    private final OpsServer ops;

    /**
     * Starts the topology and the ops endpoints.
     *
     * @param readinessChecks besides Streams RUNNING and unblocked partitions, what must answer for readiness
     * @param status          the service's {@code /status}; {@link #describe} gives the parts this class knows
     */
    public ServiceStreams(
            PipelineConfig config,
            Topology topology,
            Properties settings,
            PrometheusMeterRegistry metrics,
            Map<String, BooleanSupplier> readinessChecks,
            Supplier<Map<String, Object>> status) {
        streams = new KafkaStreams(topology, settings, SendAtCommitProducer.clientSupplier());
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread died, replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> log.info("streams {} -> {}", before, now));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        streams.start();
        transactionGuard = HangingTransactionGuard.forService(config, this::activePartitions, metrics)
                .start();

        Map<String, BooleanSupplier> checks = new LinkedHashMap<>(readinessChecks);
        checks.put("kafka-streams", () -> streams.state() == KafkaStreams.State.RUNNING);
        checks.put("input-partitions", transactionGuard::isHealthy);
        ops = OpsServer.start(config.opsHost(), config.opsPort(), new OpsEndpoints(metrics, checks, status));
    }

    /** The partitions of the input topics this instance works now. */
    public List<TopicPartition> activePartitions() {
        return streams.metadataForLocalThreads().stream()
                .flatMap(t -> t.activeTasks().stream())
                .flatMap(t -> t.topicPartitions().stream())
                .toList();
    }

    /** What {@code /status} says of the stream: running or not, its state, partitions and open transactions. */
    public static void describe(ServiceStreams running, Map<String, Object> status) {
        status.put("isRunning", running != null && running.streams.state().isRunningOrRebalancing());
        status.put(
                "state",
                running == null ? "NOT_STARTED" : running.streams.state().name());
    }

    /** The parts of {@code /status} that come after the service's own: partitions and transactions. */
    public static void describePartitions(ServiceStreams running, Map<String, Object> status) {
        status.put(
                "assignedPartitions",
                running == null
                        ? List.of()
                        : running.activePartitions().stream()
                                .map(Object::toString)
                                .sorted()
                                .toList());
        status.put("transactions", running == null ? Map.of() : running.transactionGuard.status());
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public int opsPort() {
        return ops.port();
    }

    /** Closes the stream (waiting up to {@code timeout} for work in hand to finish and commit), then the rest. */
    public void close(Duration timeout) {
        streams.close(timeout);
        streamsMetrics.close();
        transactionGuard.close();
        ops.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
