package dev.ramp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.GatewayLimits;
import dev.ramp.gateway.ServerLink;
import dev.ramp.server.RampServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How fast releases decide, end to end and in real time: a server with its controller (ticking every 200 ms), a
 * gateway in managed mode reporting every second, two backends and a paced load.
 *
 * <ul>
 *   <li>{@code detect}: stable fails 1% of requests, the canary 2% or 5%; the release sets the weight and waits, its
 *       background analysis judging errors every {@code interval}. Measured: from the canary's first request to the
 *       rollback. Each rate is judged by the sequential guardrail and, in the same run, by a fixed limit the way Argo
 *       Rollouts and Flagger do it ({@code errorRate > 3%} over 1-minute measurements, failureLimit 0).</li>
 *   <li>{@code promote}: a healthy canary (1% like stable) through {@code stepWeights: [10, 25, 50, 75]}, each step
 *       ending when its analysis has passed three measurements. Measured: from the release's start to promotion.</li>
 * </ul>
 */
public final class ReleaseTiming {
    private static final String ADMIN = "bench.release.admin.token.0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DEFAULTS = Map.of("runs", "3", "rate", "100", "weight", "20",
            "interval", "2s", "limit", "300");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int rate;
    private final int weight;
    private final String interval;
    private final int limitSeconds;

    private ReleaseTiming(int rate, int weight, String interval, int limitSeconds) {
        this.rate = rate;
        this.weight = weight;
        this.interval = interval;
        this.limitSeconds = limitSeconds;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit("ReleaseTiming", args, DEFAULTS);
        int runs = options.number("runs", 1);
        var timing = new ReleaseTiming(options.number("rate", 1), options.number("weight", 1), options.text("interval"),
                options.number("limit", 10));
        System.out.printf("rate %d req/s, first weight %d%%, sequential interval %s, %d runs each%n", timing.rate,
                timing.weight, timing.interval, runs);
        System.out.println("| scenario | judge | seconds per run | median |");
        System.out.println("|---|---|---|---|");
        for (int canaryFailEvery : new int[] {20, 50}) {
            String scenario = "1% -> " + (100 / canaryFailEvery) + "% errors, to rollback";
            timing.report(scenario, "sequential guardrail", runs, () -> timing.detect(canaryFailEvery, sequential(timing.interval)));
            timing.report(scenario, "fixed limit 3%, 1m (Argo style)", 1, () -> timing.detect(canaryFailEvery, THRESHOLD));
        }
        timing.report("healthy canary, 4 steps, to promotion", "sequential guardrail, 3 passes a step", runs,
                timing::promote);
    }

    private interface Run {
        double seconds() throws Exception;
    }

    private void report(String scenario, String judge, int runs, Run run) throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            seconds.add(run.seconds());
        }
        List<String> shown = seconds.stream().map(s -> s.isInfinite() ? ">" + limitSeconds : String.format("%.1f", s)).toList();
        List<Double> sorted = seconds.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        System.out.printf("| %s | %s | %s | %s |%n", scenario, judge, String.join(", ", shown),
                median == Double.POSITIVE_INFINITY ? ">" + limitSeconds : String.format("%.1f", median));
    }

    private static String sequential(String interval) {
        return "{\"interval\":\"" + interval + "\",\"metrics\":[{\"name\":\"errors\",\"source\":\"gateway\",\"measure\":\"errorRate\"}]}";
    }

    private static final String THRESHOLD = "{\"interval\":\"1m\",\"minSamples\":1,\"metrics\":[{\"name\":\"errors\","
            + "\"source\":\"gateway\",\"measure\":\"errorRate\",\"judge\":\"threshold\",\"failAbove\":0.03}]}";

    /** Seconds from the canary's first request to the rollback; infinite when it did not come within the limit. */
    private double detect(int canaryFailEvery, String analysis) throws Exception {
        return withSetup(canaryFailEvery, setup -> {
            setup.post("/api/v1/releases", """
                    {"kind":"Release","name":"bench","target":{"route":"shop"},
                     "canary":{"steps":[{"setWeight":%d},{"pause":"1h"}],"analysis":%s}}""".formatted(weight, analysis));
            Instant end = setup.awaitEntry("rolled-back");
            Instant first = setup.canary.first.get();
            return end == null || first == null ? Double.POSITIVE_INFINITY : Duration.between(first, end).toMillis() / 1000.0;
        });
    }

    /** Seconds from the release's creation to its promotion. */
    private double promote() throws Exception {
        return withSetup(100, setup -> {
            Instant start = Instant.now();
            setup.post("/api/v1/releases", """
                    {"kind":"Release","name":"bench","target":{"route":"shop"},
                     "canary":{"stepWeights":[10,25,50,75],"stepAnalysis":{"interval":"%s","count":3,"minSamples":50,
                       "metrics":[{"name":"errors","source":"gateway","measure":"errorRate"}]}}}""".formatted(interval));
            Instant end = setup.awaitEntry("promoted");
            return end == null ? Double.POSITIVE_INFINITY : Duration.between(start, end).toMillis() / 1000.0;
        });
    }

    private interface Body {
        double run(Setup setup) throws Exception;
    }

    private double withSetup(int canaryFailEvery, Body body) throws Exception {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (TempDirectory work = TempDirectory.create("ramp-release-timing-");
             Backend stable = new Backend(100);
             Backend canary = new Backend(canaryFailEvery);
             RampServer server = RampServer.builder().port(0).adminToken(ADMIN).dataDirectory(work.resolve("data"))
                     .releaseTick(Duration.ofMillis(200)).start();
             Gateway gateway = Gateway.start(new InetSocketAddress("127.0.0.1", 0), GatewayLimits.defaults(), 1)) {
            Setup setup = new Setup(server.url(), canary);
            String token = setup.post("/api/v1/tokens", "{\"name\":\"edge\",\"scope\":\"gateway\"}").path("secret").asText();
            setup.post("/api/v1/routes", """
                    {"kind":"Route","name":"shop","match":{"pathPrefix":"/"},
                     "arms":[{"name":"stable","upstreams":["%s"]},{"name":"canary","upstreams":["%s"]}]}"""
                    .formatted(stable.address(), canary.address()));
            try (ServerLink link = ServerLink.start(URI.create(server.url()), token, "bench", gateway, Clock.systemUTC())) {
                URI target = URI.create("http://127.0.0.1:" + gateway.port() + "/");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (gateway.version() == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                long periodMicros = 1_000_000L / rate;
                pacer.scheduleAtFixedRate(() -> http.sendAsync(HttpRequest.newBuilder(target).build(),
                        HttpResponse.BodyHandlers.discarding()), 0, periodMicros, TimeUnit.MICROSECONDS);
                return body.run(setup);
            }
        } finally {
            pacer.shutdownNow();
            pacer.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The server's API and the canary backend of one run. */
    private final class Setup {
        private final String base;
        private final Backend canary;

        Setup(String base, Backend canary) {
            this.base = base;
            this.canary = canary;
        }

        JsonNode post(String path, String body) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(path + ": " + response.body());
            }
            return JSON.readTree(response.body());
        }

        /** When the release's timeline got an entry of {@code type}, polling every 100 ms; null past the limit. */
        Instant awaitEntry(String type) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
            while (System.nanoTime() < deadline) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base
                                + "/api/v1/releases/bench/timeline")).header("Authorization", "Bearer " + ADMIN).build(),
                        HttpResponse.BodyHandlers.ofString());
                for (JsonNode entry : JSON.readTree(response.body()).path("items")) {
                    if (entry.path("type").asText().equals(type)) {
                        return Instant.parse(entry.path("at").asText());
                    }
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return null;
        }
    }

    /** A backend that fails every {@code failEvery}-th request with 500 and notes its first request. */
    private static final class Backend implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();
        final AtomicReference<Instant> first = new AtomicReference<>();

        Backend(int failEvery) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.createContext("/", exchange -> {
                first.compareAndSet(null, Instant.now());
                int status = requests.incrementAndGet() % failEvery == 0 ? 500 : 200;
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
