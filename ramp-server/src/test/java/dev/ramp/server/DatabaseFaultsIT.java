package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database failing under a running server: PostgreSQL stopped and started again, and SQLite's disk filling up.
 * Writes are refused with 503 and change nothing, flags keep being served from memory, and writes work again once
 * the database does, without a restart.
 */
class DatabaseFaultsIT {
    @TempDir
    Path directory;

    @Test
    void postgresqlStopped_writesAre503_readsServedFromMemory_andTheServerRecoversWhenItIsBack() throws Exception {
        int port = freePort();
        Path data = directory.resolve("pg");
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = postgres(data, port);
        String url = postgres.getJdbcUrl("postgres", "postgres");
        try (RampServer server = RampServer.builder().port(0).adminToken(TestServer.ADMIN_TOKEN).databaseUrl(url)
                .dataDirectory(directory.resolve("unused")).releaseTick(Duration.ZERO).start()) {
            Api admin = new Api(server.url(), TestServer.ADMIN_TOKEN);
            assertThat(admin.post("/api/v1/flags", flag("before")).status()).isEqualTo(201);
            Api client = admin.as(token(admin));

            postgres.close();
            Api.Reply refused = admin.post("/api/v1/flags", flag("during"));
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(refused.json().path("type").asText()).isEqualTo("urn:ramp:problem:database-unavailable");
            assertThat(refused.json().path("detail").asText()).contains("nothing was changed");
            assertThat(client.get("/api/client/features").body()).as("served from memory").contains("\"before\"");
            assertThat(client.post("/ofrep/v1/evaluate/flags/before", "{\"context\":{\"targetingKey\":\"u\"}}").status())
                    .isEqualTo(200);

            postgres = postgres(data, port);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.post("/api/v1/flags", flag("after")).status() == 201);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/api/client/features").body().contains("\"after\""));
            assertThat(admin.get("/api/v1/flags/during").status()).as("the refused write").isEqualTo(404);
        } finally {
            postgres.close();
        }
    }

    @Test
    void sqliteDiskFull_writesAre503_readsGoOn_nothingIsCorrupted_andWritesResumeWithSpace() throws Exception {
        Path data = Files.createDirectories(directory.resolve("small-disk"));
        assumeThat(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", data.toString()))
                .as("mounting a 1 MiB tmpfs needs root; this test is for machines where the tests run as root")
                .isZero();
        List<String> acknowledged = new ArrayList<>();
        try {
            try (RampServer server = RampServer.builder().port(0).adminToken(TestServer.ADMIN_TOKEN).dataDirectory(data)
                    .releaseTick(Duration.ZERO).start()) {
                Api admin = new Api(server.url(), TestServer.ADMIN_TOKEN);
                Api client = admin.as(token(admin));
                Api.Reply reply;
                int n = 0;
                do {
                    String key = "flag-" + n++;
                    reply = admin.post("/api/v1/flags", flag(key));
                    if (reply.status() == 201) {
                        acknowledged.add(key);
                    }
                } while (reply.status() == 201 && n < 100_000);

                assertThat(reply.status()).as(reply.body()).isEqualTo(503);
                assertThat(reply.json().path("type").asText()).isEqualTo("urn:ramp:problem:database-unavailable");
                assertThat(acknowledged).hasSizeGreaterThan(10);
                assertThat(admin.get("/api/v1/flags/" + acknowledged.get(0)).status()).isEqualTo(200);
                assertThat(client.get("/api/client/features").body()).contains("\"" + acknowledged.get(0) + "\"");

                assertThat(run("mount", "-o", "remount,size=64m", data.toString())).isZero();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> admin.post("/api/v1/flags", flag("with-space")).status() == 201);
                acknowledged.add("with-space");
            }
            assertThat(integrityCheck(data.resolve("ramp.db"))).isEqualTo("ok");
            try (RampServer restarted = RampServer.builder().port(0).adminToken(TestServer.ADMIN_TOKEN).dataDirectory(data)
                    .releaseTick(Duration.ZERO).start()) {
                Api admin = new Api(restarted.url(), TestServer.ADMIN_TOKEN);
                for (String key : acknowledged) {
                    assertThat(admin.get("/api/v1/flags/" + key).status()).as(key).isEqualTo(200);
                }
            }
        } finally {
            assertThat(run("umount", data.toString())).isZero();
        }
    }

    private static String flag(String key) {
        return "{\"key\":\"" + key + "\",\"description\":\"" + "d".repeat(900) + "\"}";
    }

    private static String token(Api admin) {
        return admin.post("/api/v1/tokens", "{\"name\":\"shop\",\"scope\":\"client\",\"environment\":\"production\"}")
                .json().path("secret").asText();
    }

    /** PostgreSQL on {@code port} with its files in {@code data}, kept when it stops so that it can start again. */
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres(Path data, int port) throws IOException {
        return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setDataDirectory(data).setPort(port)
                .setCleanDataDirectory(false).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String integrityCheck(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
            result.next();
            return result.getString(1);
        }
    }

    /** Runs a command; its exit code, or -1 when it cannot be run. */
    private static int run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            if (process.exitValue() != 0) {
                System.err.println(String.join(" ", command) + ": " + output);
            }
            return process.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
