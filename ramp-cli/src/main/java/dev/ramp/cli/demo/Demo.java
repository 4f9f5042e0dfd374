package dev.ramp.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.GatewayLimits;
import dev.ramp.gateway.ServerLink;
import dev.ramp.sdk.RampClient;
import dev.ramp.server.RampServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The whole of Ramp in one process, and a story told with it. {@link #start} brings up, all on 127.0.0.1 with
 * free ports: a server on SQLite in a temporary directory, with its release controller; a gateway it manages; the
 * shop's versions v1 (healthy), v2 (5 points more errors, 80 ms slower) and v3 (healthy) as HTTP services behind
 * the gateway, each evaluating {@link #FLAG} through an SDK client and tracking its checkouts; and a paced load of
 * simulated users. {@link #tell} then runs three releases and waits for each to be decided:
 *
 * <ol>
 *   <li>{@code shop-v2}, a canary of v2 on the route: its analysis sees the errors and the latency and rolls it
 *       back;</li>
 *   <li>{@code shop-v3}, a canary of v3: healthy, it is promoted step by step to 100%;</li>
 *   <li>{@code checkout-new-flow}, the flag's rollout from 0% to 100%, judged on the checkouts the application
 *       tracks.</li>
 * </ol>
 *
 * <p>Every release is an ordinary one, on the ordinary API; the dashboard and {@code ramp release} show them.
 */
public final class Demo implements AutoCloseable {
    /** The flag the shop evaluates on every checkout, rolled out in the third chapter. */
    static final String FLAG = "checkout.new-flow";
    /** The event the shop tracks on every checkout: 1 when it failed, 0 when not. */
    static final String CHECKOUT_FAILED = "checkout-failed";
    private static final String ROUTE = "shop";
    private static final String ENVIRONMENT = "production";
    private static final int USERS = 10_000;
    /** How often a release's state is read while it runs. */
    private static final Duration POLL = Duration.ofMillis(250);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SyntheticService.Behaviour V1 =
            new SyntheticService.Behaviour("v1", 0.005, Duration.ofMillis(20));
    private static final SyntheticService.Behaviour V2 =
            new SyntheticService.Behaviour("v2", 0.055, Duration.ofMillis(100));
    private static final SyntheticService.Behaviour V3 =
            new SyntheticService.Behaviour("v3", 0.005, Duration.ofMillis(20));

    /**
     * How the demo runs.
     *
     * @param rate        requests a second the load sends through the gateway
     * @param maxRequests the most requests it sends in all
     * @param seed        seeds the services' failures and latencies and the load's users
     * @param timeLimit   the longest {@link #tell} may take; past it, it stops with {@link Failed}
     */
    public record Settings(int rate, long maxRequests, long seed, Duration timeLimit) {
        public Settings {
            if (rate < 1 || rate > 2_000) {
                throw new IllegalArgumentException("rate: must be 1 to 2000 requests a second, not " + rate);
            }
            if (maxRequests < 1) {
                throw new IllegalArgumentException("maxRequests: must be positive, not " + maxRequests);
            }
        }
    }

    /** The story could not be told: a part did not start, the server refused a document, or time ran out. */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final Path directory;
    private final String adminToken;
    /** What {@link #close} stops, the last started first. */
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Set once {@link #close} has begun; what fails after it fails because the demo is stopping. */
    private volatile boolean closed;
    private RampServer server;
    private Gateway gateway;
    private LoadGenerator load;
    private final List<SyntheticService> services = new ArrayList<>();

    private Demo(Settings settings, Path directory) {
        this.settings = settings;
        this.directory = directory;
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.adminToken = "demo-admin-" + HexFormat.of().formatHex(secret);
    }

    /** Starts every part; if one fails, stops those already started. */
    public static Demo start(Settings settings) throws IOException, InterruptedException {
        Demo demo = new Demo(settings, Files.createTempDirectory("ramp-demo-"));
        try {
            demo.startParts();
            return demo;
        } catch (IOException | InterruptedException | RuntimeException e) {
            demo.close();
            throw e;
        }
    }

    private void startParts() throws IOException, InterruptedException {
        server = keep(RampServer.builder().host("127.0.0.1").port(0).adminToken(adminToken)
                .dataDirectory(directory.resolve("data")).releaseTick(Duration.ofMillis(200)).start());
        String appToken = post("/api/v1/tokens", """
                {"name":"demo-shop","scope":"client","environment":"%s"}""".formatted(ENVIRONMENT)).path("secret").asText();
        String edgeToken = post("/api/v1/tokens", "{\"name\":\"demo-edge\",\"scope\":\"gateway\"}").path("secret").asText();
        post("/api/v1/flags", """
                {"key":"%s","description":"The new checkout flow, rolled out by the demo's third release.",
                 "environments":{"%s":{"enabled":true,"strategies":[{"name":"flexibleRollout",
                   "parameters":{"rollout":"0","stickiness":"default","groupId":"%s"}}]}}}"""
                .formatted(FLAG, ENVIRONMENT, FLAG));

        RampClient app = keep(RampClient.builder().url(server.url()).token(appToken).appName("shop")
                .noBackupFile().events(10_000, 1_000, Duration.ofMillis(500), 3).build());
        if (!app.awaitReady(Duration.ofSeconds(10))) {
            throw new Failed("the shop's SDK client got no flags from the server within 10 s: " + app.state());
        }
        long seed = settings.seed();
        for (SyntheticService.Behaviour behaviour : List.of(V1, V2, V3)) {
            services.add(keep(new SyntheticService(behaviour, ++seed, app)));
        }
        post("/api/v1/routes", route(services.get(1)));

        gateway = keep(Gateway.start(new InetSocketAddress("127.0.0.1", 0), GatewayLimits.defaults(), 1));
        keep(ServerLink.start(URI.create(server.url()), edgeToken, "demo-edge", gateway, Clock.systemUTC()));
        awaitRoute();
        load = keep(new LoadGenerator(URI.create(gatewayUrl() + "checkout"), settings.rate(), USERS,
                settings.maxRequests(), settings.seed()));
    }

    /** The server's dashboard. */
    public String dashboard() {
        return server.url() + "/";
    }

    /** Where the gateway serves the shop. */
    public String gatewayUrl() {
        return "http://127.0.0.1:" + gateway.port() + "/";
    }

    /** Runs the three releases, each to its decision, and says how they ended. */
    public Summary tell(Narrator narrator) throws InterruptedException {
        Instant deadline = Instant.now().plus(settings.timeLimit());
        Instant begun = Instant.now();
        narrator.started(dashboard(), adminToken, gatewayUrl());
        List<Verdict> verdicts = new ArrayList<>();

        narrator.chapter("1. A canary of v2, which is worse",
                "v2 fails 5 points more checkouts and answers 80 ms slower. Its release gives it 20% of the users, then "
                        + "50%, each step judged on the gateway's per-arm errors and latency.");
        verdicts.add(run(narrator, canary("shop-v2"), Verdict.ROLLED_BACK, deadline));

        JsonNode route = get("/api/v1/routes/" + ROUTE);
        send("PUT", "/api/v1/routes/" + ROUTE, route(services.get(2)), "\"" + route.path("version").asLong() + "\"");
        narrator.chapter("2. A canary of v3, which is healthy",
                "The route's canary arm now runs v3. The same plan: it passes each step's analysis and is promoted.");
        verdicts.add(run(narrator, canary("shop-v3"), Verdict.PROMOTED, deadline));

        narrator.chapter("3. The flag " + FLAG + " from 0% to 100%",
                "The shop evaluates the flag on every checkout and tracks '" + CHECKOUT_FAILED + "'. The release raises"
                        + " the rollout to 10%, 25%, 50% and 100%, each step judged on the checkouts of users in the"
                        + " rollout against those outside it.");
        verdicts.add(run(narrator, """
                {"kind":"Release","name":"checkout-new-flow","target":{"flag":"%s","environment":"%s"},
                 "canary":{"stepWeights":[10,25,50],"stepAnalysis":{"interval":"2s","count":2,"minSamples":50,
                   "metrics":[{"name":"failed-checkouts","source":"events","event":"%s"}]}}}"""
                .formatted(FLAG, ENVIRONMENT, CHECKOUT_FAILED), Verdict.PROMOTED, deadline));

        LoadGenerator.Counts counts = load.counts();
        return new Summary(dashboard(), verdicts, counts.sent(), counts.failed(),
                Duration.between(begun, Instant.now()).toMillis() / 1000.0);
    }

    private static String canary(String name) {
        return """
                {"kind":"Release","name":"%s","target":{"route":"%s"},
                 "canary":{"stepWeights":[20,50],"stepAnalysis":{"interval":"2s","count":3,"minSamples":50,
                   "metrics":[{"name":"errors","source":"gateway","measure":"errorRate"},
                              {"name":"latency","source":"gateway","measure":"latency"}]}}}""".formatted(name, ROUTE);
    }

    private String route(SyntheticService canary) {
        return """
                {"kind":"Route","name":"%s","match":{"pathPrefix":"/"},
                 "arms":[{"name":"stable","upstreams":["%s"]},{"name":"canary","upstreams":["%s"]}],
                 "weight":0,"sticky":{"by":"header","name":"%s"}}"""
                .formatted(ROUTE, services.get(0).address(), canary.address(), SyntheticService.USER_HEADER);
    }

    /** Creates the release and follows it to its end. */
    private Verdict run(Narrator narrator, String document, String expected, Instant deadline)
            throws InterruptedException {
        JsonNode created = post("/api/v1/releases", document);
        String name = created.path("name").asText();
        List<JsonNode> timeline = new ArrayList<>();
        while (true) {
            JsonNode release = get("/api/v1/releases/" + name);
            long after = timeline.isEmpty() ? 0 : timeline.get(timeline.size() - 1).path("seq").asLong();
            List<JsonNode> entries = new ArrayList<>();
            get("/api/v1/releases/" + name + "/timeline?after=" + after).path("items").forEach(entries::add);
            timeline.addAll(entries);
            narrator.progress(release, entries);
            String phase = release.path("phase").asText();
            if ((phase.equals("promoted") || phase.equals("rolled-back")) && release.path("pending").asInt() == 0) {
                Verdict verdict = verdict(name, release.path("target"), phase, expected, timeline);
                narrator.ended(verdict);
                return verdict;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new Failed("release " + name + " was still " + phase + " at " + release.path("weight").asInt()
                        + "% when the demo's time limit of " + settings.timeLimit().toSeconds() + " s was up");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static Verdict verdict(String name, JsonNode target, String phase, String expected, List<JsonNode> timeline) {
        String outcome = phase.equals("promoted") ? Verdict.PROMOTED : Verdict.ROLLED_BACK;
        JsonNode end = timeline.stream().filter(entry -> entry.path("type").asText().equals(phase)).findFirst()
                .orElseThrow(() -> new Failed("release " + name + " is " + phase + " but its timeline does not say so"));
        Instant started = Instant.parse(timeline.get(0).path("at").asText());
        double seconds = Duration.between(started, Instant.parse(end.path("at").asText())).toMillis() / 1000.0;
        JsonNode deciding = timeline.stream().filter(entry -> !entry.path("evidence").isEmpty())
                .reduce((first, second) -> second).orElse(JSON.createObjectNode());
        List<JsonNode> evidence = new ArrayList<>();
        deciding.path("evidence").forEach(evidence::add);
        return new Verdict(name, target, outcome, expected, seconds, end.path("message").asText(), evidence,
                evidenceText(evidence));
    }

    /** Each metric's estimate on stable and on the canary: rates in percent, latency as its geometric mean. */
    private static String evidenceText(List<JsonNode> evidence) {
        List<String> parts = new ArrayList<>();
        for (JsonNode result : evidence) {
            String metric = result.path("metric").asText();
            parts.add(metric + " " + estimate(metric, result.path("stableEstimate")) + " -> "
                    + estimate(metric, result.path("canaryEstimate")) + " (" + result.path("outcome").asText() + ")");
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static String estimate(String metric, JsonNode value) {
        if (!value.isNumber()) {
            return "-";
        }
        // The latency judge works on ln(seconds): its estimate is the mean of the logarithms.
        return metric.equals("latency") ? String.format(Locale.ROOT, "%.0f ms", Math.exp(value.asDouble()) * 1000)
                : String.format(Locale.ROOT, "%.1f%%", value.asDouble() * 100);
    }

    private void awaitRoute() throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (gateway.routes().stream().noneMatch(route -> route.name().equals(ROUTE))) {
            if (Instant.now().isAfter(until)) {
                throw new Failed("the gateway did not get the route '" + ROUTE + "' from the server within 10 s");
            }
            Thread.sleep(50);
        }
    }

    private JsonNode get(String path) {
        return send("GET", path, null, null);
    }

    private JsonNode post(String path, String body) {
        return send("POST", path, body, null);
    }

    private JsonNode send(String method, String path, String body, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + adminToken)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new Failed(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Failed(closed ? "stopped while it ran" : method + " " + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted during " + method + " " + path);
        }
    }

    private <T extends AutoCloseable> T keep(T part) {
        parts.push(part);
        return part;
    }

    /** Stops every part, the last started first, and deletes the temporary directory; again, does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                // Closing goes on with the other parts; the demo is ending anyway.
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A file left in the temporary directory is all this can cost.
        }
    }
}
