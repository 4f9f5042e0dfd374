package dev.ramp.sdk.internal;

import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Segment;
import dev.ramp.core.flag.Strategy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Which flags evaluate differently between two snapshots, for {@link dev.ramp.sdk.RampListener#onChanged}. */
public final class SnapshotDiff {
    private SnapshotDiff() {}

    /** Flags added, removed or changed, and flags that use a segment that changed; sorted. */
    public static Set<String> changedFlags(FlagSnapshot before, FlagSnapshot after) {
        Map<String, Flag> old = new HashMap<>();
        before.flags().forEach(flag -> old.put(flag.name(), flag));
        Map<Integer, Segment> oldSegments = new HashMap<>();
        before.segments().forEach(segment -> oldSegments.put(segment.id(), segment));
        Set<Integer> changedSegments = new HashSet<>();
        for (Segment segment : after.segments()) {
            if (!segment.equals(oldSegments.remove(segment.id()))) {
                changedSegments.add(segment.id());
            }
        }
        changedSegments.addAll(oldSegments.keySet());
        Set<String> changed = new TreeSet<>();
        for (Flag flag : after.flags()) {
            Flag previous = old.remove(flag.name());
            if (!Objects.equals(previous, flag) || usesAny(flag, changedSegments)) {
                changed.add(flag.name());
            }
        }
        changed.addAll(old.keySet());
        return changed;
    }

    private static boolean usesAny(Flag flag, Set<Integer> segments) {
        if (segments.isEmpty()) {
            return false;
        }
        for (Integer id : flag.segments()) {
            if (segments.contains(id)) {
                return true;
            }
        }
        for (Strategy strategy : flag.strategies()) {
            for (Integer id : strategy.segments()) {
                if (segments.contains(id)) {
                    return true;
                }
            }
        }
        return false;
    }
}
