package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ramp.server.release.PrometheusClient;
import dev.ramp.server.release.PrometheusClient.NoData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a standalone gateway's admin port every second, and the PromQL that docs/gateway.md gives
 * for an arm's error ratio and p99 latency, put through {@link PrometheusClient}, agrees with what the backends
 * answered. Needs the {@code prometheus} binary: {@code -DPROMETHEUS_BIN}, the environment's {@code PROMETHEUS_BIN},
 * or Debian's {@code /usr/bin/prometheus}; without it the test is skipped, except with {@code CI=true} or a
 * {@code PROMETHEUS_BIN} that names no executable, where it fails.
 * Prometheus's log goes to {@code target/PrometheusIT-prometheus.log}.
 */
class PrometheusIT {
    static final String ERROR_RATIO = "sum(rate(ramp_gateway_responses_total{route=\"{{route}}\",arm=\"{{arm}}\",class=\"5xx\"}[{{interval}}]))"
            + " / sum(rate(ramp_gateway_requests_total{route=\"{{route}}\",arm=\"{{arm}}\"}[{{interval}}]))";
    static final String P99 = "histogram_quantile(0.99, sum by (le) (rate("
            + "ramp_gateway_request_duration_seconds_bucket{route=\"{{route}}\",arm=\"{{arm}}\"}[{{interval}}])))";
    private static final Path LOG = Path.of("target", "PrometheusIT-prometheus.log");
    private static final Pattern BUCKET = Pattern.compile(
            "ramp_gateway_request_duration_seconds_bucket\\{arm=\"canary\",route=\"shop\",le=\"([^\"]+)\"} (\\S+)");

    private Process prometheus;

    @AfterEach
    void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void errorRatioAndP99OfEachArm_queriedFromARealPrometheus_agreeWithWhatTheBackendsAnswered(@TempDir Path dir) throws Exception {
        Path binary = prometheusBinary();
        try (var stable = new Backend("stable"); var canary = new Backend("canary"); var fixture = new GatewayFixture()) {
            canary.failEvery = 10;
            Path routes = dir.resolve("routes.yaml");
            Files.writeString(routes, StandaloneIT.routes(stable, canary, "50"));
            try (var watcher = RouteFileWatcher.start(routes, fixture.gateway, Duration.ofMillis(50), Clock.systemUTC());
                 var admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.gateway, watcher::status)) {
                var client = new PrometheusClient(start(binary, dir, admin.port()), Duration.ofSeconds(5));
                String scrapes = "count_over_time(ramp_gateway_requests_total{route=\"shop\",arm=\"canary\"}[5m])";
                await().atMost(Duration.ofSeconds(30)).ignoreException(NoData.class).until(() -> client.query(scrapes, Instant.now()) >= 2);
                // Two scrapes at zero: rate() starts from them, and without traffic the ratio is 0/0.
                assertThatThrownBy(() -> client.query(query(ERROR_RATIO, "canary"), Instant.now()))
                        .isInstanceOf(NoData.class).hasMessageEndingWith(": the value is NaN");

                try (var load = new Load(fixture.uri("/"), 4, 400)) {
                    load.finish();
                    assertThat(load.failures).as("only the canary's every tenth").containsOnlyKeys("500");
                    assertThat(load.failed()).isEqualTo(canary.requests.get() / 10);
                }
                long total = stable.requests.get() + canary.requests.get();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        client.query("sum(ramp_gateway_requests_total{route=\"shop\"})", Instant.now()) == total
                                && client.query("sum(ramp_gateway_request_duration_seconds_count{route=\"shop\"})", Instant.now()) == total);

                Instant now = Instant.now();
                assertThat(client.query(query(ERROR_RATIO, "stable"), now)).isZero();
                double expectedRatio = (double) (canary.requests.get() / 10) / canary.requests.get();
                assertThat(client.query(query(ERROR_RATIO, "canary"), now)).isCloseTo(expectedRatio, within(1e-12));
                assertThatThrownBy(() -> client.query(query(ERROR_RATIO, "blue"), now)).isInstanceOf(NoData.class)
                        .hasMessageEndingWith(": the result is an empty vector");

                double[] bucket = p99Bucket(fixture.metrics());
                assertThat(client.query(query(P99, "canary"), now)).as("within the bucket of the 99th percentile, %s", Arrays.toString(bucket))
                        .isGreaterThan(bucket[0]).isLessThanOrEqualTo(bucket[1]);
            }
        }
    }

    @Test
    void release_judgedOnPromQLFromARealPrometheus_rollsBackTheFailingCanary(@TempDir Path dir) throws Exception {
        Path binary = prometheusBinary();
        String adminToken = "prometheus.test.admin.token.0123";
        try (var stable = new Backend("stable"); var canary = new Backend("canary"); var fixture = new GatewayFixture();
             var server = dev.ramp.server.RampServer.builder().port(0).adminToken(adminToken)
                     .dataDirectory(dir.resolve("server")).releaseTick(Duration.ofMillis(200)).start();
             var admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), fixture.gateway,
                     () -> new ConfigStatus("server", null, null, java.util.List.of()))) {
            canary.failEvery = 10;
            var api = new ServerApi(server.url(), adminToken);
            String token = api.send("POST", "/api/v1/tokens", "{\"name\":\"edge\",\"scope\":\"gateway\"}").path("secret").asText();
            api.send("POST", "/api/v1/routes", """
                    {"kind":"Route","name":"shop","arms":[{"name":"stable","upstreams":["%s"]},
                     {"name":"canary","upstreams":["%s"]}]}""".formatted(stable.address(), canary.address()));
            URI prometheusUrl = start(binary, dir, admin.port());
            try (var link = ServerLink.start(URI.create(server.url()), token, "edge-1", fixture.gateway, Clock.systemUTC());
                 var load = new Load(fixture.uri("/"), 2, 200_000)) {
                String ratio = ERROR_RATIO.replace("[{{interval}}]", "[10s]").replace("\"", "\\\"");
                api.send("POST", "/api/v1/releases", """
                        {"kind":"Release","name":"shop-v2","target":{"route":"shop"},
                         "canary":{"steps":[{"setWeight":50},{"analysis":{"interval":"2s","count":5,"noDataLimit":20,
                           "metrics":[{"name":"errors","source":"prometheus","url":"%s","query":"%s","failAbove":0.05}]}},
                           {"setWeight":100}]}}""".formatted(prometheusUrl, ratio));
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                        api.send("GET", "/api/v1/releases/shop-v2", null).path("phase").asText().equals("rolled-back"));
            }
            JsonNode failed = null;
            for (JsonNode entry : api.send("GET", "/api/v1/releases/shop-v2/timeline", null).path("items")) {
                if (entry.path("type").asText().equals("measurement") && entry.path("outcome").asText().equals("FAIL")) {
                    failed = entry;
                }
            }
            assertThat(failed).as("a failed measurement on the timeline").isNotNull();
            JsonNode evidence = failed.path("evidence").get(0);
            assertThat(evidence.path("metric").asText()).isEqualTo("errors");
            assertThat(evidence.path("canaryEstimate").asDouble()).as("every tenth canary request fails")
                    .isCloseTo(0.1, within(0.02));
            assertThat(evidence.path("bound").asDouble()).isEqualTo(0.05);
            assertThat(api.send("GET", "/api/v1/routes/shop", null).path("weight").asInt()).isZero();
        }
    }

    /** The server's admin API with the admin token; fails the test on a status other than 2xx. */
    private record ServerApi(String base, String token) {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
            return JSON.readTree(response.body());
        }
    }

    private static String query(String template, String arm) {
        return PrometheusClient.expand(template, Map.of("route", "shop", "arm", arm, "interval", "5m"));
    }

    /** The bounds of the canary's bucket that holds its 99th percentile, from a scrape of {@code /metrics}. */
    private static double[] p99Bucket(String metrics) {
        var counts = new TreeMap<Double, Double>();
        var bucket = BUCKET.matcher(metrics);
        while (bucket.find()) {
            counts.put(bucket.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bucket.group(1)), Double.parseDouble(bucket.group(2)));
        }
        assertThat(counts).as("the canary's buckets in\n%s", metrics).isNotEmpty();
        double rank = 0.99 * counts.lastEntry().getValue();
        double lower = 0;
        for (var upTo : counts.entrySet()) {
            if (upTo.getValue() >= rank) {
                return new double[] {lower, upTo.getKey()};
            }
            lower = upTo.getKey();
        }
        throw new AssertionError("no bucket reaches the 99th percentile: " + counts);
    }

    /** Starts Prometheus scraping the admin port every second; its URL once it is ready. */
    private URI start(Path binary, Path dir, int adminPort) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: ramp-gateway
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(adminPort));
        int port = freePort();
        Files.createDirectories(LOG.getParent());
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(LOG.toFile()).start();
        URI url = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!prometheus.isAlive()) {
                fail("prometheus exited with " + prometheus.exitValue() + ":\n" + Files.readString(LOG));
            }
            try {
                return http.send(HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYetListening) {
                return false;
            }
        });
        return url;
    }

    private static Path prometheusBinary() {
        String configured = System.getProperty("PROMETHEUS_BIN", System.getenv("PROMETHEUS_BIN"));
        Path binary = Path.of(configured == null ? "/usr/bin/prometheus" : configured);
        if (!Files.isExecutable(binary)) {
            String message = "no prometheus binary at " + binary + "; install Debian's prometheus package or set PROMETHEUS_BIN";
            if ("true".equals(System.getenv("CI")) || configured != null) {
                fail(message);
            }
            System.err.println("[PrometheusIT] SKIPPED: " + message);
            assumeTrue(false, message);
        }
        return binary;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
