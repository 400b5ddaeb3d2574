package io.tweetreel.notifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signing secret of Standard Webhooks 1.0: {@code whsec_} followed by the base64 of the key, at least 24 random
 * bytes. Signs {@code id + "." + timestamp + "." + body} with HMAC-SHA256 into a {@code webhook-signature} value.
 */
public final class WebhookSecret {
    public static final String PREFIX = "whsec_";
    public static final int MIN_KEY_BYTES = 24;

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code text}, never quoting it
     */
    public static WebhookSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("must start with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the part after " + PREFIX + " is not base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the key is " + key.length + " bytes, at least " + MIN_KEY_BYTES + " are required");
        }
        return new WebhookSecret(key);
    }

    /** The {@code webhook-signature} header value: {@code v1,<base64 HMAC-SHA256>}. */
    public String signature(String webhookId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signed =
                    mac.doFinal((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSecret[" + key.length + " bytes]";
    }
}
