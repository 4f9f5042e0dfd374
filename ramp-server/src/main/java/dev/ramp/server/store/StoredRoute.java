package dev.ramp.server.store;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ramp.core.route.RouteDefinition;
import java.time.Instant;
import java.util.Objects;

/** A route as stored: its {@code kind: Route} document, its version (from 1) and when it was created and last changed. */
public record StoredRoute(@JsonUnwrapped RouteDefinition definition, long version, Instant createdAt, Instant updatedAt) {
    public StoredRoute {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 1) {
            throw new IllegalArgumentException("a route's version starts at 1, got " + version);
        }
    }

    /** A new route, at version 1. */
    public static StoredRoute created(RouteDefinition definition, Instant now) {
        return new StoredRoute(definition, 1, now, now);
    }

    public String name() {
        return definition.name();
    }

    /** The same route with {@code next} as its document, as the next version. */
    public StoredRoute next(RouteDefinition next, Instant now) {
        return new StoredRoute(next, version + 1, createdAt, now);
    }
}
