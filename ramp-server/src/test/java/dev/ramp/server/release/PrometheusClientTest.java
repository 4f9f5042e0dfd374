package dev.ramp.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ramp.server.release.PrometheusClient.NoData;
import dev.ramp.server.release.PrometheusClient.QueryFailed;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Against a small HTTP server on 127.0.0.1 that answers what each test sets. */
class PrometheusClientTest {
    private static final Instant AT = Instant.parse("2024-05-01T12:00:00.250Z");
    private static final String QUERY = "sum(rate(ramp_gateway_requests_total{arm=\"canary\"}[1m]))";

    private HttpServer server;
    private ExecutorService threads;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Answer answer = exchange -> send(exchange, 200, vector("[]"));
    private volatile URI asked;
    private PrometheusClient client;

    @FunctionalInterface
    interface Answer {
        void to(HttpExchange exchange) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        threads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                asked = exchange.getRequestURI();
                answer.to(exchange);
            }
        });
        server.setExecutor(threads);
        server.start();
        client = new PrometheusClient(base(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    void query_scalar_returnsItsValue_askingTheInstantQueryAtTheInstant() {
        answer = exchange -> send(exchange, 200, """
                {"status":"success","data":{"resultType":"scalar","result":[1714564800.25,"0.125"]}}""");
        assertThat(client.query(QUERY, AT)).isEqualTo(0.125);
        assertThat(asked.getPath()).isEqualTo("/api/v1/query");
        assertThat(asked.getQuery()).isEqualTo("query=" + QUERY + "&time=1714564800.250");
    }

    @Test
    void query_vectorOfOneSeries_returnsItsValue() {
        answer = exchange -> send(exchange, 200, vector("""
                [{"metric":{"arm":"canary","route":"shop"},"value":[1714564800.25,"42"]}]"""));
        assertThat(client.query(QUERY, AT)).isEqualTo(42.0);
    }

    @Test
    void query_baseUrlWithAPathPrefix_keepsThePrefix() {
        answer = exchange -> send(exchange, 200, vector("[{\"metric\":{},\"value\":[0,\"1e3\"]}]"));
        var prefixed = new PrometheusClient(URI.create(base() + "/prometheus/"), Duration.ofSeconds(5));
        assertThat(prefixed.query("vector(1000)", Instant.ofEpochSecond(-1, 500_000_000))).isEqualTo(1000.0);
        assertThat(asked.getPath()).isEqualTo("/prometheus/api/v1/query");
        assertThat(asked.getQuery()).endsWith("&time=-0.500");
    }

    @Test
    void query_emptyVector_throwsNoDataNamingTheQuery() {
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(NoData.class)
                .hasMessage("query '" + QUERY + "' has no data at 2024-05-01T12:00:00.250Z: the result is an empty vector");
    }

    @Test
    void query_NaN_throwsNoData() {
        answer = exchange -> send(exchange, 200, vector("[{\"metric\":{},\"value\":[0,\"NaN\"]}]"));
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(NoData.class).hasMessageEndingWith(": the value is NaN");
        answer = exchange -> send(exchange, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[0,\"NaN\"]}}");
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(NoData.class).hasMessageEndingWith(": the value is NaN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+Inf", "-Inf"})
    void query_infinity_throwsQueryFailed(String infinity) {
        answer = exchange -> send(exchange, 200, vector("[{\"metric\":{},\"value\":[0,\"" + infinity + "\"]}]"));
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessage("query '" + QUERY + "' to " + base() + "/api/v1/query failed: the value is " + infinity);
    }

    @Test
    void query_severalSeries_throwsQueryFailedWithTheirCountAndFirstLabelSets() {
        var series = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            series.append(i == 0 ? "" : ",").append("{\"metric\":{\"arm\":\"a").append(i).append("\",\"route\":\"shop\"},\"value\":[0,\"1\"]}");
        }
        answer = exchange -> send(exchange, 200, vector(series.append(']').toString()));
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith(" failed: it must return one series, got 5: "
                        + "{arm=\"a0\", route=\"shop\"}, {arm=\"a1\", route=\"shop\"}, {arm=\"a2\", route=\"shop\"} and 2 more");
    }

    @Test
    void query_matrix_throwsQueryFailed() {
        answer = exchange -> send(exchange, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith(" failed: the result is a matrix; it must be an instant vector or a scalar");
    }

    @Test
    void query_errorStatus_throwsQueryFailedWithErrorTypeAndError() {
        answer = exchange -> send(exchange, 400, """
                {"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}""");
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessage("query '" + QUERY + "' to " + base() + "/api/v1/query failed: HTTP 400: bad_data: 1:5: parse error: unexpected end of input");
        answer = exchange -> send(exchange, 200, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out\"}");
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith(" failed: execution: query timed out");
    }

    @Test
    void query_httpErrorWithoutJson_throwsQueryFailedWithTheStatusAndBody() {
        answer = exchange -> send(exchange, 503, "Service Unavailable\n");
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith("/api/v1/query failed: HTTP 503: Service Unavailable");
    }

    @Test
    void query_unparsableJson_throwsQueryFailed() {
        answer = exchange -> send(exchange, 200, "<html>not prometheus</html>");
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith(" failed: the answer is not Prometheus JSON: <html>not prometheus</html>");
        answer = exchange -> send(exchange, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[0,1]}]}}");
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith(" failed: the answer's sample is not [time, \"value\"]: [0,1]");
        answer = exchange -> send(exchange, 200, vector("[{\"metric\":{},\"value\":[0,\"one\"]}]"));
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith(" failed: the answer's value is not a number: \"one\"");
    }

    @Test
    void query_noAnswerWithinTheTimeout_throwsQueryFailed() {
        answer = exchange -> await();
        var impatient = new PrometheusClient(base(), Duration.ofMillis(200));
        assertThatThrownBy(() -> impatient.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith("/api/v1/query failed: no answer within PT0.2S");
    }

    @Test
    void query_bodyStallingAfterTheHeaders_throwsQueryFailedWithinTheTimeout() {
        answer = exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("{\"status\":".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            await();
        };
        var impatient = new PrometheusClient(base(), Duration.ofMillis(200));
        assertThatThrownBy(() -> impatient.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith(" failed: no answer within PT0.2S");
    }

    @Test
    void query_connectionRefused_throwsQueryFailedNamingTheUrl() throws IOException {
        int closed;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        var unreachable = new PrometheusClient(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(5));
        assertThatThrownBy(() -> unreachable.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageStartingWith("query '" + QUERY + "' to http://127.0.0.1:" + closed + "/api/v1/query failed: cannot connect: ")
                .hasMessageMatching("(?i).*: connection refused");
    }

    @Test
    void query_answerOverOneMebibyte_throwsQueryFailedSayingSo() {
        answer = exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] spaces = " ".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 17; i++) {
                    out.write(spaces);
                }
            } catch (IOException closedByTheClient) {
                // The client stops reading at 1 MiB and closes the connection.
            }
        };
        assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                .hasMessageEndingWith(" failed: the answer is larger than 1048576 bytes (1 MiB), the most read");
    }

    @Test
    void query_interrupted_throwsQueryFailed_andKeepsTheInterrupt() {
        answer = exchange -> await();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> client.query(QUERY, AT)).isInstanceOf(QueryFailed.class)
                    .hasMessageEndingWith(" failed: interrupted while waiting for the answer");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void constructor_rejectsAUrlThatIsNotHttpAndATimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> new PrometheusClient(URI.create("ftp://127.0.0.1:9090"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'ftp://127.0.0.1:9090'");
        assertThatThrownBy(() -> new PrometheusClient(URI.create("http://127.0.0.1:9090/?x=1"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no query or fragment");
        assertThatThrownBy(() -> new PrometheusClient(URI.create("http://127.0.0.1:9090"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the Prometheus timeout must be positive, got PT0S");
    }

    @Test
    void expand_replacesEveryPlaceholder_escapingForADoubleQuotedString() {
        String template = "sum(rate(x{route=\"{{route}}\",arm=\"{{arm}}\"}[{{interval}}])) / {{arm}}";
        assertThat(PrometheusClient.expand(template, Map.of("route", "a\"b\\c", "arm", "canary", "interval", "5m", "unused", "x")))
                .isEqualTo("sum(rate(x{route=\"a\\\"b\\\\c\",arm=\"canary\"}[5m])) / canary");
        assertThat(PrometheusClient.expand("up{job=\"{{job}}\"}", Map.of("job", "two\nlines"))).isEqualTo("up{job=\"two\\nlines\"}");
        assertThat(PrometheusClient.expand("vector(1)", Map.of())).isEqualTo("vector(1)");
    }

    @Test
    void expand_unknownPlaceholder_throwsNamingIt() {
        assertThatThrownBy(() -> PrometheusClient.expand("x{arm=\"{{arm}}\",zone=\"{{zone}}\"}", Map.of("arm", "canary", "route", "shop")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown placeholder {{zone}} in 'x{arm=\"{{arm}}\",zone=\"{{zone}}\"}'; known: arm, route");
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static String vector(String result) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Holds the answer until the test ends. */
    private void await() {
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
