package dev.ramp.core.codec;

import dev.ramp.core.flag.FlagSnapshot;

/**
 * The body of Unleash's {@code GET /api/client/features}.
 *
 * @param version  the format version ({@code 1}, or {@code 2} once segments are sent); not a revision
 * @param snapshot the flags and segments
 */
public record ClientFeatures(int version, FlagSnapshot snapshot) {
    /** The format version Ramp writes: segments are sent separately and referenced by id. */
    public static final int CURRENT_VERSION = 2;

    public ClientFeatures {
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        java.util.Objects.requireNonNull(snapshot, "snapshot");
    }

    public static ClientFeatures of(FlagSnapshot snapshot) {
        return new ClientFeatures(CURRENT_VERSION, snapshot);
    }
}
