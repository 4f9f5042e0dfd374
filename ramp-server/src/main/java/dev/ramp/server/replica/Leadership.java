package dev.ramp.server.replica;

import dev.ramp.server.store.PostgresFlagStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this process is the one that drives releases. The release controller asks before every pass; only the
 * process that answers yes decides and carries out actions, so that no step is taken twice.
 */
public sealed interface Leadership extends AutoCloseable permits Leadership.Sole, Leadership.SessionLock {

    /** Whether this process leads now; may take or lose the lead. Never throws. */
    boolean leads();

    /**
     * How many times this process has taken the lead. A lead lost and taken again between two asks shows as a new
     * term, after which the leader must read the state again: another process may have led meanwhile.
     */
    long term();

    @Override
    void close();

    /** The one process of a SQLite database always leads. */
    static Leadership sole() {
        return Sole.INSTANCE;
    }

    /** The holder of a PostgreSQL session advisory lock leads, for as long as its session lives. */
    static Leadership sessionLock(PostgresFlagStore store) {
        return new SessionLock(store);
    }

    /** A single process. */
    enum Sole implements Leadership {
        INSTANCE;

        @Override
        public boolean leads() {
            return true;
        }

        @Override
        public long term() {
            return 1;
        }

        @Override
        public void close() {
        }
    }

    /**
     * A session-level advisory lock on a connection of its own. PostgreSQL releases it when the session ends: when the
     * leader stops, is killed, or loses its connection, so the next replica to ask takes it. A leader checks its
     * session at each ask and stops leading as soon as the session is gone.
     */
    final class SessionLock implements Leadership {
        private static final Logger LOG = LoggerFactory.getLogger(SessionLock.class);
        /** The advisory lock key of the release controller's leader; "rampldr" in ASCII. */
        static final long KEY = 0x72616d706c6472L;
        /** Seconds a check of the session may take before the session counts as lost. */
        private static final int CHECK_SECONDS = 5;

        private final PostgresFlagStore store;
        /** Read without the monitor by {@link #close}, so that closing never waits for an ask under way. */
        private volatile Connection session;
        private boolean held;
        private long term;
        private volatile boolean closed;

        private SessionLock(PostgresFlagStore store) {
            this.store = store;
        }

        @Override
        public synchronized boolean leads() {
            if (closed) {
                return false;
            }
            try {
                if (session == null || !session.isValid(CHECK_SECONDS)) {
                    if (held) {
                        LOG.warn("lost the database session that held the release controller's lead");
                    }
                    drop();
                    session = store.dedicatedConnection();
                }
                if (!held) {
                    held = tryLock(session);
                    if (held) {
                        term++;
                    }
                }
                return held && !closed;
            } catch (SQLException e) {
                drop();
                return false;
            }
        }

        @Override
        public synchronized long term() {
            return term;
        }

        /** Ends the session at once, even while an ask waits on it: PostgreSQL frees the lock with it. */
        @Override
        public void close() {
            closed = true;
            Connection current = session;
            if (current != null) {
                try {
                    current.close();
                } catch (SQLException ignored) {
                    // Gone either way, and the lock with it.
                }
            }
        }

        private static boolean tryLock(Connection session) throws SQLException {
            try (PreparedStatement statement = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, KEY);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        }

        /** Ends the session, which gives up the lock if it was held. */
        private void drop() {
            held = false;
            if (session != null) {
                try {
                    session.close();
                } catch (SQLException ignored) {
                    // The session is gone either way, and with it the lock.
                }
                session = null;
            }
        }
    }
}
