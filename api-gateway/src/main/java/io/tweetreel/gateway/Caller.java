package io.tweetreel.gateway;

import io.javalin.http.Context;
import io.tweetreel.schemas.ApiKey;

/**
 * Who is calling the API: the key the request was authenticated with, or nobody when {@code API_AUTH=none}. The
 * authentication step puts it on the request ({@link #on}); handlers ask {@link #of} and check ownership with
 * {@link #owns}.
 *
 * @param key the caller's key; null for an anonymous caller (API_AUTH=none)
 */
public record Caller(ApiKey key) {
    /** The caller when keys are off: may see and create everything. */
    public static final Caller ANONYMOUS = new Caller(null);

    private static final String ATTRIBUTE = "tweetreel.caller";

    /** The caller of this request; anonymous when no authentication step set one. */
    public static Caller of(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        return caller == null ? ANONYMOUS : caller;
    }

    /** Records the authenticated caller on the request. */
    public void on(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    /** The id of the caller's key, recorded on what it creates; null for an anonymous caller. */
    public String keyId() {
        return key == null ? null : key.getId();
    }

    /**
     * True when this caller may see a job or batch created by {@code ownerKeyId}: its own, and those made without a
     * key (Kafka-direct producers, or while keys were off). Another key's answer 404, as if they did not exist.
     */
    public boolean owns(String ownerKeyId) {
        return key == null || ownerKeyId == null || ownerKeyId.equals(keyId());
    }
}
