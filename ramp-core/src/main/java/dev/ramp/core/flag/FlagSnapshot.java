package dev.ramp.core.flag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Every flag and segment of one environment at one moment: what an SDK evaluates against. Immutable; changes
 * make a new snapshot.
 *
 * @param flags    unique by name, in the server's order
 * @param segments unique by id
 */
public record FlagSnapshot(List<Flag> flags, List<Segment> segments) {
    private static final FlagSnapshot EMPTY = new FlagSnapshot(List.of(), List.of());

    public FlagSnapshot {
        flags = Checks.list(flags, "features");
        segments = Checks.list(segments, "segments");
        var names = new HashSet<String>();
        for (Flag flag : flags) {
            if (!names.add(flag.name())) {
                throw new IllegalArgumentException("features: duplicate flag name '" + flag.name() + "'");
            }
        }
        var ids = new HashSet<Integer>();
        for (Segment segment : segments) {
            if (!ids.add(segment.id())) {
                throw new IllegalArgumentException("segments: duplicate segment id " + segment.id());
            }
        }
    }

    public static FlagSnapshot empty() {
        return EMPTY;
    }

    public static FlagSnapshot of(List<Flag> flags) {
        return new FlagSnapshot(flags, List.of());
    }

    public Optional<Flag> flag(String name) {
        return flags.stream().filter(flag -> flag.name().equals(name)).findFirst();
    }

    public Optional<Segment> segment(int id) {
        return segments.stream().filter(segment -> segment.id() == id).findFirst();
    }

    /** The snapshot after {@code event}; this snapshot is unchanged. */
    public FlagSnapshot apply(DeltaEvent event) {
        if (event instanceof DeltaEvent.Hydration hydration) {
            return new FlagSnapshot(hydration.flags(), hydration.segments());
        }
        if (event instanceof DeltaEvent.FlagUpdated updated) {
            return new FlagSnapshot(replaced(flags, updated.flag()), segments);
        }
        if (event instanceof DeltaEvent.FlagRemoved removed) {
            return new FlagSnapshot(
                    flags.stream().filter(flag -> !flag.name().equals(removed.flag())).toList(), segments);
        }
        if (event instanceof DeltaEvent.SegmentUpdated updated) {
            var next = new ArrayList<Segment>(segments.size() + 1);
            boolean replaced = false;
            for (Segment segment : segments) {
                boolean same = segment.id() == updated.segment().id();
                next.add(same ? updated.segment() : segment);
                replaced |= same;
            }
            if (!replaced) {
                next.add(updated.segment());
            }
            return new FlagSnapshot(flags, next);
        }
        var removed = (DeltaEvent.SegmentRemoved) event;
        return new FlagSnapshot(
                flags, segments.stream().filter(segment -> segment.id() != removed.segmentId()).toList());
    }

    /** The snapshot after every event in order. */
    public FlagSnapshot apply(List<? extends DeltaEvent> events) {
        FlagSnapshot result = this;
        for (DeltaEvent event : events) {
            result = result.apply(event);
        }
        return result;
    }

    private static List<Flag> replaced(List<Flag> flags, Flag update) {
        var next = new ArrayList<Flag>(flags.size() + 1);
        boolean replaced = false;
        for (Flag flag : flags) {
            boolean same = flag.name().equals(update.name());
            next.add(same ? update : flag);
            replaced |= same;
        }
        if (!replaced) {
            next.add(update);
        }
        return next;
    }
}
