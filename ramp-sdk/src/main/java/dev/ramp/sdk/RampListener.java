package dev.ramp.sdk;

import java.util.Set;

/**
 * Told about a client's state and flag changes, on the client's event thread (one at a time, in order). A
 * listener that throws is logged and kept. Every method does nothing by default.
 */
public interface RampListener {

    /** The client has a snapshot and its source answers: first start, or recovery from {@link ClientState#STALE} or {@link ClientState#ERROR}. */
    default void onReady(SnapshotVersion version) {}

    /** The flags named in {@code flags} were added, changed or removed (a segment change names the flags that use it). */
    default void onChanged(SnapshotVersion version, Set<String> flags) {}

    /** The client keeps its snapshot, but it may be out of date: the server is unreachable or sent an update that was ignored. */
    default void onStale(String reason) {}

    /** The client has no snapshot and cannot get one: the server is unreachable or refuses the token. */
    default void onError(String reason) {}
}
