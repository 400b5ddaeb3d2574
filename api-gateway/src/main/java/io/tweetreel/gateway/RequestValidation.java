package io.tweetreel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tweetreel.core.RequestRules;
import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VideoRequested;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The job model's request rules ({@link RequestRules} holds the limits; it checks requests that arrive straight on
 * Kafka), applied here to a parsed JSON body with strict types. Every field is checked, so a client learns all
 * its mistakes at once. The policy where the model is silent:
 * <ul>
 *   <li>types are strict: strings must be JSON strings and {@code durationSeconds} a JSON integer (no "5", no 5.5);</li>
 *   <li>unknown fields are refused (one error each), so a typo such as {@code tweet_body} is not silently dropped;</li>
 *   <li>{@code null} means absent: required fields report "is required", optional ones take their default;</li>
 *   <li>lengths count Unicode code points (an emoji is one character), and text must be well-formed Unicode;</li>
 *   <li>{@code tweetBody} keeps its whitespace and line breaks but may not be blank or contain other control
 *       characters; {@code profileName} is trimmed and may contain no control characters;</li>
 *   <li>an empty {@code profilePhotoUrl} counts as absent (what an HTML form sends for an empty field).</li>
 * </ul>
 */
public final class RequestValidation {
    public static final int TWEET_BODY_MAX = RequestRules.TWEET_BODY_MAX;
    public static final int PROFILE_NAME_MAX = RequestRules.PROFILE_NAME_MAX;
    public static final int PHOTO_URL_MAX = 2048;
    public static final int DURATION_MIN = RequestRules.DURATION_MIN;
    public static final int DURATION_MAX = RequestRules.DURATION_MAX;
    public static final int DURATION_DEFAULT = 5;
    static final Pattern USERNAME = RequestRules.USERNAME;
    static final Set<String> FIELDS =
            Set.of("tweetBody", "profilePhotoUrl", "profileName", "username", "theme", "durationSeconds");
    private static final int FIELD_NAME_ECHO_MAX = 64;

    private RequestValidation() {
    }

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
        String tweetBody = tweetBody(body.get("tweetBody"), errors);
        String photo = photoUrl(body.get("profilePhotoUrl"), errors);
        String profileName = profileName(body.get("profileName"), errors);
        String username = username(body.get("username"), errors);
        Theme theme = theme(body.get("theme"), errors);
        int duration = duration(body.get("durationSeconds"), errors);
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
                .setRequestedAt(null)
                .build();
        return new Outcome(request, List.of());
    }

    private static String tweetBody(JsonNode node, List<FieldError> errors) {
        String value = requiredString("tweetBody", node, errors);
        if (value == null) {
            return null;
        }
        if (!wellFormed("tweetBody", value, errors)) {
            return null;
        }
        int length = value.codePointCount(0, value.length());
        if (value.isBlank()) {
            errors.add(new FieldError("tweetBody", "must not be empty"));
        } else if (length > TWEET_BODY_MAX) {
            errors.add(new FieldError("tweetBody",
                    "must be at most " + TWEET_BODY_MAX + " characters (it has " + length + ")"));
        } else if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            errors.add(new FieldError("tweetBody", "must not contain control characters"));
        } else {
            return value;
        }
        return null;
    }

    private static String profileName(JsonNode node, List<FieldError> errors) {
        String raw = requiredString("profileName", node, errors);
        if (raw == null || !wellFormed("profileName", raw, errors)) {
            return null;
        }
        String value = raw.strip();
        int length = value.codePointCount(0, value.length());
        if (value.isEmpty()) {
            errors.add(new FieldError("profileName", "must not be empty"));
        } else if (length > PROFILE_NAME_MAX) {
            errors.add(new FieldError("profileName",
                    "must be at most " + PROFILE_NAME_MAX + " characters (it has " + length + ")"));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("profileName", "must not contain control characters"));
        } else {
            return value;
        }
        return null;
    }

    private static String username(JsonNode node, List<FieldError> errors) {
        String raw = requiredString("username", node, errors);
        if (raw == null) {
            return null;
        }
        String value = raw.startsWith("@") ? raw.substring(1) : raw;
        if (value.isEmpty()) {
            errors.add(new FieldError("username", "must not be empty"));
            return null;
        }
        if (!USERNAME.matcher(value).matches()) {
            errors.add(new FieldError("username",
                    "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)"));
            return null;
        }
        return value;
    }

    private static String photoUrl(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("profilePhotoUrl", "must be a string"));
            return null;
        }
        String value = node.asText().strip();
        if (value.isEmpty()) {
            return null;
        }
        if (!wellFormed("profilePhotoUrl", value, errors)) {
            return null;
        }
        if (value.length() > PHOTO_URL_MAX) {
            errors.add(new FieldError("profilePhotoUrl", "must be at most " + PHOTO_URL_MAX + " characters"));
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                errors.add(new FieldError("profilePhotoUrl", "must be an http:// or https:// URL"));
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                errors.add(new FieldError("profilePhotoUrl", "must be an absolute URL with a host"));
            } else if (uri.getRawUserInfo() != null) {
                errors.add(new FieldError("profilePhotoUrl", "must not contain a user name or password"));
            } else {
                return value;
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError("profilePhotoUrl", "must be a valid URL"));
        }
        return null;
    }

    private static Theme theme(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return Theme.dark;
        }
        if (node.isTextual()) {
            switch (node.asText()) {
                case "dark":
                    return Theme.dark;
                case "light":
                    return Theme.light;
                default:
                    break;
            }
        }
        errors.add(new FieldError("theme", "must be \"dark\" or \"light\""));
        return null;
    }

    private static int duration(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return DURATION_DEFAULT;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldError("durationSeconds", "must be a whole number of seconds"));
            return 0;
        }
        if (!node.canConvertToInt() || node.intValue() < DURATION_MIN || node.intValue() > DURATION_MAX) {
            errors.add(new FieldError("durationSeconds",
                    "must be from " + DURATION_MIN + " to " + DURATION_MAX + " seconds"));
            return 0;
        }
        return node.intValue();
    }

    private static String requiredString(String field, JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }

    /** Refuses unpaired surrogates (a JSON "\ud800" escape), which have no UTF-8 encoding. */
    private static boolean wellFormed(String field, String value, List<FieldError> errors) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                errors.add(new FieldError(field, "must be valid Unicode text"));
                return false;
            }
        }
        return true;
    }

    private static String echo(String name) {
        String printable = name.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= FIELD_NAME_ECHO_MAX ? printable
                : printable.substring(0, FIELD_NAME_ECHO_MAX) + "…";
    }
}
