package io.tweetreel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VideoRequested;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What is specific to a request that arrives as JSON; every rule on the values themselves (limits, messages, field
 * names) is {@link RequestRules}', the same rules the renderer applies to a record published straight to Kafka, so
 * a bad value gets the same message either way. Every field is checked, so a client learns all its mistakes at once.
 * The JSON policy:
 * <ul>
 *   <li>types are strict: strings must be JSON strings and {@code durationSeconds} a JSON integer
 *       (no "5", no 5.5);</li>
 *   <li>unknown fields are refused (one error each), so a typo such as {@code tweet_body} is not silently dropped;</li>
 *   <li>{@code null} means absent: required fields report "is required", optional ones take their default;</li>
 *   <li>an empty {@code profilePhotoUrl} or {@code webhookUrl} counts as absent (what an HTML form sends for an
 *       empty field; the rules treat a blank URL on Kafka the same way);</li>
 *   <li>{@code metadata} must be a JSON object whose values are JSON strings; a value of another type is reported
 *       as {@code metadata.<key>} "must be a string" (keys that break the key rule are reported once, as
 *       {@code metadata}, and not echoed).</li>
 * </ul>
 */
public final class RequestValidation {
    static final Set<String> FIELDS = Set.of(
            RequestRules.TWEET_BODY,
            RequestRules.PROFILE_PHOTO_URL,
            RequestRules.PROFILE_NAME,
            RequestRules.USERNAME,
            RequestRules.THEME,
            RequestRules.DURATION_SECONDS,
            RequestRules.WEBHOOK_URL,
            RequestRules.METADATA);
    private static final int FIELD_NAME_ECHO_MAX = 64;
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    private RequestValidation() {}

    /** The outcome: a request ready to publish (requestedAt unset), or the errors, one per bad field. */
    public record Outcome(VideoRequested request, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public static Outcome validate(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("", "the body must be a JSON object"));
            return new Outcome(null, errors);
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(echo(name), "is not a known field"));
            }
        }
        String tweetBody =
                valid(requiredString(RequestRules.TWEET_BODY, body, errors), RequestRules::checkTweetBody, errors);
        String photo = valid(
                optionalUrl(RequestRules.PROFILE_PHOTO_URL, body, errors), RequestRules::checkProfilePhotoUrl, errors);
        String profileName = valid(
                RequestRules.profileName(requiredString(RequestRules.PROFILE_NAME, body, errors)),
                RequestRules::checkProfileName,
                errors);
        String username = valid(
                RequestRules.handle(requiredString(RequestRules.USERNAME, body, errors)),
                RequestRules::checkUsername,
                errors);
        Theme theme = theme(body, errors);
        int duration = duration(body, errors);
        String webhookUrl =
                valid(optionalUrl(RequestRules.WEBHOOK_URL, body, errors), RequestRules::checkWebhookUrl, errors);
        Map<String, String> metadata = metadata(body, errors);
        if (!errors.isEmpty()) {
            return new Outcome(null, List.copyOf(errors));
        }
        VideoRequested request = VideoRequested.newBuilder()
                .setTweetBody(tweetBody)
                .setProfilePhotoUrl(photo)
                .setProfileName(profileName)
                .setUsername(username)
                .setTheme(theme)
                .setDurationSeconds(duration)
                .setWebhookUrl(webhookUrl)
                .setMetadata(metadata)
                .setRequestedAt(null)
                .build();
        return new Outcome(request, List.of());
    }

    /**
     * The {@code webhookUrl} and {@code metadata} of an object that is not a job request (a batch), checked with
     * the same rules and messages as a job's; null members where there are errors, which are added to
     * {@code errors}.
     */
    record WebhookAndMetadata(String webhookUrl, Map<String, String> metadata) {}

    static WebhookAndMetadata webhookAndMetadata(JsonNode body, List<FieldError> errors) {
        String webhookUrl =
                valid(optionalUrl(RequestRules.WEBHOOK_URL, body, errors), RequestRules::checkWebhookUrl, errors);
        return new WebhookAndMetadata(webhookUrl, metadata(body, errors));
    }

    /** A field name as it may be echoed in an error: control characters replaced, long names cut. */
    static String echoFieldName(String name) {
        return echo(name);
    }

    /**
     * A string field's value, already normalised as {@link RequestRules} says, if it passes the rules; otherwise
     * null, with the field's error recorded. Null (a field absent or of the wrong JSON type) is passed through.
     */
    private static String valid(
            String value, Function<String, Optional<RequestRules.Violation>> rule, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        Optional<RequestRules.Violation> violation = rule.apply(value);
        violation.ifPresent(v -> errors.add(fieldError(v)));
        return violation.isPresent() ? null : value;
    }

    private static FieldError fieldError(RequestRules.Violation violation) {
        return new FieldError(violation.field(), violation.message());
    }

    private static String requiredString(String field, JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            errors.add(fieldError(RequestRules.missing(field)));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }

    /** A URL field: null when absent, JSON null or blank (what an HTML form sends for an empty field). */
    private static String optionalUrl(String field, JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        // both URL fields are normalised alike (trimmed, blank = absent)
        return RequestRules.webhookUrl(node.asText());
    }

    /** The metadata in the JSON's key order; empty when absent or JSON null. */
    private static Map<String, String> metadata(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.METADATA);
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(RequestRules.METADATA, "must be an object of strings"));
            return metadata;
        }
        List<FieldError> typeErrors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            JsonNode value = entry.getValue();
            // a value of another type still counts as a key; "" stands in for it, so the rules see every key
            metadata.put(entry.getKey(), value.isTextual() ? value.asText() : "");
            if (!value.isTextual() && RequestRules.isMetadataKey(entry.getKey())) {
                typeErrors.add(new FieldError(RequestRules.metadataField(entry.getKey()), "must be a string"));
            }
        }
        List<RequestRules.Violation> violations = RequestRules.checkMetadata(metadata);
        violations.forEach(v -> errors.add(fieldError(v)));
        errors.addAll(typeErrors);
        return violations.isEmpty() && typeErrors.isEmpty() ? metadata : null;
    }

    private static Theme theme(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.THEME);
        if (node == null || node.isNull()) {
            return RequestRules.THEME_DEFAULT;
        }
        // a JSON value that is not a string names no theme, so it gets the rules' message for an unknown name
        String name = node.isTextual() ? node.asText() : null;
        Optional<RequestRules.Violation> violation = RequestRules.checkTheme(name);
        violation.ifPresent(v -> errors.add(fieldError(v)));
        return violation.isPresent() ? null : RequestRules.theme(name).orElseThrow();
    }

    private static int duration(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(RequestRules.DURATION_SECONDS);
        if (node == null || node.isNull()) {
            return RequestRules.DURATION_DEFAULT;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldError(RequestRules.DURATION_SECONDS, "must be a whole number of seconds"));
            return 0;
        }
        // clamped, not truncated, so a number beyond int's range stays out of the allowed range
        int seconds = node.bigIntegerValue().max(INT_MIN).min(INT_MAX).intValue();
        Optional<RequestRules.Violation> violation = RequestRules.checkDurationSeconds(seconds);
        violation.ifPresent(v -> errors.add(fieldError(v)));
        return seconds;
    }

    private static String echo(String name) {
        String printable = name.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= FIELD_NAME_ECHO_MAX
                ? printable
                : printable.substring(0, FIELD_NAME_ECHO_MAX) + "…";
    }
}
