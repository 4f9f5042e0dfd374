package dev.ramp.server.store;

import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do. {@code ADMIN}: everything under {@code /api/v1}. {@code CLIENT}: read one environment's
 * flags through {@code /api/client} and OFREP, post metrics and registrations. {@code FRONTEND}: evaluate one
 * environment's flags through OFREP, as browsers and mobile apps do.
 */
public enum TokenScope {
    ADMIN, CLIENT, FRONTEND;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TokenScope> parse(String text) {
        for (TokenScope scope : values()) {
            if (scope.wireName().equals(text)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
