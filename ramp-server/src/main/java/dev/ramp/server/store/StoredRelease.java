package dev.ramp.server.store;

import dev.ramp.core.release.ReleaseDefinition;
import dev.ramp.core.release.ReleaseState;
import java.time.Instant;
import java.util.Objects;

/**
 * A release as stored: its document, where it is, its version (from 1, one more with every decision) and when it was
 * created and last changed.
 */
public record StoredRelease(ReleaseDefinition definition, ReleaseState state, long version, Instant createdAt,
                            Instant updatedAt) {
    public StoredRelease {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 1) {
            throw new IllegalArgumentException("a release's version starts at 1, got " + version);
        }
    }

    public String name() {
        return definition.name();
    }

    /** The same release in {@code next}, as the next version. */
    public StoredRelease next(ReleaseState next, Instant now) {
        return new StoredRelease(definition, next, version + 1, createdAt, now);
    }
}
