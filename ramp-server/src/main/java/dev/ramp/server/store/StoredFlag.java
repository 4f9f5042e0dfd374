package dev.ramp.server.store;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ramp.server.model.FlagDefinition;
import java.time.Instant;

/** A flag as stored: its definition plus what the server keeps about it. {@code version} starts at 1. */
public record StoredFlag(@JsonUnwrapped FlagDefinition definition, boolean archived, long version, Instant createdAt, Instant updatedAt) {

    public String key() {
        return definition.key();
    }

    /** The next version of this flag, changed at {@code now}. */
    public StoredFlag next(FlagDefinition newDefinition, boolean newArchived, Instant now) {
        return new StoredFlag(newDefinition, newArchived, version + 1, createdAt, now);
    }
}
