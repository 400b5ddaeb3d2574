package io.tweetreel.schemas;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes backed by the schema registry, writing the Confluent wire format (magic byte 0 + 4-byte schema id,
 * no headers), so producers in other languages using a Confluent-style registry client interoperate: the id
 * is Apicurio's content id, which is what the registry's {@code /apis/ccompat/v7/schemas/ids/{id}} serves,
 * and subjects follow Confluent's TopicNameStrategy ({@code <topic>-value}).
 */
public final class RegistrySerdeFactory implements SerdeFactory {
    private final Map<String, Object> config;

    public RegistrySerdeFactory(String registryUrl) {
        this(registryUrl, true);
    }

    public RegistrySerdeFactory(String registryUrl, boolean autoRegister) {
        Map<String, Object> c = new HashMap<>();
        c.put("apicurio.registry.url", registryUrl);
        c.put("apicurio.registry.auto-register", autoRegister);
        c.put("apicurio.registry.auto-register.if-exists", "FIND_OR_CREATE_VERSION");
        c.put("apicurio.registry.headers.enabled", false);
        c.put("apicurio.registry.use-id", "contentId");
        c.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
        c.put("apicurio.registry.use-specific-avro-reader", true);
        // Register each schema whole: split into references (the serde's default), a Confluent client that
        // fetches /schemas/ids/{id} gets "io.tweetreel.schemas.Theme" as an unresolvable type name.
        c.put("apicurio.registry.dereference-schema", true);
        // The registry may be restarting when a service starts; the serde retries its lookups.
        c.put("apicurio.registry.retry-count", 10);
        c.put("apicurio.registry.retry-backoff-ms", 500);
        this.config = Map.copyOf(c);
    }

    public Map<String, Object> config() {
        return config;
    }

    @Override
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();
        serializer.configure(config, false);
        deserializer.configure(config, false);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
