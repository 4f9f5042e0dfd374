package dev.ramp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ramp.core.eval.Context;
import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.GatewayLimits;
import dev.ramp.gateway.ServerLink;
import dev.ramp.sdk.ClientState;
import dev.ramp.sdk.RampClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The server down for minutes under an SDK and a managed gateway, as a scripted scenario with a recorded result.
 *
 * <p>{@code ramp server} runs in a JVM of its own ({@code java -jar ramp.jar server}) on SQLite and a fixed port,
 * with one flag and one route (stable and canary, each its own backend, weight 0). In this JVM a {@link RampClient}
 * streams from it (backup file on, default back-off of 0.5 to 30 s) and a {@link Gateway} follows it through a
 * {@link ServerLink}. Every 100 ms the scenario evaluates the flag and sends a request through the gateway. After 10 s
 * the server is killed with SIGKILL and stays down for {@code --outage} (default 5m); then it starts again on the same
 * port and data. Recorded: what the SDK answered and which states it went through while the server was away, what the
 * gateway answered, and, once the server is back, how long until a flag change reaches the SDK and a route change
 * reaches the gateway. The result goes to {@code outage.md}.
 */
public final class OutageScenario {
    private static final String ADMIN_TOKEN = "ramp-bench-admin-token-0123456789";
    private static final String FLAG = "outage.flag";
    private static final Context USER = Context.builder().userId("user-1").property("plan", "pro").build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DEFAULTS = Map.of(
            "outage", "300",
            "ramp-jar", "ramp-cli/target/ramp.jar",
            "results", "ramp-bench/results");

    private OutageScenario() {}

    /** What the samples saw in one phase. */
    private static final class Tally {
        final AtomicLong evaluations = new AtomicLong();
        final AtomicLong evaluationsOtherThanBefore = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failedRequests = new AtomicLong();
        final Set<ClientState> states = ConcurrentHashMap.newKeySet();
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit("OutageScenario", args, DEFAULTS);
        int outageSeconds = options.number("outage", 1);
        Path jar = Path.of(options.text("ramp-jar"));
        Path results = Files.createDirectories(Path.of(options.text("results")));
        int port = Processes.freePort();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        HttpServer stable = backend("stable");
        HttpServer canary = backend("canary");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (TempDirectory work = TempDirectory.create("ramp-outage-")) {
            Path data = work.resolve("data");
            Path log = results.resolve("outage-server.log");
            RampProcess server = RampProcess.start(jar, data, ADMIN_TOKEN, List.of(), log, port);
            RampAdmin admin = new RampAdmin(server.url(), ADMIN_TOKEN);
            long version = admin.createFlag(FLAG, true);
            String clientToken = admin.createClientToken("outage");
            String gatewayToken = JSON.readTree(admin.post("/api/v1/tokens", "{\"name\":\"edge\",\"scope\":\"gateway\"}", 201))
                    .path("secret").asText();
            admin.post("/api/v1/routes", route(stable, canary, 0), 201);
            try (RampClient sdk = RampClient.builder().url(server.url()).token(clientToken).appName("outage")
                    .backupFile(work.resolve("sdk-backup.json")).build();
                 Gateway gateway = Gateway.start(new InetSocketAddress("127.0.0.1", 0), GatewayLimits.defaults(), 1);
                 ServerLink link = ServerLink.start(URI.create(server.url()), gatewayToken, "edge", gateway, Clock.systemUTC())) {
                sdk.awaitReady(Duration.ofSeconds(30));
                URI through = URI.create("http://127.0.0.1:" + gateway.port() + "/shop");
                await(() -> "stable".equals(get(http, through)), Duration.ofSeconds(30), "the gateway serving the route");
                boolean before = sdk.isEnabled(FLAG, USER);
                Tally[] phase = {new Tally()};
                sampler.scheduleAtFixedRate(() -> {
                    Tally tally = phase[0];
                    tally.evaluations.incrementAndGet();
                    if (sdk.isEnabled(FLAG, USER) != before) {
                        tally.evaluationsOtherThanBefore.incrementAndGet();
                    }
                    tally.states.add(sdk.state());
                    tally.requests.incrementAndGet();
                    if (get(http, through) == null) {
                        tally.failedRequests.incrementAndGet();
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);
                Thread.sleep(10_000);

                Tally away = new Tally();
                phase[0] = away;
                server.kill();
                long killed = System.nanoTime();
                System.out.printf(Locale.ROOT, "server killed; back in %d s%n", outageSeconds);
                Thread.sleep(TimeUnit.SECONDS.toMillis(outageSeconds));

                Tally back = new Tally();
                phase[0] = back;
                server = RampProcess.start(jar, data, ADMIN_TOKEN, List.of(), log, port);
                long listening = System.nanoTime();
                await(() -> sdk.state() == ClientState.READY, Duration.ofSeconds(120), "the SDK ready again");
                double sdkReady = (System.nanoTime() - listening) / 1e9;
                admin = new RampAdmin(server.url(), ADMIN_TOKEN);
                long changed = System.nanoTime();
                admin.toggle(FLAG, false, version);
                await(() -> !sdk.isEnabled(FLAG, USER), Duration.ofSeconds(60), "the flag change at the SDK");
                double flagChange = (System.nanoTime() - changed) / 1e6;
                long rerouted = System.nanoTime();
                admin.put("/api/v1/routes/shop", route(stable, canary, 100), "*", 200);
                await(() -> "canary".equals(get(http, through)), Duration.ofSeconds(120), "the route change at the gateway");
                double routeChange = (System.nanoTime() - rerouted) / 1e6;
                sampler.shutdownNow();
                server.close();

                String report = String.format(Locale.ROOT, """
                        Server killed with SIGKILL and down for %d s (%.0f s measured), then started again on the same
                        port and SQLite file; samples every 100 ms.

                        | while the server was down | value |
                        |---|---:|
                        | SDK evaluations | %,d |
                        | of them, a value other than before the outage | %,d |
                        | SDK states seen | %s |
                        | requests through the gateway | %,d |
                        | of them failed (not 200) | %,d |

                        | once the server was back | value |
                        |---|---:|
                        | SDK ready again, after the server listened | %.1f s |
                        | a flag change reaching the SDK, after the SDK was ready | %.0f ms |
                        | a route change reaching the gateway | %.0f ms |
                        | requests through the gateway failed meanwhile | %,d of %,d |
                        """, outageSeconds, (listening - killed) / 1e9, away.evaluations.get(),
                        away.evaluationsOtherThanBefore.get(), away.states, away.requests.get(), away.failedRequests.get(),
                        sdkReady, flagChange, routeChange, back.failedRequests.get(), back.requests.get());
                System.out.println();
                System.out.print(report);
                Files.writeString(results.resolve("outage.md"), report);
            }
        } finally {
            sampler.shutdownNow();
            stable.stop(0);
            canary.stop(0);
        }
    }

    private static String route(HttpServer stable, HttpServer canary, int weight) {
        return """
                {"kind":"Route","name":"shop","match":{"pathPrefix":"/shop"},"weight":%d,
                 "arms":[{"name":"stable","upstreams":["127.0.0.1:%d"]},{"name":"canary","upstreams":["127.0.0.1:%d"]}]}"""
                .formatted(weight, stable.getAddress().getPort(), canary.getAddress().getPort());
    }

    /** A backend that answers every request with its name. */
    private static HttpServer backend(String name) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The body of a 200 to {@code uri}, or null for any other answer or none. */
    private static String get(HttpClient http, URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + limit.toSeconds() + " s for " + what);
            }
            Thread.sleep(10);
        }
    }
}
