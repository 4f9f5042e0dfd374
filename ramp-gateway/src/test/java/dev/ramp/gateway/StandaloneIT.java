package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standalone mode: routes from a file, hot-reloaded, with the admin port's metrics, health and routes. */
class StandaloneIT {

    static String routes(Backend stable, Backend canary, String weight) {
        return """
                routes:
                  - name: shop
                    arms:
                      - name: stable
                        upstreams: ["%s"]
                      - name: canary
                        upstreams: ["%s"]
                    weight: %s
                """.formatted(stable.address(), canary.address(), weight);
    }

    @Test
    void file_isServed_reloadedWhenItChanges_andABadVersionKeepsTheLastGoodRoutes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("routes.yaml");
        try (var stable = new Backend("stable"); var canary = new Backend("canary"); var fixture = new GatewayFixture()) {
            Files.writeString(file, routes(stable, canary, "0"));
            try (var watcher = RouteFileWatcher.start(file, fixture.gateway, Duration.ofMillis(50), Clock.systemUTC());
                 var admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.gateway, watcher::status)) {
                assertThat(GatewayFixture.arm(fixture.get("/"))).isEqualTo("stable");
                assertThat(admin(admin, "/healthz").statusCode()).isEqualTo(200);

                Files.writeString(file, routes(stable, canary, "100"));
                await().atMost(Duration.ofSeconds(10)).until(() -> GatewayFixture.arm(fixture.get("/")).equals("canary"));
                assertThat(fixture.gateway.version()).isEqualTo(2);

                Files.writeString(file, routes(stable, canary, "150"));
                await().atMost(Duration.ofSeconds(10)).until(() -> watcher.status().failedAt() != null);
                assertThat(watcher.status().problems()).containsExactly("line 8: routes[0].weight: must be a percent from 0 to 100, got 150");
                assertThat(GatewayFixture.arm(fixture.get("/"))).as("the last good routes").isEqualTo("canary");
                assertThat(admin(admin, "/routes").body()).contains("\"version\" : 2", "must be a percent from 0 to 100, got 150");

                Files.writeString(file, routes(stable, canary, "0"));
                await().atMost(Duration.ofSeconds(10)).until(() -> GatewayFixture.arm(fixture.get("/")).equals("stable"));
                assertThat(watcher.status().problems()).isEmpty();

                var metrics = admin(admin, "/metrics");
                assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
                assertThat(metrics.body()).contains("ramp_gateway_requests_total{arm=\"stable\",route=\"shop\"}",
                        "ramp_gateway_config_loads_total{result=\"refused\"} 1.0", "ramp_gateway_config_version 3.0");
                // Latencies reach /metrics at each second's tick.
                await().atMost(Duration.ofSeconds(10)).until(() -> admin(admin, "/metrics").body()
                        .matches("(?s).*ramp_gateway_request_duration_seconds_count\\{arm=\"stable\",route=\"shop\"} [1-9].*"));
            }
        }
    }

    @Test
    void firstLoadFailing_servesNothing_untilTheFileIsFixed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("routes.yaml");
        Files.writeString(file, "routes: [");
        try (var stable = new Backend("stable"); var canary = new Backend("canary"); var fixture = new GatewayFixture();
             var watcher = RouteFileWatcher.start(file, fixture.gateway, Duration.ofMillis(50), Clock.systemUTC());
             var admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.gateway, watcher::status)) {
            assertThat(watcher.status().problems()).singleElement().asString().startsWith("line 1: ");
            assertThat(admin(admin, "/healthz").statusCode()).isEqualTo(503);
            assertThat(fixture.get("/").statusCode()).isEqualTo(404);
            Files.writeString(file, routes(stable, canary, "0"));
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/").statusCode() == 200);
            assertThat(admin(admin, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> admin(AdminServer admin, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
