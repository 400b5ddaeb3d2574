package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tweetreel.core.ApiKeyDirectory;
import io.tweetreel.core.TopicProvisioner;
import io.tweetreel.devstack.DevStackExtension;
import io.tweetreel.devstack.StackEndpoints;
import io.tweetreel.schemas.ApiKey;
import io.tweetreel.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The directory of API keys and the gateway's key store on a real broker and registry. */
@ExtendWith(DevStackExtension.class)
class ApiKeyDirectoryStackTest {
    private static Topics topics;
    private static KafkaProducer<String, ApiKey> keys;
    private static KafkaProducer<String, byte[]> raw;
    private static String bootstrap;

    @BeforeAll
    static void start(StackEndpoints stack) {
        bootstrap = stack.bootstrapServers();
        TopicProvisioner.ensureTopics(bootstrap, 6, (short) 1);
        topics = Topics.withRegistry(stack.registryUrl());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        keys = new KafkaProducer<>(
                p, new StringSerializer(), topics.apiKeys().valueSerde().serializer());
        raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        keys.close();
        raw.close();
    }

    private static ApiKey key(String id, String secret, Instant revokedAt) {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        return ApiKey.newBuilder()
                .setId(id)
                .setName("test " + id)
                .setKeyHash(ApiKeyDirectory.hash(secret))
                .setPrefix(secret.substring(0, 8))
                .setCreatedAt(now)
                .setRevokedAt(revokedAt)
                .setUpdatedAt(revokedAt == null ? now : revokedAt)
                .build();
    }

    private static String randomId() {
        return "key_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static String randomKey() {
        return "trk_"
                + (UUID.randomUUID().toString() + UUID.randomUUID())
                        .replace("-", "")
                        .substring(0, 40);
    }

    private static RecordMetadata write(ApiKey key) throws Exception {
        return keys.send(new ProducerRecord<>(Topics.VIDEOS_API_KEYS, key.getId(), key))
                .get(30, TimeUnit.SECONDS);
    }

    private static ApiKeyDirectory directory(String name) throws Exception {
        return new ApiKeyDirectory(bootstrap, topics.apiKeys(), name).start(Duration.ofSeconds(30));
    }

    @Test
    void keysWrittenBeforeItStartsAreThereWhenStartReturns() throws Exception {
        String id = randomId();
        String secret = randomKey();
        write(key(id, secret, null));
        // a record nobody can decode, among the keys: skipped, not fatal
        raw.send(new ProducerRecord<>(Topics.VIDEOS_API_KEYS, randomId(), new byte[] {0, 0, 0, 0, 42, 1, 2}))
                .get(30, TimeUnit.SECONDS);
        String after = randomId();
        write(key(after, randomKey(), null));

        try (ApiKeyDirectory directory = directory("directory-test-start")) {
            assertThat(directory.isReady()).isTrue();
            assertThat(directory.byKey(secret)).map(ApiKey::getId).hasValue(id);
            assertThat(directory.byId(id)).isPresent();
            assertThat(directory.byId(after)).isPresent();
            assertThat(directory.byKey(secret + "x")).isEmpty();
            assertThat(directory.all()).extracting(ApiKey::getId).contains(id, after);
        }
    }

    @Test
    void aRevocationIsSeenWithinTwoSeconds() throws Exception {
        String id = randomId();
        String secret = randomKey();
        try (ApiKeyDirectory directory = directory("directory-test-revoke")) {
            RecordMetadata created = write(key(id, secret, null));
            assertThat(directory.awaitRead(created.partition(), created.offset(), Duration.ofSeconds(5)))
                    .isTrue();
            assertThat(directory.byKey(secret).orElseThrow().getRevokedAt()).isNull();

            long start = System.nanoTime();
            write(key(id, secret, Instant.parse("2026-12-02T10:05:00Z")));
            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> directory.byKey(secret).orElseThrow().getRevokedAt() != null);
            System.out.printf(
                    "revocation seen by a directory %d ms after it was acknowledged%n",
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void theGatewaysStoreAnswersWithWhatItJustWrote() throws Exception {
        try (ApiKeyDirectory directory = directory("directory-test-store");
                KafkaApiKeyStore store =
                        new KafkaApiKeyStore(directory, bootstrap, topics.apiKeys(), "directory-test-writer")) {
            String id = randomId();
            String secret = randomKey();

            store.write(key(id, secret, null));

            // no waiting here: write returns once this instance's directory has read it
            assertThat(store.byKey(secret)).map(ApiKey::getId).hasValue(id);
            assertThat(store.byId(id)).isPresent();
        }
    }
}
