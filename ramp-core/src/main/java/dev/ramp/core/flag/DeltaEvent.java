package dev.ramp.core.flag;

import java.util.List;

/**
 * One change in the Unleash delta stream. Applying events in {@code eventId} order to a snapshot, starting
 * from a {@link Hydration}, reproduces the server's state: see {@link FlagSnapshot#apply(DeltaEvent)}.
 */
public sealed interface DeltaEvent {

    /** Position in the stream; clients resume after the last id they applied. */
    long eventId();

    /** The whole state: replaces everything. */
    record Hydration(long eventId, List<Flag> flags, List<Segment> segments) implements DeltaEvent {
        public Hydration {
            flags = Checks.list(flags, "hydration.features");
            segments = Checks.list(segments, "hydration.segments");
        }
    }

    /** A flag was created or changed: replaces the flag of that name. */
    record FlagUpdated(long eventId, Flag flag) implements DeltaEvent {
        public FlagUpdated {
            java.util.Objects.requireNonNull(flag, "feature must not be null");
        }
    }

    /** A flag was archived or deleted. */
    record FlagRemoved(long eventId, String flag, String project) implements DeltaEvent {
        public FlagRemoved {
            Checks.name(flag, "featureName");
            Checks.text(project, "project");
        }
    }

    /** A segment was created or changed: replaces the segment with that id. */
    record SegmentUpdated(long eventId, Segment segment) implements DeltaEvent {
        public SegmentUpdated {
            java.util.Objects.requireNonNull(segment, "segment must not be null");
        }
    }

    /** A segment was deleted. */
    record SegmentRemoved(long eventId, int segmentId) implements DeltaEvent {}
}
