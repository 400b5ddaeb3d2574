package io.tweetreel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.ApiKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    static final String NAME = "name";
    static final String RATE_PER_MINUTE = "ratePerMinute";
    static final String BURST = "burst";
    static final String JOBS_PER_DAY = "jobsPerDay";
    static final String WEBHOOK_URL = RequestRules.WEBHOOK_URL;
    static final int NAME_MAX = 100;
    static final int RATE_MAX = 100_000;
    static final int BURST_MAX = 100_000;
    static final int JOBS_PER_DAY_MAX = 10_000_000;
    static final int DEFAULT_RATE_PER_MINUTE = 60;
    static final int DEFAULT_JOBS_PER_DAY = 1000;

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final Set<String> FIELDS = Set.of(NAME, RATE_PER_MINUTE, BURST, JOBS_PER_DAY, WEBHOOK_URL);
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

    /**
     * A bucket of {@code ratePerMinute / 10} (at least 1): over any minute a client can spend the full bucket plus a
     * minute's refill, so it gets at most 1.1x its rate (for rates of 10 and more; a rate below 10 still gets a
     * bucket of one, the least that lets any request through).
     */
    static int defaultBurst(int ratePerMinute) {
        return Math.max(1, (ratePerMinute + 9) / 10);
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
        JsonNode body = jsonBody(ctx);
        List<FieldError> errors = new ArrayList<>();
        unknownFields(body, errors);
        String name = name(body, errors, true);
        Integer rate = integer(body, RATE_PER_MINUTE, 1, RATE_MAX, errors);
        Integer burst = integer(body, BURST, 1, BURST_MAX, errors);
        Integer jobsPerDay = integer(body, JOBS_PER_DAY, 1, JOBS_PER_DAY_MAX, errors);
        WebhookUrlField webhookUrl = webhookUrl(body, errors);
        if (!errors.isEmpty()) {
            throw Problem.invalid(errors).toException();
        }
        int ratePerMinute = rate == null ? DEFAULT_RATE_PER_MINUTE : rate;
        ApiKeyIssuer.Issued issued = issuer.issue(
                new ApiKeyIssuer.Settings(
                        name,
                        ratePerMinute,
                        burst == null ? defaultBurst(ratePerMinute) : burst,
                        jobsPerDay == null ? DEFAULT_JOBS_PER_DAY : jobsPerDay,
                        webhookUrl.url()),
                now());
        keys.write(issued.record());
        log.info(
                "API key {} created ({}, prefix {})",
                issued.record().getId(),
                name,
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
        JsonNode body = jsonBody(ctx);
        List<FieldError> errors = new ArrayList<>();
        unknownFields(body, errors);
        String name = name(body, errors, false);
        Integer rate = integer(body, RATE_PER_MINUTE, 1, RATE_MAX, errors);
        Integer burst = integer(body, BURST, 1, BURST_MAX, errors);
        Integer jobsPerDay = integer(body, JOBS_PER_DAY, 1, JOBS_PER_DAY_MAX, errors);
        WebhookUrlField webhookUrl = webhookUrl(body, errors);
        if (!errors.isEmpty()) {
            throw Problem.invalid(errors).toException();
        }
        ApiKey.Builder changed = ApiKey.newBuilder(key);
        if (name != null) {
            changed.setName(name);
        }
        if (rate != null) {
            changed.setRatePerMinute(rate);
            // a new rate without a burst gets the burst that keeps it within 1.1x a minute (see defaultBurst)
            changed.setBurst(burst == null ? defaultBurst(rate) : burst);
        } else if (burst != null) {
            changed.setBurst(burst);
        }
        if (jobsPerDay != null) {
            changed.setJobsPerDay(jobsPerDay);
        }
        if (webhookUrl.given()) {
            changed.setWebhookUrl(webhookUrl.url());
        }
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
        view.put(NAME, key.getName());
        view.put("prefix", key.getPrefix());
        view.put("createdAt", key.getCreatedAt().toString());
        view.put(
                "revokedAt",
                key.getRevokedAt() == null ? null : key.getRevokedAt().toString());
        view.put(RATE_PER_MINUTE, key.getRatePerMinute());
        view.put(BURST, key.getBurst());
        view.put(JOBS_PER_DAY, key.getJobsPerDay());
        view.put(WEBHOOK_URL, key.getWebhookUrl());
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

    private static void unknownFields(JsonNode body, List<FieldError> errors) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(RequestValidation.echoFieldName(field), "is not a known field"));
            }
        }
    }

    /** The name, stripped; null when absent (an error too when {@code required}) or invalid. */
    private static String name(JsonNode body, List<FieldError> errors, boolean required) {
        JsonNode node = body.get(NAME);
        if (node == null || (node.isNull() && !required)) {
            if (required) {
                errors.add(new FieldError(NAME, "is required"));
            } else if (node != null) {
                errors.add(new FieldError(NAME, "cannot be removed"));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(NAME, node.isNull() ? "is required" : "must be a string"));
            return null;
        }
        String name = node.asText().strip();
        int length = name.codePointCount(0, name.length());
        if (length == 0) {
            errors.add(new FieldError(NAME, "must not be empty"));
        } else if (length > NAME_MAX) {
            errors.add(new FieldError(NAME, "must be at most " + NAME_MAX + " characters (it has " + length + ")"));
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(NAME, "must not contain control characters"));
        } else {
            return name;
        }
        return null;
    }

    /** A whole number in range; null when absent or invalid (the error recorded). */
    private static Integer integer(JsonNode body, String field, int min, int max, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null) {
            return null;
        }
        if (node.isNull()) {
            errors.add(new FieldError(field, "cannot be removed; send a number from " + min + " to " + max));
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
            return null;
        }
        return node.intValue();
    }

    /**
     * The body's webhookUrl: {@code given} false when the body has none (or it is invalid, the error recorded);
     * {@code url} null when the body removes it ({@code null} or {@code ""}); else the URL, checked with the rule a
     * job's webhookUrl passes.
     */
    private record WebhookUrlField(boolean given, String url) {
        static final WebhookUrlField ABSENT = new WebhookUrlField(false, null);
    }

    private static WebhookUrlField webhookUrl(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(WEBHOOK_URL);
        if (node == null) {
            return WebhookUrlField.ABSENT;
        }
        if (node.isNull()) {
            return new WebhookUrlField(true, null);
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(WEBHOOK_URL, "must be a string"));
            return WebhookUrlField.ABSENT;
        }
        String url = RequestRules.webhookUrl(node.asText());
        Optional<RequestRules.Violation> violation = RequestRules.checkWebhookUrl(url);
        if (violation.isPresent()) {
            errors.add(new FieldError(violation.get().field(), violation.get().message()));
            return WebhookUrlField.ABSENT;
        }
        return new WebhookUrlField(true, url);
    }
}
