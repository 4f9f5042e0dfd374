package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.server.RampServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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

    private record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void start() {
        server = RampServer.builder().port(0).dataDirectory(directory).adminToken(ADMIN).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Result ramp(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = ADMIN;
        int exitCode = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void createListRevoke_manageATokenEndToEnd() throws Exception {
        Result created = ramp("tokens", "create", "--name", "shop", "--scope", "client", "--environment", "production", "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode token = new ObjectMapper().readTree(created.out());
        String secret = token.path("secret").asText();
        assertThat(secret).startsWith("*:production.");

        Result listed = ramp("tokens", "list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("shop", "client", "production", RampServer.BOOTSTRAP_TOKEN_NAME).doesNotContain(secret);

        Result revoked = ramp("tokens", "revoke", token.path("token").path("id").asText());
        assertThat(revoked.exitCode()).isZero();
        assertThat(ramp("tokens", "list").out()).doesNotContain("shop");
    }

    @Test
    void create_refusedByTheServer_exitsOneWithItsReason() {
        Result result = ramp("tokens", "create", "--name", "x", "--scope", "client", "--environment", "mars");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("400", "environment", "mars");
    }

    @Test
    void anyCommand_withoutAReachableServer_exitsOneNamingIt() {
        var err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "tokens", "list", "--server", "http://127.0.0.1:1", "--token", ADMIN);

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the server at http://127.0.0.1:1");
    }

    @Test
    void server_badPort_exitsTwoAsAUsageError() {
        var err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "server", "--port", "not-a-port");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("--port");
    }
}
