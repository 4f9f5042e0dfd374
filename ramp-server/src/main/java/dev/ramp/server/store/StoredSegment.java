package dev.ramp.server.store;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ramp.server.model.SegmentDefinition;
import java.time.Instant;

/** A segment as stored, with its server-assigned id. */
public record StoredSegment(int id, @JsonUnwrapped SegmentDefinition definition, long version, Instant createdAt, Instant updatedAt) {

    public StoredSegment next(SegmentDefinition newDefinition, Instant now) {
        return new StoredSegment(id, newDefinition, version + 1, createdAt, now);
    }
}
