package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a gateway in managed mode calls, over real HTTP on SQLite and PostgreSQL: its token's scope, the routes and
 * their stream, its reports, and the metrics read from them.
 */
class GatewayApiIT extends ServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    String gatewayToken;
    Api gateway;

    @BeforeEach
    void createRouteAndToken() {
        assertThat(admin.post("/api/v1/routes", RouteApiIT.CHECKOUT).status()).isEqualTo(201);
        gatewayToken = ramp.token("gateway", "");
        gateway = admin.as(gatewayToken);
    }

    @Test
    void gatewayToken_mayUseOnlyTheGatewayApi_andAdminTokensMayToo() {
        assertThat(gateway.get("/api/gateway/routes").status()).isEqualTo(200);
        Api.Reply forbidden = gateway.get("/api/v1/routes");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("detail").asText()).contains("has scope gateway");
        assertThat(gateway.get("/api/client/features").status()).isEqualTo(403);
        assertThat(gateway.post("/ofrep/v1/evaluate/flags", "{}").status()).isEqualTo(403);

        assertThat(admin.get("/api/gateway/routes").status()).isEqualTo(200);
        Api.Reply client = admin.as(ramp.token("client", "production")).get("/api/gateway/routes");
        assertThat(client.status()).isEqualTo(403);
        assertThat(client.json().path("detail").asText()).contains("needs an admin or gateway token");
        assertThat(admin.as(null).get("/api/gateway/routes").status()).isEqualTo(401);

        assertThat(admin.get("/api/v1/tokens").json().path("items"))
                .filteredOn(token -> token.path("scope").asText().equals("gateway"))
                .extracting(token -> token.path("environment").asText()).containsExactly("*");
    }

    @Test
    void routes_carryAVersionThatGrowsWithEveryRouteChange_andAnETag() {
        Api.Reply first = gateway.get("/api/gateway/routes");
        long version = first.json().path("version").asLong();
        assertThat(version).isPositive();
        assertThat(first.etag()).isEqualTo("\"" + version + "\"");
        assertThat(first.json().path("routes").get(0).path("name").asText()).isEqualTo("checkout");
        assertThat(first.json().path("routes").get(0).has("version")).as("the documents, as written").isFalse();
        assertThat(gateway.get("/api/gateway/routes", "If-None-Match", first.etag()).status()).isEqualTo(304);

        admin.post("/api/v1/flags", "{\"key\":\"unrelated\"}");
        assertThat(gateway.get("/api/gateway/routes").json().path("version").asLong()).as("only route changes count")
                .isEqualTo(version);
        admin.post("/api/v1/routes/checkout/weight", "{\"weight\":30}", "If-Match", "*");
        JsonNode second = gateway.get("/api/gateway/routes").json();
        assertThat(second.path("version").asLong()).isGreaterThan(version);
        assertThat(second.path("routes").get(0).path("weight").asInt()).isEqualTo(30);
    }

    @Test
    void stream_sendsTheRoutesOnConnect_andAgainAfterEachChange() throws Exception {
        long version = gateway.get("/api/gateway/routes").json().path("version").asLong();
        try (SseReader stream = SseReader.connect(ramp.url() + "/api/gateway/routes/stream", gatewayToken, null)) {
            assertThat(stream.status()).isEqualTo(200);
            SseReader.Event connected = stream.next();
            assertThat(connected.event()).isEqualTo("routes");
            assertThat(connected.id()).isEqualTo(Long.toString(version));
            JsonNode snapshot = JSON.readTree(connected.data());
            assertThat(snapshot.path("version").asLong()).isEqualTo(version);
            assertThat(snapshot.path("routes").get(0).path("weight").asInt()).isEqualTo(5);
            await().atMost(Duration.ofSeconds(10)).until(() -> ramp.server.gatewayStreams() == 1);

            admin.post("/api/v1/routes/checkout/weight", "{\"weight\":40}", "If-Match", "*");
            JsonNode changed = JSON.readTree(stream.next().data());
            assertThat(changed.path("version").asLong()).isGreaterThan(version);
            assertThat(changed.path("routes").get(0).path("weight").asInt()).isEqualTo(40);

            admin.post("/api/v1/routes", RouteApiIT.API);
            JsonNode added = JSON.readTree(stream.next().data());
            assertThat(added.path("routes")).extracting(route -> route.path("name").asText()).containsExactly("api", "checkout");
        }
    }

    @Test
    void reports_fromTwoGateways_addUpPerArm_andPerSecond() {
        assertThat(gateway.post("/api/gateway/reports", report("gw-1", T0.minusSeconds(2), arm("stable", 90, 100, 2, 120),
                arm("canary", 10, 10, 1, 300))).status()).isEqualTo(202);
        assertThat(gateway.post("/api/gateway/reports", report("gw-2", T0.minusSeconds(2), arm("stable", 90, 50, 0, 80),
                arm("canary", 10, 6, 0, 900))).status()).isEqualTo(202);
        assertThat(gateway.post("/api/gateway/reports", report("gw-1", T0.minusSeconds(1), arm("stable", 90, 30, 0, 50)))
                .status()).isEqualTo(202);

        JsonNode metrics = admin.get("/api/v1/routes/checkout/metrics?since=2026-12-01T09:59:00Z&until=2026-12-01T10:00:00Z")
                .json();
        assertThat(metrics.path("route").asText()).isEqualTo("checkout");
        JsonNode stable = metrics.path("arms").get(0);
        assertThat(stable.path("arm").asText()).isEqualTo("stable");
        assertThat(stable.path("requests").asLong()).isEqualTo(180);
        assertThat(stable.path("serverErrors").asLong()).isEqualTo(2);
        assertThat(stable.path("success").asLong()).isEqualTo(178);
        assertThat(stable.path("latencyCount").asLong()).isEqualTo(180);
        assertThat(stable.path("logLatencySum").asDouble()).isEqualTo(-180.0);
        assertThat(stable.path("p99MillisAtMost").asDouble()).isEqualTo(120);
        JsonNode canary = metrics.path("arms").get(1);
        assertThat(canary.path("requests").asLong()).isEqualTo(16);
        assertThat(canary.path("maxMillis").asDouble()).isEqualTo(1800);
        assertThat(canary.path("p99MillisAtMost").asDouble()).isEqualTo(900);

        JsonNode points = metrics.path("points");
        assertThat(points).hasSize(3);
        assertThat(points.get(0).path("at").asText()).isEqualTo("2026-12-01T09:59:58Z");
        assertThat(points.get(0).path("arm").asText()).isEqualTo("canary");
        assertThat(points.get(0).path("requestedPercent").asInt()).isEqualTo(10);
        assertThat(points.get(1).path("requests").asLong()).isEqualTo(150);
        assertThat(points.get(2).path("at").asText()).isEqualTo("2026-12-01T09:59:59Z");

        JsonNode gateways = admin.get("/api/v1/gateways").json().path("items");
        assertThat(gateways).extracting(g -> g.path("gateway").asText()).containsExactly("gw-1", "gw-2");
        assertThat(gateways.get(0).path("lastReportAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(gateways.get(0).path("routes")).extracting(JsonNode::asText).containsExactly("checkout");
        assertThat(ramp.server.gatewayReports().traffic("checkout", List.of("stable", "canary"), T0.minusSeconds(60), T0)
                .arm("canary").requests()).as("the same read, in-process").isEqualTo(16);
    }

    @Test
    void report_sentAgainForTheSameInterval_replacesTheFirst() {
        gateway.post("/api/gateway/reports", report("gw-1", T0.minusSeconds(1), arm("stable", 100, 10, 0, 50)));
        gateway.post("/api/gateway/reports", report("gw-1", T0.minusSeconds(1), arm("stable", 100, 12, 0, 50)));

        assertThat(admin.get("/api/v1/routes/checkout/metrics").json().path("arms").get(0).path("requests").asLong())
                .isEqualTo(12);
    }

    @Test
    void reports_withProblems_areRefusedNamingEachField() {
        String bad = """
                {"gateway":"","from":"2026-12-01T10:00:00Z","to":"2026-12-01T09:59:00Z","arms":[
                 %s,
                 {"route":"Checkout","arm":"","requestedPercent":101,"requests":-1,"informational":0,"success":0,
                  "redirection":0,"clientErrors":0,"serverErrors":0,"upstreamErrors":2000000000000,"latencyCount":0,
                  "logLatencySum":1e300,"logLatencySumOfSquares":-1,"p50Millis":0,"p90Millis":0,"p99Millis":1e400,
                  "maxMillis":0}]}""".formatted(arm("stable", 100, 1, 0, 1));
        Api.Reply refused = gateway.post("/api/gateway/reports", bad);

        assertThat(RouteApiIT.fields(refused)).containsExactlyInAnyOrder("gateway", "to", "arms[1].route", "arms[1].arm",
                "arms[1].requestedPercent", "arms[1].requests", "arms[1].upstreamErrors", "arms[1].logLatencySum",
                "arms[1].logLatencySumOfSquares", "arms[1].p99Millis");
        assertThat(RouteApiIT.fields(gateway.post("/api/gateway/reports", report("gw", T0.minusSeconds(120), T0,
                arm("stable", 1, 1, 0, 1))))).containsExactly("to");
        assertThat(RouteApiIT.fields(gateway.post("/api/gateway/reports", report("gw", T0.minus(Duration.ofDays(2)),
                T0.minus(Duration.ofDays(2)).plusSeconds(1))))).containsExactly("from");
        assertThat(RouteApiIT.fields(gateway.post("/api/gateway/reports", report("gw", T0.plus(Duration.ofHours(1)),
                T0.plus(Duration.ofHours(1)).plusSeconds(1))))).containsExactly("to");
        assertThat(RouteApiIT.fields(gateway.post("/api/gateway/reports", report("gw", T0.minusSeconds(1),
                arm("stable", 1, 1, 0, 1), arm("stable", 1, 1, 0, 1))))).containsExactly("arms[1]");
        assertThat(RouteApiIT.fields(gateway.post("/api/gateway/reports",
                "{\"gateway\":\"gw\",\"from\":\"yesterday\",\"to\":\"2026-12-01T10:00:00Z\"}"))).containsExactly("from");
        assertThat(RouteApiIT.fields(gateway.post("/api/gateway/reports",
                "{\"gateway\":\"gw\",\"to\":\"2026-12-01T10:00:00Z\",\"arms\":[{\"route\":\"a\",\"arm\":\"b\",\"requests\":1.5}]}")))
                .contains("arms[0].requests");
        assertThat(RouteApiIT.fields(gateway.post("/api/gateway/reports", "{\"gateway\":\"gw\",\"extra\":1}")))
                .containsExactly("extra");
        String many = report("gw", T0.minusSeconds(1), java.util.stream.IntStream.range(0, 1001)
                .mapToObj(i -> arm("r" + i, 1, 1, 0, 1).replace("\"route\":\"checkout\"", "\"route\":\"r" + i + "\""))
                .toArray(String[]::new));
        assertThat(RouteApiIT.fields(gateway.post("/api/gateway/reports", many))).containsExactly("arms");
        assertThat(admin.get("/api/v1/routes/checkout/metrics").json().path("points")).as("nothing was stored").isEmpty();
    }

    @Test
    void metrics_badWindows_areRefusedNamingTheParameter() {
        assertThat(RouteApiIT.fields(admin.get("/api/v1/routes/checkout/metrics?since=2026-12-01T08:00:00Z")))
                .containsExactly("since");
        assertThat(RouteApiIT.fields(admin.get(
                "/api/v1/routes/checkout/metrics?since=2026-12-01T10:00:00Z&until=2026-12-01T10:00:00Z"))).containsExactly("since");
        assertThat(RouteApiIT.fields(admin.get("/api/v1/routes/checkout/metrics?until=soon"))).containsExactly("until");
        assertThat(admin.get("/api/v1/routes/nope/metrics").status()).isEqualTo(404);
    }

    @Test
    void reports_pastTheRetention_arePruned_andGatewaysNotSeenForFiveMinutesAreNotListed() {
        gateway.post("/api/gateway/reports", report("gw-old", T0.minusSeconds(1), arm("stable", 100, 10, 0, 50)));
        assertThat(admin.get("/api/v1/routes/checkout/metrics").json().path("points")).hasSize(1);

        ramp.clock.advance(Duration.ofMinutes(6));
        assertThat(admin.get("/api/v1/gateways").json().path("items")).isEmpty();

        ramp.clock.advance(Duration.ofHours(24));
        Instant now = ramp.clock.instant();
        assertThat(gateway.post("/api/gateway/reports", report("gw-new", now.minusSeconds(1), arm("stable", 100, 3, 0, 50)))
                .status()).isEqualTo(202);

        String window = "?since=" + T0.minusSeconds(60) + "&until=" + T0;
        assertThat(ramp.server.gatewayReports().traffic("checkout", List.of(), T0.minusSeconds(60), T0).points())
                .as("the report of a day ago is gone").isEmpty();
        assertThat(admin.get("/api/v1/routes/checkout/metrics" + window).json().path("points")).isEmpty();
        assertThat(admin.get("/api/v1/routes/checkout/metrics").json().path("arms").get(0).path("requests").asLong())
                .isEqualTo(3);
        assertThat(admin.get("/api/v1/gateways").json().path("items")).extracting(g -> g.path("gateway").asText())
                .containsExactly("gw-new");
    }

    /** A report of one second ending at {@code from + 1 s}. */
    static String report(String gateway, Instant from, String... arms) {
        return report(gateway, from, from.plusSeconds(1), arms);
    }

    static String report(String gateway, Instant from, Instant to, String... arms) {
        return "{\"gateway\":\"" + gateway + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"arms\":["
                + String.join(",", arms) + "]}";
    }

    /**
     * An arm of route checkout: {@code requests} answers, {@code errors} of them 5xx and the rest 2xx, each timed at
     * 1/e seconds (so each adds -1 to the log-latency sum); p99 {@code p99} ms and the slowest twice that.
     */
    static String arm(String arm, int requestedPercent, long requests, long errors, double p99) {
        return String.format(Locale.ROOT, "{\"route\":\"checkout\",\"arm\":\"%s\",\"requestedPercent\":%d,\"requests\":%d,"
                        + "\"informational\":0,\"success\":%d,\"redirection\":0,\"clientErrors\":0,\"serverErrors\":%d,"
                        + "\"upstreamErrors\":0,\"latencyCount\":%d,\"logLatencySum\":%s,\"logLatencySumOfSquares\":%s,"
                        + "\"p50Millis\":%s,\"p90Millis\":%s,\"p99Millis\":%s,\"maxMillis\":%s}",
                arm, requestedPercent, requests, requests - errors, errors, requests, (double) -requests, (double) requests,
                p99 / 4, p99 / 2, p99, p99 * 2);
    }
}
