package dev.ramp.server.store;

import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do. {@code ADMIN}: everything under {@code /api/v1}, and the gateway API. {@code CLIENT}: read one
 * environment's flags through {@code /api/client} and OFREP, post metrics and registrations. {@code FRONTEND}:
 * evaluate one environment's flags through OFREP, as browsers and mobile apps do. {@code GATEWAY}: only
 * {@code /api/gateway}: read the routes and post traffic reports, as a gateway in managed mode does.
 */
public enum TokenScope {
    ADMIN, CLIENT, FRONTEND, GATEWAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a token of this scope reads one environment (client, frontend) rather than none in particular. */
    public boolean perEnvironment() {
        return this == CLIENT || this == FRONTEND;
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
