package dev.ramp.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The gateway's admin port: {@code GET /metrics} (Prometheus text), {@code GET /healthz} (200 once routes are
 * served, 503 before), and {@code GET /routes} (the routes served, their version, and the last config problem).
 * Bind it to loopback or a private network: it tells anyone who asks how traffic is split.
 */
public final class AdminServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ExecutorService threads;

    private AdminServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Starts the admin port for {@code gateway} at {@code address}; {@code status} says where the routes come from
     * and how the last load went, for {@code /routes}.
     */
    public static AdminServer start(InetSocketAddress address, Gateway gateway, Supplier<ConfigStatus> status) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "ramp-gateway-admin");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/metrics", exchange -> {
            var out = new ByteArrayOutputStream();
            gateway.writeMetrics(out);
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", out.toByteArray());
        });
        server.createContext("/healthz", exchange -> {
            boolean serving = gateway.version() > 0;
            send(exchange, serving ? 200 : 503, "text/plain; charset=utf-8",
                    (serving ? "serving routes version " + gateway.version() : "no routes loaded yet").concat("\n").getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/routes", exchange -> {
            var body = new LinkedHashMap<String, Object>();
            body.put("version", gateway.version());
            body.put("transport", gateway.transport());
            body.put("config", status.get());
            body.put("routes", gateway.routes());
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
        });
        server.start();
        return new AdminServer(server, threads);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
