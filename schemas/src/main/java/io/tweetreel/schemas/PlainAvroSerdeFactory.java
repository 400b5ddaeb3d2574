package io.tweetreel.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Registry-less Avro binary serdes for topology tests ({@code TopologyTestDriver} has no registry); the same
 * records and schemas, without the wire-format header. Never used against a broker.
 */
public final class PlainAvroSerdeFactory implements SerdeFactory {
    @Override
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        var schema = SpecificData.get().getSchema(type);
        var writer = new SpecificDatumWriter<T>(schema);
        var reader = new SpecificDatumReader<T>(schema);
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            try (var out = new ByteArrayOutputStream()) {
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                writer.write(value, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new SerializationException(e);
            }
        };
        Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
                T value = reader.read(null, decoder);
                if (!decoder.isEnd()) {
                    throw new SerializationException("trailing bytes after " + type.getSimpleName());
                }
                return value;
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
