package dev.ramp.core.eval;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the date-times of {@code DATE_*} constraints and of {@code currentTime}: RFC 3339 / ISO-8601 with an
 * offset ({@code 2022-01-22T13:00:00.000+02:00}, {@code ...Z}); a date-time without an offset is taken as UTC.
 */
final class Instants {
    private Instants() {}

    static Optional<Instant> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException withOffset) {
            try {
                return Optional.of(LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                        .toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException withoutOffset) {
                return Optional.empty();
            }
        }
    }
}
