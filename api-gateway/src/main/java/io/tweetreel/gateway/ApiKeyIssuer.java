package io.tweetreel.gateway;

import io.tweetreel.core.ApiKeyDirectory;
import io.tweetreel.schemas.ApiKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * Makes the secrets of API keys: the key ({@value #KEY_PREFIX} + {@value #KEY_RANDOM_CHARS} base62 characters,
 * about 238 random bits), its id ({@value #ID_PREFIX} + {@value #ID_RANDOM_CHARS} base62) and a webhook signing
 * secret ({@code whsec_} + base64 of {@value #WEBHOOK_SECRET_BYTES} bytes, the Standard Webhooks form the notifier
 * reads). Only the key's hash goes into the record; the key itself is returned once, to be shown once.
 */
final class ApiKeyIssuer {
    static final String KEY_PREFIX = "trk_";
    static final int KEY_RANDOM_CHARS = 40;
    static final String ID_PREFIX = "key_";
    static final int ID_RANDOM_CHARS = 16;
    static final int WEBHOOK_SECRET_BYTES = 32;
    /** What lists show of a key: enough to tell keys apart, far too little to guess the rest. */
    static final int SHOWN_PREFIX_CHARS = 8;

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final SecureRandom random = new SecureRandom();

    /** A new key and its record (not yet written). */
    record Issued(ApiKey record, String key) {}

    /** The limits and settings an admin chose for a new key. */
    record Settings(String name, int ratePerMinute, int burst, int jobsPerDay, String webhookUrl) {}

    Issued issue(Settings settings, Instant now) {
        String key = KEY_PREFIX + base62(KEY_RANDOM_CHARS);
        ApiKey record = ApiKey.newBuilder()
                .setId(ID_PREFIX + base62(ID_RANDOM_CHARS))
                .setName(settings.name())
                .setKeyHash(ApiKeyDirectory.hash(key))
                .setPrefix(key.substring(0, SHOWN_PREFIX_CHARS))
                .setCreatedAt(now)
                .setRevokedAt(null)
                .setRatePerMinute(settings.ratePerMinute())
                .setBurst(settings.burst())
                .setJobsPerDay(settings.jobsPerDay())
                .setWebhookSecret(webhookSecret())
                .setWebhookUrl(settings.webhookUrl())
                .setUpdatedAt(now)
                .build();
        return new Issued(record, key);
    }

    String webhookSecret() {
        byte[] bytes = new byte[WEBHOOK_SECRET_BYTES];
        random.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    /** Uniform base62: each character from a random int below 62 (no modulo bias: nextInt rejects). */
    private String base62(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return out.toString();
    }
}
