package dev.ramp.sdk;

import java.time.Instant;
import java.util.Objects;

/**
 * Which snapshot a client evaluates.
 *
 * @param origin    where it came from
 * @param changeId  the server's last change it reflects, from the stream's event ids; {@code 0} when unknown
 *                  (a fetched, backed-up or bootstrapped document carries no change id)
 * @param etag      the {@code ETag} of the fetched document it started from, {@code ""} when none
 * @param installed when the client started using it, by the client's clock
 */
public record SnapshotVersion(SnapshotOrigin origin, long changeId, String etag, Instant installed) {
    public SnapshotVersion {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(installed, "installed");
        if (changeId < 0) {
            throw new IllegalArgumentException("changeId must not be negative, was " + changeId);
        }
    }

    /** The version of a client that has no snapshot yet. */
    public static SnapshotVersion none() {
        return new SnapshotVersion(SnapshotOrigin.NONE, 0, "", Instant.EPOCH);
    }
}
