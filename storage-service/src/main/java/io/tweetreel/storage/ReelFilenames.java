package io.tweetreel.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Download filenames: {@code yyyy-MM-dd_} + 32 hex of HMAC-SHA256(secret, jobId) + {@code .mp4}. Unguessable
 * without the secret, and the same for every re-run of a job (the date is the job's encode date, carried in the
 * event, not the wall clock).
 */
public final class ReelFilenames {
    /** The only names the download endpoint accepts. */
    public static final Pattern PATTERN = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}_[0-9a-f]{32}\\.mp4$");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final SecretKeySpec key;

    public ReelFilenames(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String filename(String jobId, Instant jobDate) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(jobId.getBytes(StandardCharsets.UTF_8));
            return DATE.format(jobDate) + "_" + HexFormat.of().formatHex(digest, 0, 16) + ".mp4";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
