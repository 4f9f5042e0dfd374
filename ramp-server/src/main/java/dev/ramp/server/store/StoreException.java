package dev.ramp.server.store;

/**
 * The database failed or cannot be reached. {@link #unavailable()} tells a failure worth retrying later (a lost
 * connection, a locked or full database) from one that will not go away.
 */
public final class StoreException extends RuntimeException {
    private final boolean unavailable;

    public StoreException(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    public boolean unavailable() {
        return unavailable;
    }
}
