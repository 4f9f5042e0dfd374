package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server link given several servers, against stand-ins for Ramp servers on loopback that stream one route and
 * record the reports they are sent: which server it follows, where reports go when one cannot take them, and the
 * last report on close.
 */
class ServerLinkIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void theFirstServerUnreachable_theLinkFollowsTheNext_andReportsThere() throws Exception {
        Backend backend = opened(new Backend("v1"));
        Stub live = opened(new Stub(backend, 204));
        GatewayFixture fixture = opened(new GatewayFixture());
        ServerLink link = opened(ServerLink.start(List.of(deadServer(), live.uri()), "token", "edge-1", fixture.gateway,
                Clock.systemUTC()));

        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.gateway.version() == 7);
        assertThat(link.status().source()).isEqualTo(live.uri().toString());
        assertThat(fixture.get("/shop").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.requestsReported() == 1);
    }

    @Test
    void aReportTheFollowedServerCannotTake_goesToTheNext_andTheStreamStays() throws Exception {
        Backend backend = opened(new Backend("v1"));
        Stub unwell = opened(new Stub(backend, 503));
        Stub well = opened(new Stub(backend, 204));
        GatewayFixture fixture = opened(new GatewayFixture());
        ServerLink link = opened(ServerLink.start(List.of(unwell.uri(), well.uri()), "token", "edge-1", fixture.gateway,
                Clock.systemUTC()));
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.gateway.version() == 7);

        for (int i = 0; i < 3; i++) {
            assertThat(fixture.get("/shop").statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> well.requestsReported() == 3);
        assertThat(unwell.reports).as("each report was offered to the followed server first").isNotEmpty();
        assertThat(link.status().source()).as("the route stream still comes from the first").isEqualTo(unwell.uri().toString());
    }

    @Test
    void closing_reportsWhatWasServedSinceTheLastReport() throws Exception {
        Backend backend = opened(new Backend("v1"));
        Stub server = opened(new Stub(backend, 204));
        GatewayFixture fixture = opened(new GatewayFixture());
        ServerLink link = ServerLink.start(server.uri(), "token", "edge-1", fixture.gateway, Clock.systemUTC());
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.gateway.version() == 7);

        for (int i = 0; i < 5; i++) {
            assertThat(fixture.get("/shop").statusCode()).isEqualTo(200);
        }
        link.close();

        assertThat(server.requestsReported()).as("reported by the time close returns").isEqualTo(5);
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** A loopback URL nothing listens on. */
    private static URI deadServer() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    /** Stands in for a Ramp server: streams one route (version 7) to the backend, answers reports with a status. */
    private static final class Stub implements AutoCloseable {
        final List<JsonNode> reports = new CopyOnWriteArrayList<>();
        private final HttpServer server;
        private final java.util.concurrent.ExecutorService threads = Executors.newCachedThreadPool();
        private final CountDownLatch closing = new CountDownLatch(1);

        Stub(Backend backend, int reportStatus) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.setExecutor(threads);
            byte[] routes = ("event: routes\ndata: {\"version\":7,\"routes\":[{\"name\":\"shop\",\"match\":{\"pathPrefix\":"
                    + "\"/shop\"},\"arms\":[{\"name\":\"stable\",\"upstreams\":[\"" + backend.address() + "\"]},"
                    + "{\"name\":\"canary\",\"upstreams\":[\"" + backend.address() + "\"]}]}]}\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            server.createContext("/api/gateway/routes/stream", exchange -> stream(exchange, routes));
            server.createContext("/api/gateway/reports", exchange -> {
                try (exchange) {
                    reports.add(JSON.readTree(exchange.getRequestBody()));
                    exchange.sendResponseHeaders(reportStatus, -1);
                }
            });
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        /** Requests counted in the reports it was sent, over every arm. */
        long requestsReported() {
            long total = 0;
            for (JsonNode report : reports) {
                for (JsonNode arm : report.path("arms")) {
                    total += arm.path("requests").asLong();
                }
            }
            return total;
        }

        private void stream(HttpExchange exchange, byte[] routes) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(routes);
            out.flush();
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        }

        @Override
        public void close() {
            closing.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
