package io.tweetreel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tweetreel.schemas.ApiKey;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoints of API keys, for the operator holding {@code ADMIN_TOKEN}: create (the key and its webhook
 * secret are in that answer only), list, change name, limits or webhook URL, revoke, and rotate the webhook secret.
 * Bodies follow the API's JSON policy ({@link RequestValidation}): strict types, unknown fields refused, every bad
 * field reported at once. Keys are kept by an {@link ApiKeyStore}; this class knows nothing of Kafka.
 */
final class ApiKeys {
    static final String PATH = "/admin/keys";

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final ApiKeyStore keys;
    private final ApiKeyIssuer issuer;
    private final AdminToken adminToken;
    private final Clock clock;

    /** @param adminToken null when ADMIN_TOKEN is unset: every admin call is refused */
    ApiKeys(ApiKeyStore keys, ApiKeyIssuer issuer, AdminToken adminToken, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.adminToken = adminToken;
        this.clock = clock;
    }

    /** Before every admin route: the admin token, compared in constant time. */
    void authorize(Context ctx) {
        if (adminToken == null) {
            throw ApiKeyAuthentication.unauthorized(
                    "Bearer realm=\"tweetreel-admin\"", "the admin endpoints are disabled: ADMIN_TOKEN is not set");
        }
        String authorization = ctx.header("Authorization");
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip()
                : null;
        if (!adminToken.matches(presented)) {
            throw ApiKeyAuthentication.unauthorized(
                    "Bearer realm=\"tweetreel-admin\"", "send the admin token as Authorization: Bearer <ADMIN_TOKEN>");
        }
    }

    void create(Context ctx) {
        KeySettings settings = KeySettings.parse(jsonBody(ctx), false);
        ApiKeyIssuer.Issued issued = issuer.issue(settings.forNewKey(), now());
        keys.write(issued.record());
        log.info(
                "API key {} created ({}, prefix {})",
                issued.record().getId(),
                settings.name(),
                issued.record().getPrefix());
        Map<String, Object> answer = view(issued.record());
        answer.put("key", issued.key());
        answer.put("webhookSecret", issued.record().getWebhookSecret());
        ctx.header("Cache-Control", "no-store");
        ctx.header("Location", PATH + "/" + issued.record().getId());
        ctx.status(201).json(answer);
    }

    void list(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("keys", keys.all().stream().map(ApiKeys::view).toList()));
    }

    void update(Context ctx) {
        ApiKey key = existing(ctx);
        ApiKey.Builder changed = ApiKey.newBuilder(key);
        KeySettings.parse(jsonBody(ctx), true).applyTo(changed);
        ApiKey updated = changed.setUpdatedAt(now()).build();
        if (!sameExceptUpdatedAt(key, updated)) {
            keys.write(updated);
            log.info("API key {} changed", key.getId());
        } else {
            updated = key;
        }
        ctx.header("Cache-Control", "no-store");
        ctx.json(view(updated));
    }

    /** Revokes; revoking a revoked key answers the same again (it stays revoked as of the first time). */
    void revoke(Context ctx) {
        ApiKey key = existing(ctx);
        if (key.getRevokedAt() == null) {
            Instant now = now();
            key = ApiKey.newBuilder(key).setRevokedAt(now).setUpdatedAt(now).build();
            keys.write(key);
            log.info("API key {} revoked", key.getId());
        }
        ctx.header("Cache-Control", "no-store");
        ctx.json(view(key));
    }

    void rotateWebhookSecret(Context ctx) {
        ApiKey key = existing(ctx);
        String secret = issuer.webhookSecret();
        keys.write(ApiKey.newBuilder(key)
                .setWebhookSecret(secret)
                .setUpdatedAt(now())
                .build());
        log.info("API key {}: webhook secret rotated", key.getId());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", key.getId());
        answer.put("webhookSecret", secret);
        ctx.header("Cache-Control", "no-store");
        ctx.json(answer);
    }

    /** A key as the admin sees it: everything but its hash and webhook secret. */
    static Map<String, Object> view(ApiKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", key.getId());
        view.put(KeySettings.NAME, key.getName());
        view.put("prefix", key.getPrefix());
        view.put("createdAt", key.getCreatedAt().toString());
        view.put(
                "revokedAt",
                key.getRevokedAt() == null ? null : key.getRevokedAt().toString());
        view.put(KeySettings.RATE_PER_MINUTE, key.getRatePerMinute());
        view.put(KeySettings.BURST, key.getBurst());
        view.put(KeySettings.JOBS_PER_DAY, key.getJobsPerDay());
        view.put(KeySettings.WEBHOOK_URL, key.getWebhookUrl());
        return view;
    }

    private ApiKey existing(Context ctx) {
        return keys.byId(ctx.pathParam("id"))
                .orElseThrow(() -> Problem.of(404, "no such API key").toException());
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static boolean sameExceptUpdatedAt(ApiKey before, ApiKey after) {
        return ApiKey.newBuilder(after)
                .setUpdatedAt(before.getUpdatedAt())
                .build()
                .equals(before);
    }

    private static JsonNode jsonBody(Context ctx) {
        JobSubmissions.requireJson(ctx.header("Content-Type"));
        JsonNode body = JobSubmissions.parse(JobSubmissions.readBounded(ctx, MAX_BODY_BYTES, MAX_BODY_BYTES * 4L));
        if (!body.isObject()) {
            throw Problem.invalid(List.of(new FieldError("", "the body must be a JSON object")))
                    .toException();
        }
        return body;
    }
}
