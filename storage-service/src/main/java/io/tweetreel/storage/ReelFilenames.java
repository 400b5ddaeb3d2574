package io.tweetreel.storage;

import io.tweetreel.schemas.ObjectLayout;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Download filenames ({@link ObjectLayout#downloadFilename}) whose digest is HMAC-SHA256(secret, jobId).
 * Unguessable without the secret, and the same for every re-run of a job (the date is the job's encode date,
 * carried in the event, not the wall clock).
 */
public final class ReelFilenames {
    private final SecretKeySpec key;

    public ReelFilenames(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String filename(String jobId, Instant jobDate) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return ObjectLayout.downloadFilename(jobDate, mac.doFinal(jobId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
