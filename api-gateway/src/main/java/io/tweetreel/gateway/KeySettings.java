package io.tweetreel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.ApiKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The settings an admin body of {@link ApiKeys} gives a key: its name, limits and webhook URL, each null when the
 * body leaves it out. One parser for creating a key and for changing one, so both check a field the same way and
 * report it with the same message (strict types, unknown fields refused, every bad field at once: 400).
 *
 * @param webhookUrlGiven whether the body has a webhookUrl; {@code webhookUrl} null then means "remove it"
 */
record KeySettings(
        String name,
        Integer ratePerMinute,
        Integer burst,
        Integer jobsPerDay,
        boolean webhookUrlGiven,
        String webhookUrl) {
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

    private static final Set<String> FIELDS = Set.of(NAME, RATE_PER_MINUTE, BURST, JOBS_PER_DAY, WEBHOOK_URL);

    /**
     * The body's settings, or a 400 problem naming every bad field.
     *
     * @param partial true for a change (every field optional, and the name cannot be removed); false for a new key
     *     (the name is required)
     */
    static KeySettings parse(JsonNode body, boolean partial) {
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(RequestValidation.echoFieldName(field), "is not a known field"));
            }
        }
        String name = name(body, errors, !partial);
        Integer rate = integer(body, RATE_PER_MINUTE, 1, RATE_MAX, errors);
        Integer burst = integer(body, BURST, 1, BURST_MAX, errors);
        Integer jobsPerDay = integer(body, JOBS_PER_DAY, 1, JOBS_PER_DAY_MAX, errors);
        WebhookUrlField webhookUrl = webhookUrl(body, errors);
        if (!errors.isEmpty()) {
            throw Problem.invalid(errors).toException();
        }
        return new KeySettings(name, rate, burst, jobsPerDay, webhookUrl.given(), webhookUrl.url());
    }

    /**
     * A bucket of {@code ratePerMinute / 10} (at least 1): over any minute a client can spend the full bucket plus a
     * minute's refill, so it gets at most 1.1x its rate (for rates of 10 and more; a rate below 10 still gets a
     * bucket of one, the least that lets any request through).
     */
    static int defaultBurst(int ratePerMinute) {
        return Math.max(1, (ratePerMinute + 9) / 10);
    }

    /** A new key's settings: these, with the defaults for the limits left out. */
    ApiKeyIssuer.Settings forNewKey() {
        int rate = ratePerMinute == null ? DEFAULT_RATE_PER_MINUTE : ratePerMinute;
        return new ApiKeyIssuer.Settings(
                name,
                rate,
                burst == null ? defaultBurst(rate) : burst,
                jobsPerDay == null ? DEFAULT_JOBS_PER_DAY : jobsPerDay,
                webhookUrl);
    }

    /** Sets on {@code key} what these settings give; what they leave out stays as it is. */
    void applyTo(ApiKey.Builder key) {
        if (name != null) {
            key.setName(name);
        }
        if (ratePerMinute != null) {
            key.setRatePerMinute(ratePerMinute);
            // a new rate without a burst gets the burst that keeps it within 1.1x a minute (see defaultBurst)
            key.setBurst(burst == null ? defaultBurst(ratePerMinute) : burst);
        } else if (burst != null) {
            key.setBurst(burst);
        }
        if (jobsPerDay != null) {
            key.setJobsPerDay(jobsPerDay);
        }
        if (webhookUrlGiven) {
            key.setWebhookUrl(webhookUrl);
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
