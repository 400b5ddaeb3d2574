package io.tweetreel.gateway;

import io.tweetreel.schemas.VideoRequested;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What makes two requests "the same body" for Idempotency-Key: SHA-256 of the request's Avro binary encoding,
 * after validation normalised it (leading @ stripped, defaults filled) and without {@code requestedAt}, which
 * differs on every retry. Every other field counts, {@code webhookUrl} and {@code metadata} included. Avro writes a
 * map's entries in the map's iteration order, which is the JSON's key order at the gateway and hash order after
 * a record was read back from Kafka: the metadata is sorted by key first, so both give the same fingerprint. With
 * that, Avro's binary encoding is deterministic and every instance computes the same fingerprint.
 */
public final class RequestFingerprint {
    private RequestFingerprint() {}

    public static String of(VideoRequested request) {
        VideoRequested withoutTime = VideoRequested.newBuilder(request)
                .setRequestedAt(null)
                .setMetadata(request.getMetadata() == null ? new TreeMap<>() : new TreeMap<>(request.getMetadata()))
                .build();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(VideoRequested.getClassSchema()).write(withoutTime, encoder);
            encoder.flush();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
