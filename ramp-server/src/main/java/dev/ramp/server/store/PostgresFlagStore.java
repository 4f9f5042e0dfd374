package dev.ramp.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store for production: PostgreSQL, which several server replicas can share. Writers serialize on a
 * transaction-scoped advisory lock, so change ids follow commit order even when several processes write; each change
 * is announced on the {@link #CHANGES_CHANNEL} channel as it commits, which replicas {@code LISTEN} to.
 */
public final class PostgresFlagStore extends JdbcFlagStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresFlagStore.class);
    /** The advisory lock key every Ramp writer takes; "ramp" in ASCII. */
    static final long WRITE_LOCK = 0x72616d70L;
    /** The session advisory lock key of a server's turn ({@link #inTurn}); "rampturn" in ASCII. */
    static final long TURN_LOCK = 0x72616d707475726eL;
    /** The advisory lock key every writer of events takes; "rampev" in ASCII. */
    static final long EVENTS_LOCK = 0x72616d706576L;

    /** Seconds a dedicated session waits for an answer before it counts as broken. */
    static final int DEDICATED_SOCKET_TIMEOUT_SECONDS = 30;
    /** Seconds a server waits for its turn before its write fails with a 503: a turn held longer is a stuck server. */
    static final int TURN_WAIT_SECONDS = 20;
    /**
     * PostgreSQL's side of a dedicated session probes an idle client after 5 s, every 5 s, and gives up after 2
     * misses, so the session of a vanished server (and its locks) ends in about 15 s rather than hours.
     */
    static final String SERVER_KEEPALIVES = "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=2";
    /** Pooled connections a server opens at most, unless told otherwise. */
    public static final int DEFAULT_POOL_SIZE = 8;
    /** The {@code NOTIFY} channel that carries each committed change's id. */
    public static final String CHANGES_CHANNEL = "ramp_changes";

    private final String jdbcUrl;
    private final java.util.Properties credentials;
    /** The session that takes {@link #TURN_LOCK}, opened on first use and again after it breaks; guarded by itself. */
    private final Object turns = new Object();
    private Connection turnSession;

    private PostgresFlagStore(HikariDataSource pool, String jdbcUrl, java.util.Properties credentials) {
        super(pool, "postgresql", false);
        this.jdbcUrl = jdbcUrl;
        this.credentials = credentials;
    }

    /**
     * A connection of its own, outside the pool, for a session that lasts: a {@code LISTEN}, or a session lock (a
     * server's turn, the release controller's lead). The caller closes it.
     */
    public Connection dedicatedConnection() throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(credentials);
        if (!jdbcUrl.contains("options=")) {
            properties.setProperty("options", SERVER_KEEPALIVES);
        }
        Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, properties);
        connection.setAutoCommit(true);
        return connection;
    }

    /**
     * Connects to {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}, credentials in the URL's
     * {@code user} and {@code password} parameters or given here) and migrates the schema.
     */
    public static PostgresFlagStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, DEFAULT_POOL_SIZE);
    }

    /**
     * As {@link #open(String, String, String)}, with at most {@code poolSize} pooled connections. A server holds three
     * more, outside the pool: one that listens for other replicas' changes, one that holds or asks for the release
     * controller's lead, and this store's own for {@link #inTurn}.
     */
    public static PostgresFlagStore open(String jdbcUrl, String user, String password, int poolSize) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new StoreException("database URL must start with jdbc:postgresql:, got " + redact(jdbcUrl), null, false);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("ramp-postgresql");
        config.setJdbcUrl(jdbcUrl);
        if (!user.isEmpty()) {
            config.setUsername(user);
        }
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        // One multi-row INSERT per batch of events instead of one statement per row.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(10_000);
        java.util.Properties credentials = new java.util.Properties();
        if (!user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        // A lasting session whose server has gone away is noticed even while it is idle, and no read waits forever.
        credentials.setProperty("tcpKeepAlive", "true");
        credentials.setProperty("socketTimeout", Integer.toString(DEDICATED_SOCKET_TIMEOUT_SECONDS));
        try {
            return new PostgresFlagStore(new HikariDataSource(config), jdbcUrl, credentials);
        } catch (RuntimeException e) {
            throw e instanceof StoreException ? e
                    : new StoreException("cannot connect to " + redact(jdbcUrl) + ": " + e.getMessage(), e, true);
        }
    }

    @Override
    void lockForWrite(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
        }
    }

    /**
     * An identity hands out ids when rows are inserted, not when they commit: without this lock, a batch could
     * commit after a later one and a reader already past its ids would never see it.
     */
    @Override
    void lockForEvents(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + EVENTS_LOCK + ")");
        }
    }

    /**
     * Takes the session advisory lock {@link #TURN_LOCK} on a session of its own, runs {@code work}, and gives the lock
     * back. A session that breaks is replaced once; PostgreSQL frees the lock of a session that ends, so a server that
     * dies in its turn holds up nobody.
     */
    @Override
    public <T> T inTurn(java.util.function.Supplier<T> work) {
        synchronized (turns) {
            Connection session = lockTurn();
            try {
                return work.get();
            } finally {
                try (PreparedStatement unlock = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, TURN_LOCK);
                    try (ResultSet released = unlock.executeQuery()) {
                        if (!released.next() || !released.getBoolean(1)) {
                            LOG.warn("this server's turn on the database had ended before its work did (its session was lost)");
                        }
                    }
                } catch (SQLException e) {
                    LOG.warn("could not end this server's turn; ending its session: {}", e.getMessage());
                    dropTurnSession();  // ending the session frees the lock
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (turns) {
            dropTurnSession();
        }
        super.close();
    }

    /**
     * Waits for the turn, at most {@link #TURN_WAIT_SECONDS}: PostgreSQL itself gives up the wait then
     * ({@code lock_timeout}), so no abandoned wait stays queued. A broken session is replaced once.
     */
    private Connection lockTurn() {
        SQLException failure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (turnSession == null) {
                    Connection session = dedicatedConnection();
                    try (Statement statement = session.createStatement()) {
                        statement.execute("SET lock_timeout = '" + TURN_WAIT_SECONDS + "s'");
                    }
                    turnSession = session;
                }
                try (PreparedStatement lock = turnSession.prepareStatement("SELECT pg_advisory_lock(?)")) {
                    lock.setLong(1, TURN_LOCK);
                    lock.execute();
                }
                return turnSession;
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    throw new StoreException("another server has held its turn on the database for more than "
                            + TURN_WAIT_SECONDS + " s", e, true);
                }
                failure = e;
                dropTurnSession();
            }
        }
        throw new StoreException("cannot take this server's turn on the database: " + failure.getMessage(), failure, true);
    }

    private void dropTurnSession() {
        if (turnSession != null) {
            try {
                turnSession.close();
            } catch (SQLException ignored) {
                // Gone either way, and its lock with it.
            }
            turnSession = null;
        }
    }

    @Override
    void announce(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, CHANGES_CHANNEL);
            statement.setString(2, Long.toString(id));
            statement.execute();
        }
    }

    @Override
    String lastInsertedEventId() {
        return "SELECT currval(pg_get_serial_sequence('client_events', 'id'))";
    }

    @Override
    String forUpdate() {
        return " FOR UPDATE";
    }

    /**
     * Before autovacuum has analyzed the experiment tables, the planner takes them for tiny and joins them in a
     * nested loop, whose time grows with the square of the units (30 s for 20,000 units); a hash or merge join takes
     * tens of milliseconds.
     */
    @Override
    void planTotals(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL enable_nestloop = off");
        }
    }

    @Override
    boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        // 08: connection exception, 53: insufficient resources, 57P: operator intervention (shutdown),
        // 40001/40P01: serialization failure and deadlock, which a retry clears.
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || state.equals("40001") || state.equals("40P01"))
                || e instanceof java.sql.SQLTransientException;
    }

    /** The URL without its password parameter, fit for a log or an error message. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
