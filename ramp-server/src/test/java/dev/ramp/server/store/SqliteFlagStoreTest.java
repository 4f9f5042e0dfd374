package dev.ramp.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteFlagStoreTest extends FlagStoreContract {
    @TempDir
    Path directory;

    @Override
    FlagStore open() {
        return SqliteFlagStore.open(directory.resolve("data"));
    }

    @Override
    FlagStore reopen() {
        return SqliteFlagStore.open(directory.resolve("data"));
    }

    @Test
    void open_createsTheFileInWalMode() throws Exception {
        Path file = directory.resolve("data").resolve(SqliteFlagStore.FILE_NAME);
        assertThat(Files.exists(file)).isTrue();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }
}
