package io.tweetreel.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One environment variable a service reads: its name, whether it must be set, its default and what it means.
 * Config records declare their variables as constants of this type and read them only through
 * {@link EnvConfig}, which takes the default from the declaration; so the declaration is what is read, and the
 * README's table and the deployment files are checked against it rather than against the sources.
 *
 * @param name         the environment variable
 * @param required     the service refuses to start without it
 * @param defaultValue the value used when it is unset, written as it would be in the environment; null when the
 *                     variable is required or its default is worked out at start-up
 * @param defaultText  the default as documentation shows it: {@code defaultValue}, or what is worked out at
 *                     start-up (e.g. {@code <service>-<pid>}, {@code bundled card}); null when required
 * @param description  one line on what it means
 */
public record ConfigVariable(
        String name, boolean required, String defaultValue, String defaultText, String description) {

    public ConfigVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("not an environment variable name: " + name);
        }
        if (required && (defaultValue != null || defaultText != null)) {
            throw new IllegalArgumentException(name + " is required, so it has no default");
        }
        if (!required && defaultText == null) {
            throw new IllegalArgumentException(name + " is optional: say what applies when it is unset");
        }
    }

    /** A variable that must be set. */
    public static ConfigVariable required(String name, String description) {
        return new ConfigVariable(name, true, null, null, description);
    }

    /** A variable with a fixed default. */
    public static ConfigVariable withDefault(String name, String defaultValue, String description) {
        Objects.requireNonNull(defaultValue, "defaultValue");
        return new ConfigVariable(name, false, defaultValue, defaultValue, description);
    }

    public static ConfigVariable withDefault(String name, int defaultValue, String description) {
        return withDefault(name, String.valueOf(defaultValue), description);
    }

    public static ConfigVariable withDefault(String name, boolean defaultValue, String description) {
        return withDefault(name, String.valueOf(defaultValue), description);
    }

    /** A duration default, written the short way people set it ({@code 90s}, {@code 5m}, {@code 24h}). */
    public static ConfigVariable withDefault(String name, Duration defaultValue, String description) {
        return withDefault(name, EnvConfig.format(defaultValue), description);
    }

    /**
     * A variable whose default is worked out at start-up (from the service name, the process, a bundled file),
     * described by {@code defaultText}; the reader passes the value it works out, or gets null.
     */
    public static ConfigVariable derived(String name, String defaultText, String description) {
        return new ConfigVariable(name, false, null, defaultText, description);
    }

    /** This variable with another fixed default: a shared variable whose default differs per service. */
    public ConfigVariable defaultingTo(String value) {
        return withDefault(name, value, description);
    }

    /** The lists joined in order; a name declared twice is a mistake in the declaration. */
    @SafeVarargs
    public static List<ConfigVariable> concat(Collection<ConfigVariable>... lists) {
        List<ConfigVariable> all = new ArrayList<>();
        for (Collection<ConfigVariable> list : lists) {
            for (ConfigVariable variable : list) {
                if (all.stream().anyMatch(v -> v.name().equals(variable.name()))) {
                    throw new IllegalArgumentException(variable.name() + " is declared twice");
                }
                all.add(variable);
            }
        }
        return List.copyOf(all);
    }
}
