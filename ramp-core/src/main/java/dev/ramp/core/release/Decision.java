package dev.ramp.core.release;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ReleaseMachine#next} decided: the next state (its {@link ReleaseState#pending()} actions to carry out)
 * and the entries to add to the release's timeline. The server stores both in one transaction before it acts.
 */
public record Decision(ReleaseState state, List<TimelineEntry> timeline) {
    public Decision {
        Objects.requireNonNull(state, "state");
        timeline = List.copyOf(timeline);
    }

    /** Whether anything changed. */
    public boolean changed(ReleaseState before) {
        return !timeline.isEmpty() || !state.equals(before);
    }
}
