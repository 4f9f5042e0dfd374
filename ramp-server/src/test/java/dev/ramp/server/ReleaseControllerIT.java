package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ramp.core.release.WebhookSignature;
import dev.ramp.core.route.ArmReport;
import dev.ramp.core.route.GatewayReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The release controller on a fake clock, on SQLite and PostgreSQL, judging synthetic per-arm traffic that is
 * reported as gateways report it (one report a second through {@code GatewayReports}), ticked by hand: no sleeps.
 * Randomness comes from seeded generators, so every run is the same.
 */
class ReleaseControllerIT extends ServerIT {
    static final String ROUTE = """
            {"kind":"Route","name":"checkout","match":{"pathPrefix":"/checkout"},
             "arms":[{"name":"stable","upstreams":["127.0.0.1:9101"]},{"name":"canary","upstreams":["127.0.0.1:9102"]}]}""";
    /** Requests a second through the route, split by its weight. */
    static final int RATE = 1_000;
    /** The exchange attribute {@link #serve} keeps a call's body in. */
    private static final String BODY = "body";

    private final SplittableRandom random = new SplittableRandom(42);
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void release_healthyCanary_isPromotedThroughEveryStepOnEvidence() {
        route();
        created(release("""
                canary:
                  stepWeights: [10, 25, 50]
                  stepAnalysis: guard
                  analysis: guard-all
                analyses:
                  guard: {interval: 10s, count: 2, metrics: [%s, %s]}
                  guard-all: {interval: 10s, metrics: [%s]}
                """.formatted(ERRORS, LATENCY, ERRORS)));

        int seconds = run(Arm.of(0.01, 100), Arm.of(0.01, 100), 300, "promoted");

        assertThat(weights()).containsExactly(10, 25, 50, 100);
        assertThat(seconds).as("three steps of two 10 s measurements, each judged 2 s after it ends").isBetween(60, 80);
        JsonNode timeline = timeline();
        assertThat(types(timeline)).contains("started", "measurement", "analysis", "promoted").doesNotContain("rolled-back");
        JsonNode measurement = find(timeline, "measurement");
        assertThat(measurement.path("outcome").asText()).isEqualTo("PASS");
        assertThat(measurement.path("evidence").findValuesAsText("metric")).contains("errors", "latency");
        assertThat(admin.get("/api/v1/releases/checkout-v2").json().path("phase").asText()).isEqualTo("promoted");
    }

    @Test
    void release_doubledErrorRate_isRolledBackWithinItsFirstAnalysisWithItsEvidence() {
        route();
        created(release("""
                canary:
                  steps: [{setWeight: 10}, {analysis: guard}, {setWeight: 50}]
                analyses:
                  guard: {interval: 10s, count: 6, metrics: [%s]}
                """.formatted(ERRORS)));

        int seconds = run(Arm.of(0.02, 100), Arm.of(0.04, 100), 200, "rolled-back");

        assertThat(seconds).as("within the first analysis: 6 measurements of 10 s").isLessThan(62);
        assertThat(weights()).containsExactly(10, 0);
        JsonNode failed = find(timeline(), "analysis");
        assertThat(failed.path("message").asText()).contains("analysis guard failed: 1 failed measurement");
        JsonNode evidence = failed.path("evidence").get(0);
        assertThat(evidence.path("metric").asText()).isEqualTo("errors");
        assertThat(evidence.path("statistic").asText()).isEqualTo("e-value");
        assertThat(evidence.path("value").asDouble()).isGreaterThanOrEqualTo(evidence.path("bound").asDouble());
        assertThat(evidence.path("canaryEstimate").asDouble()).isGreaterThan(evidence.path("stableEstimate").asDouble());
        assertThat(admin.get("/metrics").body()).contains("ramp_releases_aborted_by_analysis_total 1.0")
                .contains("ramp_release_phase{phase=\"rolled-back\",release=\"checkout-v2\"} 1.0");
    }

    @Test
    void release_latencyRegression_isCaughtByTheBackgroundAnalysis() {
        route();
        created(release("""
                canary:
                  steps: [{setWeight: 20}, {pause: 5m}]
                  analysis: {interval: 10s, metrics: [%s, %s]}
                """.formatted(ERRORS, LATENCY)));

        run(Arm.of(0.01, 100), Arm.of(0.01, 160), 300, "rolled-back");

        JsonNode failed = find(timeline(), "analysis");
        assertThat(failed.path("message").asText()).contains("analysis background failed");
        assertThat(failed.path("evidence").findValues("outcome").stream().map(JsonNode::asText).toList())
                .contains("FAIL");
        assertThat(weights()).containsExactly(20, 0);
    }

    @Test
    void release_noData_isHeldWithinItsLimitThenFails() {
        route();
        created(release("""
                canary:
                  steps: [{setWeight: 10}, {analysis: guard}]
                analyses:
                  guard: {interval: 10s, count: 3, noDataLimit: 2, metrics: [%s]}
                """.formatted(ERRORS)));

        int seconds = run(Arm.of(0.01, 100), Arm.NONE, 200, "rolled-back");

        assertThat(seconds).as("three empty measurements: two held, the third fails").isBetween(32, 36);
        List<String> outcomes = outcomes(timeline());
        assertThat(outcomes).containsExactly("NO_DATA", "NO_DATA", "NO_DATA", "FAIL");
        assertThat(find(timeline(), "analysis").path("message").asText())
                .contains("3 measurements in a row without data, more than its noDataLimit (2)");
    }

    @Test
    void release_providerErrors_areHeldWithinTheirBudget() throws IOException {
        route();
        AtomicInteger calls = new AtomicInteger();
        String flaky = serve("/errors", exchange -> calls.incrementAndGet() <= 2 ? 503 : 200, "{\"data\":{\"rate\":0.001}}");
        created(release("""
                canary:
                  steps: [{setWeight: 10}, {analysis: guard}]
                analyses:
                  guard:
                    interval: 10s
                    count: 2
                    errorLimit: 2
                    metrics: [{name: rate, source: http, url: "%s", path: /data/rate, failAbove: 0.01}]
                """.formatted(flaky)));

        run(Arm.of(0.01, 100), Arm.of(0.01, 100), 200, "promoted");

        assertThat(outcomes(timeline())).containsExactly("ERROR", "ERROR", "PASS", "PASS");
        assertThat(find(timeline(), "measurement").path("message").asText()).contains("answered HTTP 503");
    }

    @Test
    void release_providerErrorsPastTheirBudget_rollBack() {
        route();
        created(release("""
                canary:
                  steps: [{setWeight: 10}, {analysis: guard}]
                analyses:
                  guard:
                    interval: 10s
                    errorLimit: 1
                    metrics: [{name: rate, source: prometheus, url: "http://127.0.0.1:1", query: "up", failAbove: 1}]
                """));

        run(Arm.of(0.01, 100), Arm.of(0.01, 100), 200, "rolled-back");

        assertThat(outcomes(timeline())).containsExactly("ERROR", "ERROR", "FAIL");
        assertThat(weights()).containsExactly(10, 0);
    }

    @Test
    void release_manualGate_waitsForItsHookThenPromotes() throws IOException {
        route();
        AtomicInteger answer = new AtomicInteger(503);
        List<Boolean> signed = new java.util.concurrent.CopyOnWriteArrayList<>();
        String gate = serve("/gate", exchange -> {
            signed.add(signed(exchange));
            return answer.get();
        }, "");
        List<String> notified = new java.util.concurrent.CopyOnWriteArrayList<>();
        String events = serve("/events", exchange -> {
            signed.add(signed(exchange));
            notified.add(exchange.getRequestHeaders().getFirst("Ramp-Delivery"));
            return 204;
        }, "");
        created(release("""
                canary:
                  steps: [{setWeight: 30}, {pause: 1m}]
                hooks:
                  - {on: confirm-promotion, url: "%s"}
                  - {on: event, url: "%s"}
                """.formatted(gate, events)));

        run(Arm.of(0.01, 100), Arm.of(0.01, 100), 120, "");
        assertThat(admin.get("/api/v1/releases/checkout-v2").json().path("message").asText())
                .contains("waiting for confirm-promotion: HTTP 503");
        assertThat(weights()).containsExactly(30);

        answer.set(200);
        run(Arm.of(0.01, 100), Arm.of(0.01, 100), 20, "promoted");
        assertThat(weights()).containsExactly(30, 100);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ramp.server.releases()
                .release("checkout-v2").orElseThrow().state().pending().isEmpty());
        assertThat(notified).as("one per timeline entry").hasSize(timeline().size())
                .doesNotHaveDuplicates().allMatch(id -> id.startsWith("checkout-v2/1/"));
        assertThat(signed).as("every gate and event call signed with the server's secret").isNotEmpty()
                .containsOnly(true);
    }

    /** Whether the call's {@code Ramp-Signature} signs its body with the test server's secret, at the server's time. */
    private boolean signed(HttpExchange exchange) {
        return WebhookSignature.verify(TestServer.WEBHOOK_SECRET,
                exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), (byte[]) exchange.getAttribute(BODY),
                ramp.clock.instant(), WebhookSignature.DEFAULT_TOLERANCE);
    }

    @Test
    void release_blueGreen_previewsSwitchesWatchesAndSwitchesBackWhenAborted() {
        assertThat(admin.post("/api/v1/routes", """
                {"kind":"Route","name":"checkout","strategy":"blueGreen","match":{"pathPrefix":"/checkout"},
                 "arms":[{"name":"blue","upstreams":["127.0.0.1:9101"]},{"name":"green","upstreams":["127.0.0.1:9102"]}],
                 "preview":{"header":"X-Preview"}}""").status()).isEqualTo(201);
        created(release("""
                blueGreen:
                  prePromotionAnalysis: {interval: 10s, count: 2, metrics: [%s]}
                  autoPromotion: 30s
                  postPromotionAnalysis:
                    interval: 10s
                    count: 2
                    metrics: [{name: errors, source: gateway, measure: errorRate, judge: threshold, failAbove: 0.05}]
                  keepPrevious: 10m
                """.formatted(ERRORS)));

        run(Arm.of(0.01, 100), Arm.of(0.01, 100), 120, "");
        JsonNode release = admin.get("/api/v1/releases/checkout-v2").json();
        assertThat(release.path("steps").toString()).isEqualTo("[\"analysis pre-promotion\",\"pause 30s\",\"switch\","
                + "\"analysis post-promotion\",\"pause 10m\"]");
        assertThat(release.path("step").asInt()).as("keeping blue for an instant switch back").isEqualTo(4);
        assertThat(actives()).containsExactly("green");

        assertThat(command("abort").path("phase").asText()).isEqualTo("rolled-back");
        ramp.server.releases().tick();
        assertThat(actives()).containsExactly("green", "blue");
        assertThat(types(timeline())).containsSubsequence("analysis", "weight", "analysis", "rolled-back");
    }

    @Test
    void release_byHand_pausesResumesPromotesAbortsRetriesAndUndoes() {
        route();
        created(release("""
                canary:
                  steps: [{setWeight: 10}, {pause: {}}, {setWeight: 40}, {pause: {}}]
                """));
        ramp.server.releases().tick();

        assertThat(command("pause").path("phase").asText()).isEqualTo("paused");
        assertThat(admin.post("/api/v1/releases/checkout-v2/pause", "").status()).isEqualTo(409);
        assertThat(command("resume").path("phase").asText()).isEqualTo("progressing");
        JsonNode promoted = command("promote");
        assertThat(promoted.path("step").asInt()).isEqualTo(3);
        ramp.server.releases().tick();
        assertThat(weights()).containsExactly(10, 40);

        assertThat(command("abort").path("phase").asText()).isEqualTo("rolled-back");
        ramp.server.releases().tick();
        assertThat(command("retry").path("attempt").asInt()).isEqualTo(2);
        ramp.server.releases().tick();
        Api.Reply full = admin.post("/api/v1/releases/checkout-v2/promote?full=true", "");
        assertThat(full.json().path("phase").asText()).isEqualTo("promoted");
        ramp.server.releases().tick();
        assertThat(command("undo").path("phase").asText()).isEqualTo("rolled-back");
        ramp.server.releases().tick();

        assertThat(weights()).containsExactly(10, 40, 0, 10, 100, 0);
        assertThat(admin.get("/api/v1/releases/checkout-v2/history").json().path("items").findValuesAsText("action"))
                .containsExactly("create", "pause", "resume", "promote", "abort", "retry", "promote-full", "undo");
    }

    @Test
    void release_flagRollout_isJudgedOnTrackedEventsAndReturnsToItsPercent() {
        assertThat(admin.post("/api/v1/flags", """
                {"key":"new-checkout","environments":{"production":{"enabled":true,"strategies":[{"name":"flexibleRollout",
                 "parameters":{"rollout":"5","stickiness":"default","groupId":"new-checkout"}}]}}}""").status())
                .isEqualTo(201);
        Api client = ramp.client("production");
        created("""
                kind: Release
                name: checkout-v2
                target: {flag: new-checkout, environment: production}
                canary:
                  stepWeights: [20, 50]
                  stepAnalysis: {interval: 10s, count: 3, minSamples: 50, metrics: [{name: failed, source: events, event: checkout-failed}]}
                """);
        ramp.server.releases().tick();
        assertThat(rollout()).isEqualTo(20);

        dev.ramp.core.route.TrafficSplit split = dev.ramp.core.route.TrafficSplit.of("new-checkout", 20);
        for (int second = 0; second < 60 && !phase().equals("rolled-back"); second++) {
            StringBuilder batch = new StringBuilder("{\"appName\":\"shop\",\"events\":[");
            for (int user = 0; user < 50; user++) {
                String unit = "user-" + random.nextInt(100_000);
                double failed = random.nextDouble() < (split.isCandidate(unit) ? 0.30 : 0.05) ? 1 : 0;
                batch.append(user == 0 ? "" : ",").append("{\"type\":\"metric\",\"name\":\"checkout-failed\",\"unit\":\"")
                        .append(unit).append("\",\"value\":").append(failed).append('}');
            }
            assertThat(client.post("/api/client/events", batch.append("]}").toString()).status()).isEqualTo(202);
            ramp.clock.advance(Duration.ofSeconds(1));
            ramp.server.releases().tick();
        }

        assertThat(phase()).isEqualTo("rolled-back");
        assertThat(rollout()).as("back where it was before the release").isEqualTo(5);
        assertThat(find(timeline(), "analysis").path("evidence").get(0).path("metric").asText()).isEqualTo("failed");
    }

    @Test
    void release_withProblems_isRefusedNamingEveryFieldAndTheTargetMustExist() {
        Api.Reply refused = admin.post("/api/v1/releases", """
                {"kind":"Release","name":"bad","target":{"route":"nowhere"},
                 "canary":{"steps":[{"setWeight":120},{"pause":"soon"}]}}""");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().path("errors").findValuesAsText("field"))
                .containsExactly("canary.steps[0].setWeight", "canary.steps[1].pause");

        Api.Reply missing = admin.post("/api/v1/releases", """
                {"kind":"Release","name":"bad","target":{"route":"nowhere"},"canary":{"stepWeights":[10],"interval":"1m"}}""");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("target.route").contains("does not exist");

        route();
        created(release("canary: {steps: [{setWeight: 10}, {pause: {}}]}\n"));
        Api.Reply second = admin.post("/api/v1/releases", json(release("canary: {steps: [{setWeight: 10}]}\n")
                .replace("name: checkout-v2", "name: other")));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body()).contains("release 'checkout-v2' is already moving this target");
        Api.Reply changed = admin.put("/api/v1/releases/checkout-v2", json(release("canary: {steps: [{setWeight: 20}]}\n")),
                "If-Match", "*");
        assertThat(changed.status()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/releases/checkout-v2", "If-Match", "*").status()).isEqualTo(409);
    }

    @Test
    void release_serverRestarted_continuesFromItsStoredState() {
        route();
        created(release("""
                canary:
                  steps: [{setWeight: 10}, {analysis: guard}, {setWeight: 50}]
                analyses:
                  guard: {interval: 10s, count: 3, metrics: [%s]}
                """.formatted(ERRORS)));
        run(Arm.of(0.01, 100), Arm.of(0.01, 100), 25, "");
        JsonNode before = admin.get("/api/v1/releases/checkout-v2").json();
        assertThat(before.path("analyses").get(0).path("passes").asInt()).isEqualTo(2);

        ramp.close();
        ramp = TestServer.restart(ramp);
        admin = ramp.admin;

        run(Arm.of(0.01, 100), Arm.of(0.01, 100), 60, "promoted");
        assertThat(weights()).containsExactly(10, 50, 100);
        assertThat(outcomes(timeline())).containsExactly("PASS", "PASS", "PASS");
    }

    // ---- synthetic traffic

    static final String ERRORS = "{name: errors, source: gateway, measure: errorRate}";
    static final String LATENCY = "{name: latency, source: gateway, measure: latency}";

    /** An arm's behaviour: its error rate and median latency (log-normal, σ 0.4); NONE serves nothing. */
    record Arm(double errorRate, double medianMillis, boolean serves) {
        static final Arm NONE = new Arm(0, 0, false);

        static Arm of(double errorRate, double medianMillis) {
            return new Arm(errorRate, medianMillis, true);
        }
    }

    /**
     * Reports a second of traffic at the route's weight, moves the clock a second and ticks, until the release is in
     * {@code phase} or {@code limit} seconds have passed; the seconds it took.
     */
    private int run(Arm stable, Arm canary, int limit, String phase) {
        for (int second = 1; second <= limit; second++) {
            var route = ramp.server.routeRegistry().route("checkout").orElseThrow().definition();
            // A canary route splits by weight; a blue/green route sends 90% to its active arm, 10% to preview.
            int weight = route.isBlueGreen() ? (route.candidatePercent() == 100 ? 90 : 10) : route.weight();
            Instant from = ramp.clock.instant();
            int canaryRequests = canary.serves() ? RATE * weight / 100 : 0;
            ramp.server.gatewayReports().add(new GatewayReport("gateway-1", from, from.plusSeconds(1), List.of(
                    arm(route.arms().get(0).name(), 100 - weight, RATE - RATE * weight / 100, stable),
                    arm(route.arms().get(1).name(), weight, canaryRequests, canary))));
            ramp.clock.advance(Duration.ofSeconds(1));
            ramp.server.releases().tick();
            if (!phase.isEmpty() && phase().equals(phase)) {
                return second;
            }
        }
        assertThat(phase.isEmpty()).as("the release reached " + phase + " within " + limit + " s; it is " + phase()
                + ": " + admin.get("/api/v1/releases/checkout-v2").json().path("message").asText()).isTrue();
        return limit;
    }

    private ArmReport arm(String name, int percent, int requests, Arm behaviour) {
        long errors = 0;
        double sum = 0;
        double squares = 0;
        double mu = Math.log(behaviour.medianMillis() / 1000);
        for (int i = 0; i < requests; i++) {
            errors += random.nextDouble() < behaviour.errorRate() ? 1 : 0;
            double log = mu + 0.4 * gaussian();
            sum += log;
            squares += log * log;
        }
        return new ArmReport("checkout", name, percent, requests, 0, requests - errors, 0, 0, errors, 0, requests, sum,
                squares, 0, 0, requests == 0 ? 0 : behaviour.medianMillis() * 2.5, 0);
    }

    private double gaussian() {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    // ---- helpers

    private void route() {
        assertThat(admin.post("/api/v1/routes", ROUTE).status()).isEqualTo(201);
    }

    private static String release(String strategy) {
        return "kind: Release\nname: checkout-v2\ntarget: {route: checkout}\n" + strategy;
    }

    private void created(String yaml) {
        Api.Reply created = admin.post("/api/v1/releases", json(yaml));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    /** The YAML document as the JSON the API takes (the CLI converts the same way). */
    private static String json(String yaml) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode command(String command) {
        Api.Reply reply = admin.post("/api/v1/releases/checkout-v2/" + command, "");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private String phase() {
        return admin.get("/api/v1/releases/checkout-v2").json().path("phase").asText();
    }

    private int rollout() {
        return admin.get("/api/v1/flags/new-checkout").json().path("environments").path("production")
                .path("strategies").get(0).path("parameters").path("rollout").asInt();
    }

    /** The weights the release set on the route, in order, from the route's history. */
    private List<Integer> weights() {
        return weights(admin);
    }

    static List<Integer> weights(Api admin) {
        return changed(admin, "weight").stream().map(after -> after.path("weight").asInt()).toList();
    }

    /** The arms the release made active on the route, in order. */
    private List<String> actives() {
        return changed(admin, "switch").stream().map(after -> after.path("active").asText()).toList();
    }

    /** The route {@code checkout} after each of its changes of {@code action}, in order. */
    private static List<JsonNode> changed(Api admin, String action) {
        JsonNode items = admin.get("/api/v1/routes/checkout/history").json().path("items");
        return StreamSupport.stream(items.spliterator(), false)
                .filter(item -> item.path("action").asText().equals(action))
                .map(item -> item.path("after").isTextual() ? readTree(item.path("after").asText()) : item.path("after"))
                .toList();
    }

    private JsonNode timeline() {
        return admin.get("/api/v1/releases/checkout-v2/timeline").json().path("items");
    }

    private static List<String> types(JsonNode timeline) {
        return StreamSupport.stream(timeline.spliterator(), false).map(item -> item.path("type").asText()).toList();
    }

    private static List<String> outcomes(JsonNode timeline) {
        return StreamSupport.stream(timeline.spliterator(), false)
                .filter(item -> item.path("type").asText().equals("measurement") || item.path("type").asText().equals("analysis"))
                .map(item -> item.path("outcome").asText()).filter(outcome -> !outcome.isEmpty()).toList();
    }

    private static JsonNode find(JsonNode timeline, String type) {
        return StreamSupport.stream(timeline.spliterator(), false).filter(item -> item.path("type").asText().equals(type))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " entry in " + timeline));
    }

    private static JsonNode readTree(String json) {
        try {
            return dev.ramp.server.model.Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private interface Status {
        int of(HttpExchange exchange);
    }

    /** A loopback endpoint answering {@code body} with the status {@code status} gives; its URL. */
    private String serve(String path, Status status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            exchange.setAttribute(BODY, exchange.getRequestBody().readAllBytes());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            int code = status.of(exchange);
            exchange.sendResponseHeaders(code, code == 204 || bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0 && code != 204) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }
}
