package dev.ramp.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The base of the tests that need a running server: each of a subclass's tests runs twice, against a fresh server
 * on SQLite and on PostgreSQL, stopped after the test.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
abstract class ServerIT {
    @Parameter
    String database;

    @TempDir
    Path directory;

    TestServer ramp;
    Api admin;

    @BeforeEach
    void startServer() {
        ramp = TestServer.start(database, directory.resolve("server"));
        admin = ramp.admin;
    }

    @AfterEach
    void stopServer() {
        ramp.close();
    }
}
