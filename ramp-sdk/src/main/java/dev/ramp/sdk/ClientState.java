package dev.ramp.sdk;

/** Where a client stands with its source; OpenFeature's provider states, without {@code FATAL}. */
public enum ClientState {
    /** No snapshot yet: evaluations return their fallbacks. */
    NOT_READY,
    /** A snapshot in use, and the last contact with the server succeeded (or there is no server: a test client). */
    READY,
    /** A snapshot in use, but the server cannot be reached or sent an update that was ignored: it may be out of date. */
    STALE,
    /** No snapshot, and the server cannot be reached or refuses the client. */
    ERROR
}
