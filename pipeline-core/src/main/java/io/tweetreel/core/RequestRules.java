package io.tweetreel.core;

import io.tweetreel.schemas.Theme;
import io.tweetreel.schemas.VideoRequested;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The job model's rules for the values of a request, wherever it enters: the gateway applies them field by field to
 * a JSON body once its types are right, the renderer applies {@link #check} to a record that arrived straight on
 * {@code videos.requested}. Field names, limits and messages live only here, so a bad value gets the same message
 * over HTTP (a 400 field error) and on Kafka (a failed job with {@code INVALID_REQUEST}).
 *
 * <p>Where the model is silent: lengths count Unicode code points (an emoji is one character) and text must be
 * well-formed Unicode; {@code tweetBody} keeps its whitespace and line breaks but may not be blank or contain other
 * control characters; {@code profileName} is trimmed and may contain no control characters; a photo or webhook URL
 * is trimmed, blank counts as absent, and it must be http(s) with a host and without a user name or password.
 * {@code metadata} is checked key by key: a bad value is reported as the field {@code metadata.<key>} (its key is
 * valid, so it can be named); a bad key or too many keys as {@code metadata} (a bad key is not echoed back).
 */
public final class RequestRules {
    public static final String TWEET_BODY = "tweetBody";
    public static final String PROFILE_PHOTO_URL = "profilePhotoUrl";
    public static final String PROFILE_NAME = "profileName";
    public static final String USERNAME = "username";
    public static final String THEME = "theme";
    public static final String DURATION_SECONDS = "durationSeconds";
    public static final String WEBHOOK_URL = "webhookUrl";
    public static final String METADATA = "metadata";

    public static final int TWEET_BODY_MAX = 2000;
    public static final int PROFILE_NAME_MAX = 50;
    public static final int PHOTO_URL_MAX = 2048;
    public static final int WEBHOOK_URL_MAX = 2048;
    public static final int METADATA_MAX_KEYS = 16;
    public static final int METADATA_VALUE_MAX = 500;
    public static final Pattern METADATA_KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,40}$");
    public static final int DURATION_MIN = 3;
    public static final int DURATION_MAX = 30;
    public static final int DURATION_DEFAULT = 5;
    public static final Theme THEME_DEFAULT = Theme.dark;
    /** A handle without its leading {@code @}. */
    public static final Pattern HANDLE = Pattern.compile("^[A-Za-z0-9_]{1,15}$");

    private RequestRules() {}

    /** One problem with one field; {@code toString} is how a failed job states it. */
    public record Violation(String field, String message) {
        @Override
        public String toString() {
            return field + " " + message;
        }
    }

    /** Every problem of a request as it arrives (before {@link #normalized}), one per bad field, in field order. */
    public static List<Violation> check(VideoRequested request) {
        List<Violation> problems = new ArrayList<>();
        checkTweetBody(request.getTweetBody()).ifPresent(problems::add);
        checkProfilePhotoUrl(profilePhotoUrl(request.getProfilePhotoUrl())).ifPresent(problems::add);
        checkProfileName(profileName(request.getProfileName())).ifPresent(problems::add);
        checkUsername(handle(request.getUsername())).ifPresent(problems::add);
        checkTheme(request.getTheme() == null ? null : request.getTheme().name())
                .ifPresent(problems::add);
        checkDurationSeconds(request.getDurationSeconds()).ifPresent(problems::add);
        checkWebhookUrl(webhookUrl(request.getWebhookUrl())).ifPresent(problems::add);
        problems.addAll(checkMetadata(request.getMetadata()));
        return problems;
    }

    /** A request that passed {@link #check}, as the stages use it: trimmed name and URLs, handle without @. */
    public static VideoRequested normalized(VideoRequested request) {
        return VideoRequested.newBuilder(request)
                .setProfilePhotoUrl(profilePhotoUrl(request.getProfilePhotoUrl()))
                .setWebhookUrl(webhookUrl(request.getWebhookUrl()))
                .setProfileName(profileName(request.getProfileName()))
                .setUsername(handle(request.getUsername()))
                .build();
    }

    /** The handle without one leading {@code @}. */
    public static String handle(String username) {
        return username != null && username.startsWith("@") ? username.substring(1) : username;
    }

    /** The display name as shown: without surrounding whitespace. */
    public static String profileName(String name) {
        return name == null ? null : name.strip();
    }

    /** The photo URL without surrounding whitespace, or null when there is none (absent or blank). */
    public static String profilePhotoUrl(String url) {
        return url == null || url.isBlank() ? null : url.strip();
    }

    /** The webhook URL without surrounding whitespace, or null when there is none (absent or blank). */
    public static String webhookUrl(String url) {
        return url == null || url.isBlank() ? null : url.strip();
    }

    public static Optional<Violation> checkTweetBody(String body) {
        if (body == null) {
            return required(TWEET_BODY);
        }
        if (!wellFormed(body)) {
            return notUnicode(TWEET_BODY);
        }
        if (body.isBlank()) {
            return violation(TWEET_BODY, "must not be empty");
        }
        int length = body.codePointCount(0, body.length());
        if (length > TWEET_BODY_MAX) {
            return tooLong(TWEET_BODY, TWEET_BODY_MAX, length);
        }
        if (body.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            return violation(TWEET_BODY, "must not contain control characters");
        }
        return Optional.empty();
    }

    /** Checks a name as {@link #profileName} leaves it. */
    public static Optional<Violation> checkProfileName(String name) {
        if (name == null) {
            return required(PROFILE_NAME);
        }
        if (!wellFormed(name)) {
            return notUnicode(PROFILE_NAME);
        }
        if (name.isEmpty()) {
            return violation(PROFILE_NAME, "must not be empty");
        }
        int length = name.codePointCount(0, name.length());
        if (length > PROFILE_NAME_MAX) {
            return tooLong(PROFILE_NAME, PROFILE_NAME_MAX, length);
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return violation(PROFILE_NAME, "must not contain control characters");
        }
        return Optional.empty();
    }

    /** Checks a handle as {@link #handle} leaves it. */
    public static Optional<Violation> checkUsername(String handle) {
        if (handle == null) {
            return required(USERNAME);
        }
        if (handle.isEmpty()) {
            return violation(USERNAME, "must not be empty");
        }
        if (!HANDLE.matcher(handle).matches()) {
            return violation(USERNAME, "must be 1 to 15 letters, digits or underscores (a leading @ is allowed)");
        }
        return Optional.empty();
    }

    /** Checks a URL as {@link #profilePhotoUrl} leaves it; null (no photo) is fine. */
    public static Optional<Violation> checkProfilePhotoUrl(String url) {
        return checkHttpUrl(PROFILE_PHOTO_URL, url, PHOTO_URL_MAX);
    }

    /** Checks a URL as {@link #webhookUrl} leaves it; null (no webhook) is fine. */
    public static Optional<Violation> checkWebhookUrl(String url) {
        return checkHttpUrl(WEBHOOK_URL, url, WEBHOOK_URL_MAX);
    }

    private static Optional<Violation> checkHttpUrl(String field, String url, int max) {
        if (url == null) {
            return Optional.empty();
        }
        if (!wellFormed(url)) {
            return notUnicode(field);
        }
        if (url.codePointCount(0, url.length()) > max) {
            return violation(field, "must be at most " + max + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return violation(field, "must be a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return violation(field, "must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return violation(field, "must be an absolute URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            return violation(field, "must not contain a user name or password");
        }
        return Optional.empty();
    }

    /** The field a metadata value is reported under; only for a key that passed {@link #METADATA_KEY}. */
    public static String metadataField(String key) {
        return METADATA + "." + key;
    }

    /**
     * Problems of the metadata map (null or empty is fine): too many keys, bad keys (one problem for all of them,
     * without echoing them), then one problem per bad value under {@link #metadataField}, in key order.
     */
    public static List<Violation> checkMetadata(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return List.of();
        }
        List<Violation> problems = new ArrayList<>();
        if (metadata.size() > METADATA_MAX_KEYS) {
            problems.add(new Violation(
                    METADATA, "must have at most " + METADATA_MAX_KEYS + " keys (it has " + metadata.size() + ")"));
        }
        if (!metadata.keySet().stream().allMatch(RequestRules::isMetadataKey)) {
            problems.add(badMetadataKey());
        }
        metadata.keySet().stream()
                .filter(RequestRules::isMetadataKey)
                .sorted()
                .forEach(key -> checkMetadataValue(key, metadata.get(key)).ifPresent(problems::add));
        return problems;
    }

    public static boolean isMetadataKey(String key) {
        return key != null && METADATA_KEY.matcher(key).matches();
    }

    /** One problem for every key that does not match {@link #METADATA_KEY}. */
    public static Violation badMetadataKey() {
        return new Violation(METADATA, "keys must be 1 to 40 letters, digits, '_', '.' or '-'");
    }

    /** Checks the value of a valid key; reported as {@code metadata.<key>}. */
    public static Optional<Violation> checkMetadataValue(String key, String value) {
        String field = metadataField(key);
        if (value == null) {
            return violation(field, "must be a string");
        }
        if (!wellFormed(value)) {
            return notUnicode(field);
        }
        int length = value.codePointCount(0, value.length());
        if (length > METADATA_VALUE_MAX) {
            return tooLong(field, METADATA_VALUE_MAX, length);
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            return violation(field, "must not contain control characters");
        }
        return Optional.empty();
    }

    /** The theme with exactly this name (case matters), if there is one. */
    public static Optional<Theme> theme(String name) {
        return Arrays.stream(Theme.values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** Checks a theme's name; null (not a name at all) is refused. */
    public static Optional<Violation> checkTheme(String name) {
        if (theme(name).isPresent()) {
            return Optional.empty();
        }
        List<String> quoted =
                Arrays.stream(Theme.values()).map(t -> "\"" + t.name() + "\"").toList();
        return violation(
                THEME,
                "must be " + String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or "
                        + quoted.get(quoted.size() - 1));
    }

    public static Optional<Violation> checkDurationSeconds(long seconds) {
        if (seconds < DURATION_MIN || seconds > DURATION_MAX) {
            return violation(DURATION_SECONDS, "must be from " + DURATION_MIN + " to " + DURATION_MAX + " seconds");
        }
        return Optional.empty();
    }

    /** How a failed job states the problems: the same field and message a 400 lists, joined by "; ". */
    public static String describe(List<Violation> problems) {
        return "Invalid request: " + problems.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }

    /** False for unpaired surrogates (a JSON "\ud800" escape), which have no UTF-8 encoding. */
    private static boolean wellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Violation> violation(String field, String message) {
        return Optional.of(new Violation(field, message));
    }

    /** A required field without a value (absent, or JSON null). */
    public static Violation missing(String field) {
        return new Violation(field, "is required");
    }

    private static Optional<Violation> required(String field) {
        return Optional.of(missing(field));
    }

    private static Optional<Violation> notUnicode(String field) {
        return violation(field, "must be valid Unicode text");
    }

    private static Optional<Violation> tooLong(String field, int max, int length) {
        return violation(field, "must be at most " + max + " characters (it has " + length + ")");
    }
}
