package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayCommandIT {

    @Test
    void gateway_fromAFile_proxiesUntilSigterm(@TempDir Path dir) throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/", exchange -> {
            byte[] body = "v1 ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        Path routes = Files.writeString(dir.resolve("routes.yaml"), """
                routes:
                  - name: shop
                    arms:
                      - {name: stable, upstreams: ["127.0.0.1:%d"]}
                      - {name: canary, upstreams: ["127.0.0.1:%d"]}
                """.formatted(backend.getAddress().getPort(), backend.getAddress().getPort()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("gateway.log");
        Process gateway = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.ramp.cli.Main",
                "gateway", "--config", routes.toString(), "--host", "127.0.0.1", "--port", "0", "--admin-port", "0"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            var listening = Pattern.compile("Ramp gateway listening on http://127\\.0\\.0\\.1:(\\d+) \\((epoll|nio)\\), admin http://127\\.0\\.0\\.1:(\\d+)/metrics");
            var matcher = await().atMost(Duration.ofSeconds(30)).until(() -> listening.matcher(Files.readString(log)), Matcher::find);
            var client = HttpClient.newHttpClient();
            var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + matcher.group(1) + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("v1 ok");
            var metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + matcher.group(3) + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("ramp_gateway_requests_total{arm=\"stable\",route=\"shop\"} 1.0");
            gateway.destroy();
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log)).contains("Ramp gateway stopping");
        } finally {
            gateway.destroyForcibly();
            backend.stop(0);
        }
    }

    @Test
    void gateway_managedWithoutAToken_isRefused() {
        var run = Run.of("gateway", "--server", "http://127.0.0.1:1", "--port", "0", "--admin-port", "0");
        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).contains("ramp: --server needs a gateway token: --token or RAMP_GATEWAY_TOKEN");
    }

    @Test
    void gateway_badDuration_isRefusedNamingTheOption() {
        var run = Run.of("gateway", "--config", "routes.yaml", "--reload-every", "soon");
        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).contains("ramp: --reload-every: must be a duration above 0 such as 500ms, 10s or 1m, got 'soon'");
    }

    @Test
    void gateway_withoutARouteSource_isAUsageError() {
        var run = Run.of("gateway");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--config", "--server");
    }
    @Test
    void gateway_tlsKeyStoreWithTheWrongPassword_isRefusedNamingTheOption(@TempDir Path dir) {
        var certificate = dev.ramp.server.SelfSignedCertificate.create(dir);
        var run = Run.with(Map.of("RAMP_CONFIG", "/nonexistent", "RAMP_TLS_KEY_STORE_PASSWORD", "wrong-password"),
                "gateway", "--config", "routes.yaml", "--tls-key-store", certificate.keyStore().toString());
        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).startsWith("ramp: --tls-key-store: the TLS key store " + certificate.keyStore() + " cannot be read");
    }
}
