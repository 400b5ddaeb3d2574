package io.tweetreel.core;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Typed reading of environment variables (12-factor). Each getter returns a value or its default; a bad value
 * is recorded, not thrown, so {@link #validate()} can report every problem at once, each naming the variable
 * and what it accepts.
 */
public final class EnvConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private EnvConfig(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static EnvConfig fromSystem() {
        return new EnvConfig(System.getenv());
    }

    public static EnvConfig of(Map<String, String> env) {
        return new EnvConfig(env);
    }

    /** The raw value, or null when unset or blank. */
    public String raw(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String string(String name, String defaultValue) {
        String value = raw(name);
        return value == null ? defaultValue : value;
    }

    public String required(String name, String meaning) {
        String value = raw(name);
        if (value == null) {
            problems.add(name + " is required: " + meaning);
        }
        return value;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(name + "=" + value + " is not valid: expected a whole number from " + min + " to " + max);
        return defaultValue;
    }

    public boolean bool(String name, boolean defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> {
                return true;
            }
            case "false", "0", "no", "off" -> {
                return false;
            }
            default -> {
                problems.add(name + "=" + value + " is not valid: expected true or false");
                return defaultValue;
            }
        }
    }

    /** Durations as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d} or ISO-8601 ({@code PT10M}). */
    public Duration duration(String name, Duration defaultValue, Duration min) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.compareTo(min) < 0) {
            problems.add(name + "=" + value + " is not valid: expected a duration of at least " + format(min)
                    + " such as 30s, 10m, 24h or PT10M");
            return defaultValue;
        }
        return parsed;
    }

    public <E extends Enum<E>> E choice(String name, E defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        Class<E> type = defaultValue.getDeclaringClass();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        problems.add(name + "=" + value + " is not valid: expected one of " + accepted);
        return defaultValue;
    }

    /** An absolute http(s) URL, without a trailing slash. */
    public String httpUrl(String name, String defaultValue) {
        String value = string(name, defaultValue);
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        problems.add(name + "=" + value + " is not valid: expected an absolute http:// or https:// URL");
        return defaultValue;
    }

    public Path path(String name, Path defaultValue) {
        String value = raw(name);
        return value == null ? defaultValue : Path.of(value);
    }

    /** Records a problem found by the caller's own checks (e.g. a file that must exist). */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} listing every problem recorded so far. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
