package io.tweetreel.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The operator's token for the admin endpoints ({@code ADMIN_TOKEN}). It never shows in logs or in a config's
 * {@code toString}, and is compared in constant time, so the time of a refusal says nothing about how much of a
 * guess was right.
 */
final class AdminToken {
    static final int MIN_LENGTH = 32;

    private final byte[] token;

    AdminToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }
}
