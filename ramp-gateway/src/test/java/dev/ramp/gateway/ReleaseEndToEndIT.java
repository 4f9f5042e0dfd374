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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A release end to end, in real time: a real server with its release controller, a real gateway in managed mode
 * reporting every second, three tiny backends and a paced load of about 200 requests a second. v2 answers 5% of its
 * requests with 500 and is rolled back to 0%; v3 is healthy and is promoted to 100%. A canary whose pool dies
 * mid-release is rolled back too, on its errors, with either fallback.
 */
class ReleaseEndToEndIT {
    private static final String ADMIN = "release.test.admin.token.0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most requests the load sends, whatever happens. */
    private static final int MAX_REQUESTS = 40_000;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void release_failingCanaryIsRolledBack_thenAHealthyOneIsPromoted(@TempDir Path data) throws Exception {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (var v1 = new Backend("v1"); var v2 = new Backend("v2"); var v3 = new Backend("v3");
             var fixture = new GatewayFixture();
             RampServer server = RampServer.builder().port(0).adminToken(ADMIN).dataDirectory(data)
                     .releaseTick(Duration.ofMillis(200)).start()) {
            v2.failEvery = 20;
            String base = server.url();
            String token = send(base, "POST", "/api/v1/tokens", "{\"name\":\"edge\",\"scope\":\"gateway\"}", null)
                    .path("secret").asText();
            send(base, "POST", "/api/v1/routes", route(v1, v2), null);
            try (var link = ServerLink.start(URI.create(base), token, "edge-1", fixture.gateway, Clock.systemUTC())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/shop").statusCode() == 200);
                AtomicInteger sent = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                pacer.scheduleAtFixedRate(() -> {
                    if (sent.incrementAndGet() <= MAX_REQUESTS) {
                        fixture.client.sendAsync(HttpRequest.newBuilder(fixture.uri("/shop")).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .thenAccept(response -> {
                                    if (response.statusCode() != 200) {
                                        failed.incrementAndGet();
                                    }
                                });
                    }
                }, 0, 5, TimeUnit.MILLISECONDS);

                send(base, "POST", "/api/v1/releases", release("shop-v2"), null);
                JsonNode rolledBack = awaitPhase(base, "shop-v2", "rolled-back");
                assertThat(rolledBack.path("weight").asInt()).isZero();
                await().atMost(Duration.ofSeconds(10)).until(() -> GatewayFixture.arm(fixture.get("/shop")).equals("v1"));
                JsonNode failure = entries(base, "shop-v2", "analysis").get(0);
                assertThat(failure.path("outcome").asText()).isEqualTo("FAIL");
                assertThat(failure.path("message").asText()).contains("analysis guard failed");
                JsonNode errors = failure.path("evidence").get(0);
                assertThat(errors.path("metric").asText()).isEqualTo("errors");
                assertThat(errors.path("canaryEstimate").asDouble()).isBetween(0.02, 0.10);
                assertThat(errors.path("stableEstimate").asDouble()).isZero();

                JsonNode current = send(base, "GET", "/api/v1/routes/shop", null, null);
                send(base, "PUT", "/api/v1/routes/shop", route(v1, v3),
                        "\"" + current.path("version").asLong() + "\"");
                send(base, "POST", "/api/v1/releases", release("shop-v3"), null);
                JsonNode promoted = awaitPhase(base, "shop-v3", "promoted");
                assertThat(promoted.path("weight").asInt()).isEqualTo(100);
                await().atMost(Duration.ofSeconds(10)).until(() -> GatewayFixture.arm(fixture.get("/shop")).equals("v3"));
                assertThat(outcomes(base, "shop-v3")).isNotEmpty().allMatch("PASS"::equals);
                assertThat(v3.requests.get()).isPositive();
                assertThat(sent.get()).isLessThan(MAX_REQUESTS);
            }
        } finally {
            pacer.shutdownNow();
            assertThat(pacer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest(name = "fallback {0}")
    @ValueSource(strings = {"none", "other-arm"})
    void release_canaryPoolDiesMidRelease_isRolledBackOnItsEvidence(String fallback, @TempDir Path data) throws Exception {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (var v1 = new Backend("v1"); var v2 = new Backend("v2");
             var fixture = new GatewayFixture();
             RampServer server = RampServer.builder().port(0).adminToken(ADMIN).dataDirectory(data)
                     .releaseTick(Duration.ofMillis(200)).start()) {
            String base = server.url();
            String token = send(base, "POST", "/api/v1/tokens", "{\"name\":\"edge\",\"scope\":\"gateway\"}", null)
                    .path("secret").asText();
            send(base, "POST", "/api/v1/routes", route(v1, v2).replace("\"arms\"", "\"fallback\":\"" + fallback + "\",\"arms\""),
                    null);
            try (var link = ServerLink.start(URI.create(base), token, "edge-1", fixture.gateway, Clock.systemUTC())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/shop").statusCode() == 200);
                AtomicInteger sent = new AtomicInteger();
                pacer.scheduleAtFixedRate(() -> {
                    if (sent.incrementAndGet() <= MAX_REQUESTS) {
                        fixture.client.sendAsync(HttpRequest.newBuilder(fixture.uri("/shop")).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                }, 0, 5, TimeUnit.MILLISECONDS);

                send(base, "POST", "/api/v1/releases", release("shop-v2"), null);
                await().atMost(Duration.ofSeconds(30)).until(() -> v2.requests.get() >= 100);
                v2.close();

                JsonNode rolledBack = awaitPhase(base, "shop-v2", "rolled-back");
                assertThat(rolledBack.path("weight").asInt()).isZero();
                // The requests in flight to the dead pool fail (502) until it is ejected; after that, with fallback
                // none its requests get 503, and with other-arm they go to stable. Either way the errors decide.
                JsonNode decided = entries(base, "shop-v2", "analysis").get(0);
                assertThat(decided.path("outcome").asText()).isEqualTo("FAIL");
                JsonNode errors = decided.path("evidence").get(0);
                assertThat(errors.path("metric").asText()).isEqualTo("errors");
                assertThat(errors.path("outcome").asText()).isEqualTo("FAIL");
                assertThat(errors.path("canaryEstimate").asDouble()).isGreaterThan(errors.path("stableEstimate").asDouble());
                await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/shop").statusCode() == 200);
                assertThat(sent.get()).isLessThan(MAX_REQUESTS);
            }
        } finally {
            pacer.shutdownNow();
            assertThat(pacer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String route(Backend stable, Backend canary) {
        return """
                {"kind":"Route","name":"shop","match":{"pathPrefix":"/shop"},
                 "arms":[{"name":"stable","upstreams":["%s"]},{"name":"canary","upstreams":["%s"]}]}"""
                .formatted(stable.address(), canary.address());
    }

    /** Two steps, each judged on three 2 s measurements; a background guard across both. */
    private static String release(String name) {
        return """
                {"kind":"Release","name":"%s","target":{"route":"shop"},
                 "canary":{"stepWeights":[20,50],"stepAnalysis":"guard","analysis":"watch"},
                 "analyses":{
                   "guard":{"interval":"2s","count":3,"minSamples":50,"metrics":[
                     {"name":"errors","source":"gateway","measure":"errorRate"},
                     {"name":"p99","source":"gateway","measure":"p99","failAbove":2000}]},
                   "watch":{"interval":"2s","minSamples":50,"metrics":[
                     {"name":"errors","source":"gateway","measure":"errorRate"}]}}}""".formatted(name);
    }

    private JsonNode awaitPhase(String base, String release, String phase) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = send(base, "GET", "/api/v1/releases/" + release, null, null);
            String now = last[0].path("phase").asText();
            assertThat(now).as(last[0].path("message").asText()).isIn(phase, "progressing");
            return now.equals(phase) && last[0].path("pending").asInt() == 0;
        });
        return last[0];
    }

    private List<JsonNode> entries(String base, String release, String type) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        send(base, "GET", "/api/v1/releases/" + release + "/timeline", null, null).path("items").forEach(entry -> {
            if (entry.path("type").asText().equals(type)) {
                found.add(entry);
            }
        });
        return found;
    }

    private List<String> outcomes(String base, String release) throws Exception {
        return entries(base, release, "measurement").stream().map(entry -> entry.path("outcome").asText()).toList();
    }

    private JsonNode send(String base, String method, String path, String body, String ifMatch) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }
}
