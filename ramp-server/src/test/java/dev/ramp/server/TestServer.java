package dev.ramp.server;

import dev.ramp.server.store.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** A real server on a free loopback port, on SQLite in a temporary directory or on a fresh PostgreSQL database. */
final class TestServer implements AutoCloseable {
    static final String ADMIN_TOKEN = "test.admin.token.0123456789";
    /** What every test server signs its webhooks with. */
    static final String WEBHOOK_SECRET = "test.webhook.secret.0123456789";

    final RampServer server;
    final TestClock clock;
    final Api admin;
    /** Where SQLite keeps its file. */
    private final Path directory;
    /** The PostgreSQL database; {@code ""} on SQLite. */
    private final String databaseUrl;

    private TestServer(RampServer server, TestClock clock, Path directory, String databaseUrl) {
        this.server = server;
        this.clock = clock;
        this.admin = new Api(server.url(), ADMIN_TOKEN);
        this.directory = directory;
        this.databaseUrl = databaseUrl;
    }

    /** {@code database} is {@code sqlite} or {@code postgresql}. */
    static TestServer start(String database, Path directory) {
        return start(database, directory, settings -> { });
    }

    /** The same, with more settings than every test server has. */
    static TestServer start(String database, Path directory, Consumer<RampServer.Builder> settings) {
        TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
        return start(directory, database.equals("postgresql") ? EmbeddedPostgres.newDatabase() : "", clock, settings);
    }

    /** A new server on the database of {@code stopped}, with its clock, as after a restart. */
    static TestServer restart(TestServer stopped) {
        return start(stopped.directory, stopped.databaseUrl, stopped.clock, settings -> { });
    }

    /** Another server process on the PostgreSQL database of {@code running}, with its clock: a replica. */
    static TestServer replicaOf(TestServer running) {
        if (running.databaseUrl.isEmpty()) {
            throw new IllegalArgumentException("replicas share a PostgreSQL database; this server is on SQLite");
        }
        return start(running.directory, running.databaseUrl, running.clock, settings -> { });
    }

    private static TestServer start(Path directory, String databaseUrl, TestClock clock,
                                    Consumer<RampServer.Builder> settings) {
        RampServer.Builder builder = RampServer.builder();
        builder.port(0).adminToken(ADMIN_TOKEN).clock(clock).random(new SplittableRandom(7)).dataDirectory(directory)
                .releaseTick(java.time.Duration.ZERO).webhookSecrets(java.util.List.of(WEBHOOK_SECRET));
        if (!databaseUrl.isEmpty()) {
            builder.databaseUrl(databaseUrl);
        }
        settings.accept(builder);
        return new TestServer(builder.start(), clock, directory, databaseUrl);
    }

    String url() {
        return server.url();
    }

    /** The JDBC URL of its PostgreSQL database; {@code ""} on SQLite. */
    String databaseUrl() {
        return databaseUrl;
    }

    /** Creates a token of {@code scope} for {@code environment} and returns its secret. */
    String token(String scope, String environment) {
        Api.Reply reply = admin.post("/api/v1/tokens",
                "{\"name\":\"" + scope + "-" + environment + "\",\"scope\":\"" + scope + "\",\"environment\":\"" + environment + "\"}");
        if (reply.status() != 201) {
            throw new IllegalStateException("cannot create a token: " + reply);
        }
        return reply.json().path("secret").asText();
    }

    Api client(String environment) {
        return admin.as(token("client", environment));
    }

    @Override
    public void close() {
        server.close();
    }

    /** A clock the test moves by hand. */
    static final class TestClock implements InstantSource {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(java.time.Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }
    }
}
