package io.tweetreel.bench;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The soak's durations as a person types them: {@code 10m}, {@code 60s}, {@code 90s}, {@code 1m30s}, {@code 1h}. */
final class SoakDurations {
    private static final Pattern WHOLE = Pattern.compile("(\\d+(h|ms|m|s))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(h|ms|m|s)");

    private SoakDurations() {}

    static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write it like 10m, 60s, 90s or 1m30s)");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(
                    switch (part.group(2)) {
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "s" -> Duration.ofSeconds(n);
                        default -> Duration.ofMillis(n);
                    });
        }
        if (total.isZero()) {
            throw new IllegalArgumentException("a duration of zero: '" + text + "'");
        }
        return total;
    }

    /** The short form back: {@code 10m}, {@code 45s}, {@code 1m30s}. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }
}
