package dev.ramp.server.store;

import dev.ramp.core.release.TimelineEntry;
import java.util.Objects;

/** One stored entry of a release's timeline: its place ({@code seq}, from 1) and the entry. */
public record TimelineRow(long seq, TimelineEntry entry) {
    public TimelineRow {
        Objects.requireNonNull(entry, "entry");
    }
}
