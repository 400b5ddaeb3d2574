package io.tweetreel.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Job ids: UUID strings in canonical lower-case form, the key of every topic. */
public final class JobIds {
    private static final Pattern CANONICAL =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    /** Printable ASCII, as for any HTTP header token a client would pick (UUIDs, ULIDs, hashes). */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7e]{1,255}$");

    private static final String IDEMPOTENCY_NAMESPACE = "tweetreel:idempotency-key:";
    private static final String KEYED_IDEMPOTENCY_NAMESPACE = "tweetreel:api-key-idempotency-key:";

    private JobIds() {}

    public static String random() {
        return UUID.randomUUID().toString();
    }

    /**
     * The job id of an Idempotency-Key: a name-based UUID, so every gateway instance derives the same id from the
     * same key without asking anyone. Without API keys, Idempotency-Keys are global, so clients should use random
     * ones.
     */
    public static String fromIdempotencyKey(String key) {
        return UUID.nameUUIDFromBytes((IDEMPOTENCY_NAMESPACE + key).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * The job id of an Idempotency-Key sent with the API key {@code apiKeyId}: each API key has its own space of
     * Idempotency-Keys, so another key's retry can never answer (or 409 on) this key's job. An anonymous caller
     * (null) keeps the global space.
     */
    public static String fromIdempotencyKey(String apiKeyId, String key) {
        if (apiKeyId == null) {
            return fromIdempotencyKey(key);
        }
        // a namespace of its own: no global key (such as "key_x:y") can name the same job
        return UUID.nameUUIDFromBytes(
                        (KEYED_IDEMPOTENCY_NAMESPACE + apiKeyId + ":" + key).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    public static boolean isValidIdempotencyKey(String key) {
        return key != null && IDEMPOTENCY_KEY.matcher(key).matches();
    }

    public static boolean isValid(String jobId) {
        return jobId != null && CANONICAL.matcher(jobId).matches();
    }

    /** The canonical form of a job id written in either case; empty when it is not a UUID. */
    public static Optional<String> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return isValid(lower) ? Optional.of(lower) : Optional.empty();
    }
}
