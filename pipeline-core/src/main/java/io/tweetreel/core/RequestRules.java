package io.tweetreel.core;

import io.tweetreel.schemas.VideoRequested;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The job model's rules for the values of a request, for requests that arrive straight on Kafka (the gateway
 * refuses bad ones with 400 before they get there). Lengths count Unicode code points.
 */
public final class RequestRules {
    public static final int TWEET_BODY_MAX = 2000;
    public static final int PROFILE_NAME_MAX = 50;
    public static final int DURATION_MIN = 3;
    public static final int DURATION_MAX = 30;
    public static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9_]{1,15}$");

    private RequestRules() {
    }

    /** One problem with one field. */
    public record Violation(String field, String message) {
        @Override
        public String toString() {
            return field + " " + message;
        }
    }

    /** The handle without one leading {@code @}. */
    public static String handle(String username) {
        return username != null && username.startsWith("@") ? username.substring(1) : username;
    }

    public static List<Violation> check(VideoRequested request) {
        List<Violation> problems = new ArrayList<>();
        String body = request.getTweetBody();
        if (body == null || body.isBlank()) {
            problems.add(new Violation("tweetBody", "must not be empty"));
        } else if (body.codePointCount(0, body.length()) > TWEET_BODY_MAX) {
            problems.add(new Violation("tweetBody", "must be at most " + TWEET_BODY_MAX + " characters"));
        }
        String name = request.getProfileName();
        if (name == null || name.isBlank()) {
            problems.add(new Violation("profileName", "must not be empty"));
        } else if (name.strip().codePointCount(0, name.strip().length()) > PROFILE_NAME_MAX) {
            problems.add(new Violation("profileName", "must be at most " + PROFILE_NAME_MAX + " characters"));
        }
        String handle = handle(request.getUsername());
        if (handle == null || !USERNAME.matcher(handle).matches()) {
            problems.add(new Violation("username", "must be 1 to 15 letters, digits or underscores"));
        }
        String photo = request.getProfilePhotoUrl();
        if (photo != null && !photo.isBlank() && !isHttpUrl(photo)) {
            problems.add(new Violation("profilePhotoUrl", "must be an absolute http or https URL"));
        }
        int duration = request.getDurationSeconds();
        if (duration < DURATION_MIN || duration > DURATION_MAX) {
            problems.add(new Violation("durationSeconds",
                    "must be from " + DURATION_MIN + " to " + DURATION_MAX + " seconds"));
        }
        return problems;
    }

    static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            return uri.getHost() != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
        } catch (Exception e) {
            return false;
        }
    }
}
