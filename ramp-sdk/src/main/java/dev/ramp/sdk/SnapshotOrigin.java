package dev.ramp.sdk;

/** Where the snapshot a client evaluates came from. */
public enum SnapshotOrigin {
    /** No snapshot yet: an empty one. */
    NONE,
    /** The bootstrap document given to the builder. */
    BOOTSTRAP,
    /** The backup file a previous run wrote. */
    BACKUP,
    /** {@code GET /api/client/features}. */
    FETCH,
    /** The {@code /api/client/streaming} delta stream. */
    STREAM,
    /** Set directly, by a test client. */
    TEST
}
