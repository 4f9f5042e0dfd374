package dev.ramp.core.flag;

import java.util.List;

/**
 * A reusable, named list of constraints that strategies refer to by id. A strategy that refers to a
 * segment the snapshot lacks never matches.
 */
public record Segment(int id, String name, List<Constraint> constraints) {
    public Segment {
        Checks.text(name, "segment.name");
        constraints = Checks.list(constraints, "segment.constraints");
    }
}
