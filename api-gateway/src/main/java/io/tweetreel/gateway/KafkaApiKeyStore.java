package io.tweetreel.gateway;

import io.tweetreel.core.ApiKeyDirectory;
import io.tweetreel.schemas.ApiKey;
import io.tweetreel.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ApiKeyStore} on Kafka: reads come from this instance's {@link ApiKeyDirectory} (every key of
 * {@code videos.api-keys}); writes go to that topic through an acknowledged producer and then wait until the
 * directory has read them back, so a key created or revoked here works (or stops working) here at once, and on
 * the other instances within their directory's poll.
 */
final class KafkaApiKeyStore implements ApiKeyStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaApiKeyStore.class);
    /** The directory polls every 100 ms; seconds mean this instance's reader is stuck. */
    private static final Duration READ_BACK = Duration.ofSeconds(5);

    private static final String REFUSAL = "the API key could not be saved right now; try again shortly";

    private final ApiKeyDirectory directory;
    private final AckedProducer<String, ApiKey> producer;

    KafkaApiKeyStore(ApiKeyDirectory directory, String bootstrapServers, Topic<String, ApiKey> topic, String clientId) {
        this.directory = directory;
        this.producer = new AckedProducer<>(bootstrapServers, topic, clientId, REFUSAL);
    }

    @Override
    public Optional<ApiKey> byId(String id) {
        return directory.byId(id);
    }

    @Override
    public Optional<ApiKey> byKey(String presentedKey) {
        return directory.byKey(presentedKey);
    }

    @Override
    public List<ApiKey> all() {
        return directory.all();
    }

    @Override
    public void write(ApiKey key) {
        RecordMetadata written = producer.send(key.getId(), key, "API key " + key.getId());
        try {
            if (!directory.awaitRead(written.partition(), written.offset(), READ_BACK)) {
                log.warn(
                        "API key {} written (partition {}, offset {}) but not read back within {} s",
                        key.getId(),
                        written.partition(),
                        written.offset(),
                        READ_BACK.toSeconds());
                throw AckedProducer.unavailable(REFUSAL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AckedProducer.unavailable(REFUSAL);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
