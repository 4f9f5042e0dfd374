package dev.ramp.server.state;

import dev.ramp.core.flag.DeltaEvent;
import dev.ramp.core.flag.Flag;
import dev.ramp.server.store.StoredFlag;
import dev.ramp.server.store.StoredSegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One committed change as the change streams see it: the state of the flag or segment before and after, from which
 * {@link #events(String)} derives the Unleash delta events of an environment. A change that does not alter what an
 * environment's SDKs evaluate (say, a strategy edited in another environment) has no events there.
 */
public final class Update {
    private final long changeId;
    private final StoredFlag flagBefore;
    private final StoredFlag flagAfter;
    private final StoredSegment segmentBefore;
    private final StoredSegment segmentAfter;
    private final Map<String, List<DeltaEvent>> events = new ConcurrentHashMap<>();

    private Update(long changeId, StoredFlag flagBefore, StoredFlag flagAfter, StoredSegment segmentBefore, StoredSegment segmentAfter) {
        this.changeId = changeId;
        this.flagBefore = flagBefore;
        this.flagAfter = flagAfter;
        this.segmentBefore = segmentBefore;
        this.segmentAfter = segmentAfter;
    }

    /** A flag changed; {@code before} is null when the change created it. */
    static Update ofFlag(long changeId, StoredFlag before, StoredFlag after) {
        return new Update(changeId, before, after, null, null);
    }

    /** A segment changed; {@code before} is null when created, {@code after} when deleted. */
    static Update ofSegment(long changeId, StoredSegment before, StoredSegment after) {
        return new Update(changeId, null, null, before, after);
    }

    /** A change that SDKs do not see (an environment, a token). */
    static Update unseen(long changeId) {
        return new Update(changeId, null, null, null, null);
    }

    public long changeId() {
        return changeId;
    }

    /** The delta events this change means to SDKs of {@code environment}, often one, possibly none. */
    public List<DeltaEvent> events(String environment) {
        return events.computeIfAbsent(environment, this::derive);
    }

    private List<DeltaEvent> derive(String environment) {
        if (segmentBefore != null || segmentAfter != null) {
            return segmentAfter == null
                    ? List.of(new DeltaEvent.SegmentRemoved(changeId, segmentBefore.id()))
                    : List.of(new DeltaEvent.SegmentUpdated(changeId, segmentAfter.definition().toSegment(segmentAfter.id())));
        }
        if (flagAfter == null) {
            return List.of();
        }
        boolean wasLive = flagBefore != null && !flagBefore.archived();
        if (flagAfter.archived()) {
            return wasLive
                    ? List.of(new DeltaEvent.FlagRemoved(changeId, flagAfter.key(), flagAfter.definition().project()))
                    : List.of();
        }
        Flag now = flagAfter.definition().inEnvironment(environment);
        if (wasLive && flagBefore.definition().inEnvironment(environment).equals(now)) {
            return List.of();
        }
        return List.of(new DeltaEvent.FlagUpdated(changeId, now));
    }
}
