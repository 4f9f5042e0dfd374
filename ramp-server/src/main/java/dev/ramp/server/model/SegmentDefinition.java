package dev.ramp.server.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ramp.core.flag.Segment;
import java.util.List;

/**
 * A named, reusable list of constraints that strategies refer to by {@code id}. The server assigns the id on
 * creation; the read-only fields of a {@code GET} are accepted and ignored.
 */
@JsonIgnoreProperties(value = {"id", "version", "createdAt", "updatedAt"}, allowGetters = true)
public record SegmentDefinition(String name, String description, List<ConstraintDefinition> constraints) {

    public SegmentDefinition {
        name = Defaults.text(name);
        description = Defaults.text(description);
        constraints = Defaults.list(constraints);
    }

    public Segment toSegment(int id) {
        return new Segment(id, name, constraints.stream().map(ConstraintDefinition::toConstraint).toList());
    }
}
