package io.tweetreel.core;

import io.tweetreel.schemas.JobStatus;
import io.tweetreel.schemas.Topic;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link StatusEmitter} on an idempotent, non-transactional producer. Fire and forget; failures are logged. */
public final class KafkaStatusEmitter implements StatusEmitter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaStatusEmitter.class);

    private final Topic<String, JobStatus> topic;
    private final KafkaProducer<String, JobStatus> producer;

    public KafkaStatusEmitter(KafkaClientSettings kafka, Topic<String, JobStatus> topic, String clientId) {
        this.topic = topic;
        Properties props = kafka.properties();
        props.putAll(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG,
                clientId + "-status",
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                120_000));
        this.producer = new KafkaProducer<>(
                props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Override
    public void emit(String jobId, JobStatus status) {
        producer.send(new ProducerRecord<>(topic.name(), jobId, status), (metadata, error) -> {
            if (error != null) {
                log.warn(
                        "status update {} of job {} not published: {}",
                        status.getCurrentStep(),
                        jobId,
                        error.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
