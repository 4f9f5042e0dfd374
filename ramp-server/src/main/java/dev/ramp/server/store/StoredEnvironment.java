package dev.ramp.server.store;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ramp.server.model.EnvironmentDefinition;
import java.time.Instant;

/** An environment as stored. */
public record StoredEnvironment(@JsonUnwrapped EnvironmentDefinition definition, long version, Instant createdAt, Instant updatedAt) {

    public String name() {
        return definition.name();
    }

    public StoredEnvironment next(EnvironmentDefinition newDefinition, Instant now) {
        return new StoredEnvironment(newDefinition, version + 1, createdAt, now);
    }
}
