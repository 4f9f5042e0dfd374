package dev.ramp.core.route;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Durations as route documents write them: a whole number and a unit, {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {}

    /** The duration {@code text} writes, or empty when it is not of the form {@code <number><ms|s|m|h>}. */
    public static Optional<Duration> parse(String text) {
        var matcher = FORM.matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        });
    }

    /** {@code duration} written the way documents write it, in its largest whole unit: {@code 90s}, {@code 2m}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1_000 == 0 ? millis / 1_000 + "s" : millis + "ms";
    }

    /** {@code text}'s duration; call only on a checked document. */
    static Duration of(String text) {
        return parse(text).orElseThrow(() -> new IllegalStateException("duration '" + text + "' was not checked"));
    }
}
