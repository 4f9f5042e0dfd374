package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.server.RampServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ramp tokens} against a real server on a free loopback port. */
class TokensCommandIT {
    private static final String ADMIN = "cli-test-admin-token-0123456789";

    @TempDir
    Path directory;

    RampServer server;

    @BeforeEach
    void start() {
        server = RampServer.builder().port(0).dataDirectory(directory).adminToken(ADMIN).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run ramp(String... args) {
        return Run.against(server.url(), ADMIN, args);
    }

    @Test
    void createListRevoke_manageATokenEndToEnd() throws Exception {
        Run created = ramp("tokens", "create", "--name", "shop", "--scope", "client", "--environment", "production", "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode token = new ObjectMapper().readTree(created.out());
        String secret = token.path("secret").asText();
        assertThat(secret).startsWith("*:production.");

        Run listed = ramp("tokens", "list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("shop", "client", "production", RampServer.BOOTSTRAP_TOKEN_NAME).doesNotContain(secret);

        Run revoked = ramp("tokens", "revoke", token.path("token").path("id").asText());
        assertThat(revoked.exitCode()).isZero();
        assertThat(ramp("tokens", "list").out()).doesNotContain("shop");
    }

    @Test
    void create_refusedByTheServer_exitsOneWithItsReason() {
        Run result = ramp("tokens", "create", "--name", "x", "--scope", "client", "--environment", "mars");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("400", "environment", "mars");
    }

    @Test
    void anyCommand_withoutAReachableServer_exitsUnavailableNamingIt() {
        Run run = Run.of("tokens", "list", "--server", "http://127.0.0.1:1", "--token", ADMIN);

        assertThat(run.exitCode()).isEqualTo(Main.UNAVAILABLE);
        assertThat(run.err()).contains("cannot reach the server at http://127.0.0.1:1");
    }

    @Test
    void anyCommand_takesServerAndToken_fromItsOptions_overTheEnvironment_overTheConfigFile() throws Exception {
        Path config = Files.writeString(directory.resolve("config.yaml"), "server: " + server.url() + "\ntoken: " + ADMIN + "\n");
        String file = config.toString();

        Run fromTheFile = Run.with(Map.of("RAMP_CONFIG", file), "tokens", "list");
        assertThat(fromTheFile.exitCode()).as(fromTheFile.err()).isZero();
        assertThat(fromTheFile.out()).contains(RampServer.BOOTSTRAP_TOKEN_NAME);

        Map<String, String> elsewhere = Map.of("RAMP_CONFIG", file, "RAMP_SERVER", "http://127.0.0.1:1");
        Run fromTheEnvironment = Run.with(elsewhere, "tokens", "list");
        assertThat(fromTheEnvironment.exitCode()).isEqualTo(Main.UNAVAILABLE);
        assertThat(fromTheEnvironment.err()).contains("cannot reach the server at http://127.0.0.1:1");
        assertThat(Run.with(elsewhere, "tokens", "list", "--server", server.url()).exitCode()).as("the option").isZero();

        Map<String, String> wrongToken = Map.of("RAMP_CONFIG", file, "RAMP_TOKEN", "not-a-token-0123456789");
        Run refused = Run.with(wrongToken, "tokens", "list");
        assertThat(refused.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(refused.err()).contains("(401)");
        assertThat(Run.with(wrongToken, "tokens", "list", "--token", ADMIN).exitCode()).as("the option").isZero();
    }

    @Test
    void anyCommand_withAMalformedConfigFile_exitsOneNamingTheFileLineAndField() throws Exception {
        Path config = Files.writeString(directory.resolve("config.yaml"), "server: " + server.url() + "\ntokne: x\n");

        Run run = Run.with(Map.of("RAMP_CONFIG", config.toString()), "tokens", "list");

        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).isEqualTo("ramp: " + config + ", line 2: tokne: unknown field; the fields are server (a URL)"
                + " and token\n");
    }

    @Test
    void server_badPort_exitsTwoAsAUsageError() {
        Run run = Run.of("server", "--port", "not-a-port");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--port");
    }

    @Test
    void server_poolTooSmall_exitsOneNamingTheOption() {
        Run run = Run.of("server", "--database-url", "jdbc:postgresql://127.0.0.1:1/ramp", "--database-pool-size", "1");

        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).isEqualTo("ramp: databasePoolSize must be from 2 to 100, got 1\n");
    }

    @Test
    void server_badReportRetention_exitsOneNamingTheOption() {
        Run run = Run.of("server", "--report-retention", "a day");

        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).contains("--report-retention", "'a day'");
        Run tooShort = Run.of("server", "--report-retention", "10m");
        assertThat(tooShort.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(tooShort.err()).isEqualTo("ramp: --report-retention: must be at least 1h, the longest window a release"
                + " reads, got 10m\n");
    }
    @Test
    void server_tlsKeyStoreMissing_exitsOneNamingTheOptionAndTheFile() {
        Run run = Run.of("server", "--tls-key-store", "/nonexistent/server.p12");

        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).startsWith("ramp: --tls-key-store: the TLS key store /nonexistent/server.p12 cannot be read");
    }

    @Test
    void server_shortWebhookSecret_exitsOneNamingTheVariable() {
        Run run = Run.with(Map.of("RAMP_CONFIG", "/nonexistent", "RAMP_WEBHOOK_SECRET", "short"), "server");

        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).isEqualTo("ramp: RAMP_WEBHOOK_SECRET: must be at least 16 characters, got 5\n");
    }

    @Test
    void server_badCorsOrigin_exitsOneNamingTheOrigin() {
        Run run = Run.of("server", "--cors-origin", "https://shop.example.com/app");

        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).isEqualTo("ramp: the CORS origin 'https://shop.example.com/app' must be scheme://host[:port]"
                + " only, without a path, query or user\n");
    }
}
