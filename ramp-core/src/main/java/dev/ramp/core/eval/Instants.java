package dev.ramp.core.eval;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the date-times of {@code DATE_*} constraints and of {@code currentTime}: RFC 3339 with an offset
 * ({@code 2022-01-22T13:00:00.000+02:00}, {@code ...Z}), as Unleash's engine does; without an offset there is
 * no instant. The shape is checked by hand first, so that context values that are not dates (the common
 * case for a property) are refused without the cost of a parser exception.
 */
final class Instants {
    private Instants() {}

    static Optional<Instant> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        if (!hasRfc3339Shape(text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)}, digits where digits go. */
    private static boolean hasRfc3339Shape(String text) {
        String pattern = "dddd-dd-ddTdd:dd:dd";
        if (text.length() < pattern.length() + 1) {
            return false;
        }
        for (int i = 0; i < pattern.length(); i++) {
            char expected = pattern.charAt(i);
            char actual = text.charAt(i);
            if (expected == 'd' ? !digit(actual) : actual != expected && !(expected == 'T' && actual == 't')) {
                return false;
            }
        }
        int i = pattern.length();
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < text.length() && digit(text.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 9) {
                return false;
            }
        }
        String zone = text.substring(i);
        return zone.equals("Z") || zone.equals("z") || (zone.length() == 6 && (zone.charAt(0) == '+' || zone.charAt(0) == '-')
                && digit(zone.charAt(1)) && digit(zone.charAt(2)) && zone.charAt(3) == ':'
                && digit(zone.charAt(4)) && digit(zone.charAt(5)));
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
