package io.tweetreel.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tweetreel.devstack.DevStack;
import io.tweetreel.devstack.StackEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The services against a broker that takes only SCRAM logins ({@code ./tweetreel up --kafka-auth}): a reel goes
 * through the whole pipeline with the stack's credentials, and clients without them, or with a wrong password, get
 * nothing from Kafka.
 */
@ExtendWith(KafkaAuthStackExtension.class)
class KafkaAuthSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for a refused client to give up by itself, short enough to keep the test quick. */
    private static final int CLIENT_TIMEOUT_MS = 4_000;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** This stack is needed by no other class: free its processes now instead of at the end of the run. */
    @AfterAll
    static void stopTheStack(DevStack stack) {
        stack.close();
    }

    @Test
    void aReelGoesThroughThePipelineWhoseServicesLogInToKafka(StackEndpoints stack) throws Exception {
        assertThat(stack.kafkaClientProperties())
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256");
        String request = JSON.writeValueAsString(Map.of(
                "tweetBody", "Only logged-in clients reach this broker 🔐",
                "profileName", "Reel Tester",
                "username", "reel_tester",
                "durationSeconds", 3));

        HttpResponse<String> accepted = http.send(
                HttpRequest.newBuilder(URI.create(KafkaAuthStackExtension.GATEWAY + "/api/generate"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = JSON.readTree(accepted.body()).get("jobId").asText();

        JsonNode[] job = new JsonNode[1];
        // a 3 s reel; minutes only on a machine as loaded as CI's (it took 103 s at a load average of 35 on 2 cores)
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(KafkaAuthStackExtension.GATEWAY + "/api/jobs/" + jobId))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    job[0] = JSON.readTree(r.body());
                    assertThat(job[0].get("status").asText())
                            .as("job %s", job[0])
                            .isNotEqualTo("failed");
                    return job[0].get("status").asText().equals("completed");
                });
        assertThat(job[0].at("/result/resolution").asText()).isEqualTo("1080x1920");
    }

    @Test
    void aClientWithoutCredentialsCanNeitherListTopicsNorProduce(StackEndpoints stack) {
        // a PLAINTEXT client at the SASL listener: the broker drops every request before a login, so the client
        // retries until its own deadline
        Map<String, Object> plaintext = Map.of("bootstrap.servers", stack.bootstrapServers());

        try (Admin admin = Admin.create(withTimeouts(plaintext))) {
            assertThatThrownBy(() -> admin.listTopics(new ListTopicsOptions().timeoutMs(CLIENT_TIMEOUT_MS))
                            .names()
                            .get(CLIENT_TIMEOUT_MS * 3L, TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
        try (KafkaProducer<byte[], byte[]> producer = producer(plaintext)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("videos.requested", new byte[] {1}))
                            .get(CLIENT_TIMEOUT_MS * 3L, TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void aWrongPasswordIsAnAuthenticationError(StackEndpoints stack) {
        Map<String, Object> wrongPassword = new HashMap<>(stack.kafkaClientProperties());
        wrongPassword.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"tweetreel\""
                        + " password=\"not-the-password\";");

        try (Admin admin = Admin.create(withTimeouts(wrongPassword))) {
            assertThatThrownBy(() -> admin.listTopics(new ListTopicsOptions().timeoutMs(CLIENT_TIMEOUT_MS))
                            .names()
                            .get(CLIENT_TIMEOUT_MS * 3L, TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (KafkaProducer<byte[], byte[]> producer = producer(wrongPassword)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("videos.requested", new byte[] {1}))
                            .get(CLIENT_TIMEOUT_MS * 3L, TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        // and the right one, on the same client settings otherwise, is let in
        try (Admin admin = Admin.create(withTimeouts(stack.kafkaClientProperties()))) {
            assertThat(admin.listTopics().names())
                    .succeedsWithin(Duration.ofMillis(CLIENT_TIMEOUT_MS * 3L))
                    .asInstanceOf(InstanceOfAssertFactories.collection(String.class))
                    .contains("videos.requested");
        }
    }

    private static Map<String, Object> withTimeouts(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, CLIENT_TIMEOUT_MS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, CLIENT_TIMEOUT_MS);
        return config;
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, CLIENT_TIMEOUT_MS);
        // the delivery timeout may not be below linger (5 ms by default) plus the request timeout
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, CLIENT_TIMEOUT_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, CLIENT_TIMEOUT_MS);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
