package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.server.RampServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Managed mode against a real server: routes from its stream, reports to it, and the last good routes while it is away. */
class ManagedModeIT {
    private static final String ADMIN = "gateway.test.admin.token.0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void gateway_followsTheServersRoutes_reportsItsArms_andKeepsServingWhileTheServerIsAway(@TempDir Path data) throws Exception {
        try (var v1 = new Backend("v1"); var v2 = new Backend("v2"); var fixture = new GatewayFixture()) {
            RampServer server = RampServer.builder().port(0).adminToken(ADMIN).dataDirectory(data).start();
            int port = server.port();
            try {
                String base = "http://127.0.0.1:" + port;
                String token = post(base, "/api/v1/tokens", "{\"name\":\"edge\",\"scope\":\"gateway\"}", null).path("secret").asText();
                post(base, "/api/v1/routes", """
                        {"kind": "Route", "name": "shop", "arms": [{"name": "stable", "upstreams": ["%s"]},
                         {"name": "canary", "upstreams": ["%s"]}], "weight": 0}
                        """.formatted(v1.address(), v2.address()), null);

                try (var link = ServerLink.start(URI.create(base), token, "edge-1", fixture.gateway, Clock.systemUTC())) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/").statusCode() == 200);
                    assertThat(GatewayFixture.arm(fixture.get("/"))).isEqualTo("v1");

                    post(base, "/api/v1/routes/shop/weight", "{\"weight\": 100}", "\"1\"");
                    await().atMost(Duration.ofSeconds(10)).until(() -> GatewayFixture.arm(fixture.get("/")).equals("v2"));
                    assertThat(link.status().problems()).isEmpty();

                    await().atMost(Duration.ofSeconds(10)).until(() -> {
                        JsonNode metrics = get(base, "/api/v1/routes/shop/metrics");
                        for (JsonNode arm : metrics.path("arms")) {
                            if (arm.path("arm").asText().equals("canary") && arm.path("requests").asLong() > 0) {
                                return true;
                            }
                        }
                        return false;
                    });
                    assertThat(get(base, "/api/v1/gateways").path("items").get(0).path("gateway").asText()).isEqualTo("edge-1");

                    server.close();
                    server = null;
                    for (int i = 0; i < 20; i++) {
                        assertThat(GatewayFixture.arm(fixture.get("/"))).as("the last good routes").isEqualTo("v2");
                    }

                    server = RampServer.builder().port(port).adminToken(ADMIN).dataDirectory(data).start();
                    post(base, "/api/v1/routes/shop/weight", "{\"weight\": 0}", "\"2\"");
                    await().atMost(Duration.ofSeconds(30)).until(() -> GatewayFixture.arm(fixture.get("/")).equals("v1"));
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    private JsonNode post(String base, String path, String body, String ifMatch) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    private JsonNode get(String base, String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
