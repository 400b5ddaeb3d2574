package io.tweetreel.core;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Typed reading of environment variables (12-factor). Every getter takes a {@link ConfigVariable} declaration and
 * returns the value or the declared default; a bad value is recorded, not thrown, so {@link #validate()} can
 * report every problem at once, each naming the variable and what it accepts. It remembers which variables were
 * read, so a test can hold a config's declared list against what it really reads.
 */
public final class EnvConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final Set<ConfigVariable> read = new LinkedHashSet<>();

    private EnvConfig(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static EnvConfig fromSystem() {
        return new EnvConfig(System.getenv());
    }

    public static EnvConfig of(Map<String, String> env) {
        return new EnvConfig(env);
    }

    /** The set value, trimmed, or null when unset or blank. */
    private String value(ConfigVariable variable) {
        read.add(variable);
        String value = env.get(variable.name());
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The set value, or the declared default (null when the default is worked out at start-up). */
    public String string(ConfigVariable variable) {
        String value = value(variable);
        return value == null ? variable.defaultValue() : value;
    }

    /** The set value, or {@code workedOut}: for a variable declared with a default worked out at start-up. */
    public String string(ConfigVariable variable, String workedOut) {
        requireWorkedOutDefault(variable);
        String value = value(variable);
        return value == null ? workedOut : value;
    }

    /** The set value; when unset, a problem naming the variable and its description. */
    public String required(ConfigVariable variable) {
        if (!variable.required()) {
            throw new IllegalArgumentException(variable.name() + " is declared optional");
        }
        String value = value(variable);
        if (value == null) {
            problems.add(variable.name() + " is required: " + variable.description());
        }
        return value;
    }

    public int integer(ConfigVariable variable, int min, int max) {
        int defaultValue = Integer.parseInt(declaredDefault(variable));
        String value = value(variable);
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
        problems.add(
                variable.name() + "=" + value + " is not valid: expected a whole number from " + min + " to " + max);
        return defaultValue;
    }

    public boolean bool(ConfigVariable variable) {
        boolean defaultValue = Boolean.parseBoolean(declaredDefault(variable));
        String value = value(variable);
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
                problems.add(variable.name() + "=" + value + " is not valid: expected true or false");
                return defaultValue;
            }
        }
    }

    /** Durations as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d} or ISO-8601 ({@code PT10M}). */
    public Duration duration(ConfigVariable variable, Duration min) {
        Duration defaultValue = parseDuration(declaredDefault(variable));
        String value = value(variable);
        if (value == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.compareTo(min) < 0) {
            problems.add(variable.name() + "=" + value + " is not valid: expected a duration of at least " + format(min)
                    + " such as 30s, 10m, 24h or PT10M");
            return defaultValue;
        }
        return parsed;
    }

    /** Comma-separated durations, each as {@link #duration} reads one; an empty value is an empty list. */
    public List<Duration> durations(ConfigVariable variable, Duration min) {
        String declared = declaredDefault(variable);
        String value = value(variable);
        List<Duration> parsed = new ArrayList<>();
        for (String item : (value == null ? declared : value).split(",")) {
            if (item.isBlank()) {
                continue;
            }
            Duration one = parseDuration(item.trim());
            if (one == null || one.compareTo(min) < 0) {
                problems.add(variable.name() + "=" + value + " is not valid: expected comma-separated durations of"
                        + " at least " + format(min) + " such as " + declared + " (" + item.trim() + " is not one)");
                return List.of();
            }
            parsed.add(one);
        }
        return List.copyOf(parsed);
    }

    public <E extends Enum<E>> E choice(ConfigVariable variable, Class<E> type) {
        E defaultValue = Enum.valueOf(type, declaredDefault(variable).toUpperCase(Locale.ROOT));
        String value = value(variable);
        if (value == null) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        problems.add(variable.name() + "=" + value + " is not valid: expected one of " + accepted);
        return defaultValue;
    }

    /**
     * An absolute http(s) URL, without a trailing slash; the declared default when unset (null for a variable
     * whose default is worked out at start-up).
     */
    public String httpUrl(ConfigVariable variable) {
        String value = string(variable);
        if (value == null) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        problems.add(variable.name() + "=" + value + " is not valid: expected an absolute http:// or https:// URL");
        return variable.defaultValue();
    }

    /** A path; the declared default when unset (null for a variable whose default is worked out at start-up). */
    public Path path(ConfigVariable variable) {
        String value = string(variable);
        return value == null ? null : Path.of(value);
    }

    /** The set path, or {@code workedOut}: for a variable declared with a default worked out at start-up. */
    public Path path(ConfigVariable variable, Path workedOut) {
        requireWorkedOutDefault(variable);
        String value = value(variable);
        return value == null ? workedOut : Path.of(value);
    }

    /** Every variable read so far, in the order first read. */
    public List<ConfigVariable> variablesRead() {
        return List.copyOf(read);
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

    /** The short form people write: {@code 500ms}, {@code 90s}, {@code 5m}, {@code 24h}. */
    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static String declaredDefault(ConfigVariable variable) {
        if (variable.defaultValue() == null) {
            throw new IllegalArgumentException(variable.name() + " declares no fixed default to fall back on");
        }
        return variable.defaultValue();
    }

    private static void requireWorkedOutDefault(ConfigVariable variable) {
        if (variable.required() || variable.defaultValue() != null) {
            throw new IllegalArgumentException(variable.name() + " declares "
                    + (variable.required() ? "itself required" : "the default " + variable.defaultValue())
                    + ": read it without a worked-out default");
        }
    }
}
