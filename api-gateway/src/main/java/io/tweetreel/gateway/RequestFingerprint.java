package io.tweetreel.gateway;

import io.tweetreel.schemas.VideoRequested;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What makes two requests "the same body" for Idempotency-Key: SHA-256 of the request's Avro binary encoding,
 * after validation normalised it (leading @ stripped, defaults filled) and without {@code requestedAt}, which
 * differs on every retry. Avro's binary encoding of a record is deterministic, so every instance computes the
 * same fingerprint.
 */
public final class RequestFingerprint {
    private RequestFingerprint() {
    }

    public static String of(VideoRequested request) {
        VideoRequested withoutTime = VideoRequested.newBuilder(request).setRequestedAt(null).build();
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
