package io.tweetreel.gateway;

import io.tweetreel.core.KafkaClientSettings;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Producer settings for the gateway's writes that an HTTP client waits on. */
final class AnsweringProducerSettings {
    private AnsweringProducerSettings() {}

    /**
     * Idempotent, acknowledged by every in-sync replica, sent at once, and failing within seconds (the client gets
     * 503 and tries again) rather than after the producer's default minutes.
     */
    static Properties of(KafkaClientSettings kafka, String clientId) {
        Properties props = kafka.properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000);
        return props;
    }
}
