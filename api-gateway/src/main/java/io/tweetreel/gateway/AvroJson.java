package io.tweetreel.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro's own JSON encoding of a record: how gateway instances pass table values to each other when forwarding a
 * lookup. Exact round trip of every field (unlike the public view), readable when debugging.
 */
final class AvroJson<T extends SpecificRecord> {
    private final Schema schema;

    AvroJson(Schema schema) {
        this.schema = schema;
    }

    String encode(T value) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
            new SpecificDatumWriter<T>(schema).write(value, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    T decode(String json) {
        try {
            return new SpecificDatumReader<T>(schema)
                    .read(null, DecoderFactory.get().jsonDecoder(schema, json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
