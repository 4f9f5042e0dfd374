package dev.ramp.server.replica;

import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.store.PostgresFlagStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings this replica the changes other replicas commit to the same PostgreSQL database, in commit order.
 *
 * <p>A thread holds a session that {@code LISTEN}s on {@link PostgresFlagStore#CHANGES_CHANNEL}. Each notice of a change
 * this process does not know yet, and each {@code poll} without one, makes the control plane
 * {@linkplain ControlPlane#catchUp() catch up} from the change log:
 * it reads the changes after the last one it knows, in id order, which is commit order. A notice only says "look
 * now"; the change log is the record, so a notice lost while the session was being re-established costs at most one
 * poll's delay, never a change. A broken session is re-established with a back-off of up to 5 seconds.
 */
public final class ChangeListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final PostgresFlagStore store;
    private final ControlPlane plane;
    private final int pollMillis;
    private final Thread thread;
    private final Object waiting = new Object();
    private volatile Connection session;
    private volatile boolean closed;

    private ChangeListener(PostgresFlagStore store, ControlPlane plane, Duration poll) {
        this.store = store;
        this.plane = plane;
        this.pollMillis = (int) Math.max(1, poll.toMillis());
        this.thread = new Thread(this::run, "ramp-replica-changes");
        this.thread.setDaemon(true);
    }

    /** Starts following; {@code poll} is the longest a change can wait when its notice is lost. */
    public static ChangeListener start(PostgresFlagStore store, ControlPlane plane, Duration poll) {
        ChangeListener listener = new ChangeListener(store, plane, poll);
        listener.thread.start();
        return listener;
    }

    /**
     * How long since this replica last caught up (here, or before a change of its own), when that is longer than
     * {@code limit}: a replica that cannot read the change log serves what it had, and says so on {@code /health}.
     */
    public java.util.Optional<Duration> behind(Duration limit) {
        Duration since = Duration.ofNanos(System.nanoTime() - plane.caughtUpAt());
        return since.compareTo(limit) > 0 ? java.util.Optional.of(since) : java.util.Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (waiting) {
            waiting.notifyAll();
        }
        Connection current = session;
        if (current != null) {
            try {
                current.close();  // ends a wait for notices at once
            } catch (SQLException ignored) {
                // Closing a session that is already broken.
            }
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try (Connection connection = store.dedicatedConnection()) {
                session = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + PostgresFlagStore.CHANGES_CHANNEL);
                }
                PGConnection notices = connection.unwrap(PGConnection.class);
                backoff = 100;
                // First right after LISTEN: what was committed before it is read now, what comes after is noticed.
                plane.catchUp();
                while (!closed) {
                    if (news(notices.getNotifications(pollMillis))) {
                        plane.catchUp();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("following other replicas' changes failed, retrying in {} ms: {}", backoff, e.getMessage());
                pause(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            } finally {
                session = null;
            }
        }
    }

    /**
     * Whether to catch up: after a poll without notices (one may have been lost), or on a notice of a change this
     * process does not know yet. Its own changes are notified to it too, and need nothing.
     */
    private boolean news(PGNotification[] notices) {
        if (notices == null || notices.length == 0) {
            return true;
        }
        long known = plane.current().lastChangeId();
        for (PGNotification notice : notices) {
            try {
                if (Long.parseLong(notice.getParameter()) > known) {
                    return true;
                }
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return false;
    }

    private void pause(long millis) {
        synchronized (waiting) {
            if (!closed) {
                try {
                    waiting.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
        }
    }
}
