package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and restarting a server: the bootstrap token, and what the logs say about tokens. */
class RampServerIT {
    @TempDir
    Path directory;

    @Test
    void firstStart_onAPortInUse_failsButHasShownTheBootstrapTokenItCommitted() throws Exception {
        List<String> announced = new ArrayList<>();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> RampServer.builder().port(taken.getLocalPort()).dataDirectory(directory)
                    .announce(announced::add).start()).isInstanceOf(RuntimeException.class);
        }
        String secret = announced.stream().filter(line -> line.startsWith("Bootstrap admin token"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElseThrow();

        try (RampServer server = RampServer.builder().port(0).dataDirectory(directory).start()) {
            assertThat(server.bootstrapToken()).isEmpty();
            assertThat(new Api(server.url(), secret).get("/api/v1/flags").status()).isEqualTo(200);
        }
    }

    @Test
    void restart_withAnotherAdminToken_logsThatItIsIgnoredWithoutEitherSecret() {
        String first = "first.admin.secret.0123456789";
        String second = "second.admin.secret.0123456789";
        RampServer.builder().port(0).dataDirectory(directory).adminToken(first).start().close();

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (RampServer server = RampServer.builder().port(0).dataDirectory(directory).adminToken(second).start()) {
            Api admin = new Api(server.url(), first);
            admin.get("/api/v1/flags");
            admin.as(second).get("/api/v1/flags");
            admin.post("/api/v1/flags", "{\"key\":");
        } finally {
            System.setErr(original);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("RAMP_ADMIN_TOKEN is ignored").doesNotContain(first).doesNotContain(second)
                .doesNotContain("secret.0123");
    }
}
