package dev.ramp.core.flag;

import java.util.regex.Pattern;

/**
 * A named stage (for example {@code development} or {@code production}) that holds its own rules for every
 * flag. A {@link FlagSnapshot} is always the view of one environment.
 *
 * @param name lower-case letters, digits, {@code -} and {@code _}, 1 to 100 characters
 */
public record Environment(String name) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");

    public static final Environment DEVELOPMENT = new Environment("development");
    public static final Environment PRODUCTION = new Environment("production");

    public Environment {
        Checks.name(name, "environment.name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("environment.name '" + name
                    + "' must be 1-100 characters of a-z, 0-9, '-' or '_', starting with a letter or digit");
        }
    }
}
