package dev.ramp.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store: one SQLite file in write-ahead-log mode, with {@code synchronous=FULL} so that an
 * acknowledged write survives a crash of the process or of the machine. Writes take SQLite's write lock at
 * {@code BEGIN} ({@code IMMEDIATE}), so another process opening the file (a backup, a one-off tool) waits for a
 * write instead of failing.
 */
public final class SqliteFlagStore extends JdbcFlagStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqliteFlagStore.class);
    /** The file inside the data directory. */
    public static final String FILE_NAME = "ramp.db";

    /** Copies the write-ahead log into the database file every second, apart from the writers. */
    private final java.util.concurrent.ScheduledExecutorService checkpointer;
    private final HikariDataSource pool;

    private SqliteFlagStore(HikariDataSource pool) {
        super(pool, "sqlite", true);
        this.pool = pool;
        this.checkpointer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ramp-sqlite-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        checkpointer.scheduleWithFixedDelay(this::checkpoint, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * A passive checkpoint: it copies what it can without waiting for writers, and they do not wait for it. SQLite's
     * own checkpoints are off, because they run in the committing writer, holding up every writer behind it.
     */
    private void checkpoint() {
        try (Connection connection = pool.getConnection(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException | RuntimeException e) {
            LOG.warn("SQLite checkpoint failed; will retry: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        checkpointer.shutdownNow();
        try {
            checkpointer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoint();
        super.close();
    }

    /** Opens (creating when missing) {@code dataDirectory/ramp.db} and migrates its schema. */
    public static SqliteFlagStore open(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDirectory + ": " + e.getMessage(), e, false);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setWalAutocheckpoint(0);
        sqlite.setBusyTimeout(10_000);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sqlite.enforceForeignKeys(true);
        HikariConfig config = new HikariConfig();
        config.setPoolName("ramp-sqlite");
        config.setJdbcUrl("jdbc:sqlite:" + dataDirectory.resolve(FILE_NAME).toAbsolutePath());
        config.setDataSourceProperties(sqlite.toProperties());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        try {
            return new SqliteFlagStore(new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw e instanceof StoreException ? e
                    : new StoreException("cannot open " + dataDirectory.resolve(FILE_NAME) + ": " + e.getMessage(), e, false);
        }
    }

    /** One process per SQLite file: it is always its turn. */
    @Override
    public <T> T inTurn(java.util.function.Supplier<T> work) {
        return work.get();
    }

    /** One process per SQLite file: nobody else to tell. */
    @Override
    void announce(Connection connection, long id) {
    }

    @Override
    void lockForWrite(Connection connection) {
        // Transaction mode IMMEDIATE takes SQLite's write lock when the transaction begins.
    }

    @Override
    void lockForEvents(Connection connection) {
        // IMMEDIATE takes SQLite's one write lock at BEGIN, so AUTOINCREMENT ids follow commit order.
    }

    @Override
    String lastInsertedEventId() {
        return "SELECT last_insert_rowid()";
    }

    @Override
    String forUpdate() {
        return "";
    }

    /** What a write may fail with that time or space fixes: busy, locked, full, an I/O error, a read-only file. */
    private static final java.util.List<SQLiteErrorCode> UNAVAILABLE = java.util.List.of(SQLiteErrorCode.SQLITE_BUSY,
            SQLiteErrorCode.SQLITE_LOCKED, SQLiteErrorCode.SQLITE_FULL, SQLiteErrorCode.SQLITE_IOERR,
            SQLiteErrorCode.SQLITE_CANTOPEN, SQLiteErrorCode.SQLITE_READONLY);

    @Override
    boolean isUnavailable(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            // Extended codes (SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT, ...) carry their primary code in the low byte.
            int primary = sqlite.getResultCode().code & 0xff;
            return UNAVAILABLE.stream().anyMatch(code -> code.code == primary);
        }
        return e instanceof java.sql.SQLTransientException;
    }
}
