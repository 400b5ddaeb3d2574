package io.tweetreel.gateway;

import static org.awaitility.Awaitility.await;

import io.tweetreel.core.EnvConfig;
import io.tweetreel.core.MinioObjectStore;
import io.tweetreel.core.ObjectStoreConfig;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/** Gateways and clients on the dev stack, for the integration and browser tests. */
final class StackGateways {
    private StackGateways() {}

    static Map<String, String> environment(StackEndpoints stack, String instance) {
        Map<String, String> env = new HashMap<>(stack.asEnvironment());
        env.put("GATEWAY_HOST", "127.0.0.1");
        env.put("GATEWAY_PORT", "0");
        env.put("BASE_URL", "http://127.0.0.1:3000");
        env.put("INSTANCE_ID", instance);
        env.put("SSE_HEARTBEAT", "2s");
        // these tests call the API without keys; the ones about keys set API_AUTH=keys themselves
        env.put("API_AUTH", "none");
        try {
            env.put(
                    "STATE_DIR",
                    Files.createTempDirectory("gateway-" + instance + "-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    /** A gateway on the stack, started and with its status table running. */
    static GatewayService start(StackEndpoints stack, String instance) {
        return start(stack, instance, Map.of());
    }

    /** A gateway on the stack with some variables set for the test (e.g. a short JOB_TIMEOUT). */
    static GatewayService start(StackEndpoints stack, String instance, Map<String, String> settings) {
        Map<String, String> env = environment(stack, instance);
        env.putAll(settings);
        GatewayService gateway = new GatewayService(GatewayConfig.read(EnvConfig.of(env))).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.state() == KafkaStreams.State.RUNNING);
        return gateway;
    }

    static TestHttp http(GatewayService gateway) {
        return new TestHttp("http://127.0.0.1:" + gateway.port());
    }

    /** Writes status updates the way the stages do. */
    static final class StatusWriter implements AutoCloseable {
        private final KafkaProducer<String, JobStatus> producer;

        StatusWriter(StackEndpoints stack) {
            Topics topics = Topics.withRegistry(stack.registryUrl());
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(
                    props, new StringSerializer(), topics.status().valueSerde().serializer());
        }

        void write(String jobId, JobStatus status) {
            try {
                producer.send(new ProducerRecord<>(Topics.VIDEOS_STATUS, jobId, status))
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("status not written", e);
            }
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    static MinioObjectStore objectStore(StackEndpoints stack) {
        return new MinioObjectStore(ObjectStoreConfig.read(EnvConfig.of(stack.asEnvironment())));
    }

    static Path tempFile(String prefix, String suffix) {
        try {
            return Files.createTempFile(prefix, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
