package dev.ramp.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP server on 127.0.0.1 standing in for one version of a service: it answers every request with
 * its name, the headers the gateway added and the body it was sent, with a status the test can change.
 */
final class Backend implements AutoCloseable {
    static {
        // The JDK server writes headers and body apart; without this, Nagle's algorithm holds the body ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final String name;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    /** Bytes of {@code /stream/N} answers written so far. */
    final java.util.concurrent.atomic.AtomicLong streamed = new java.util.concurrent.atomic.AtomicLong();
    /** Every request target this backend was sent, in no order. */
    final java.util.Set<String> targets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    volatile int status = 200;
    /** When positive, every {@code failEvery}-th request (by {@link #requests}) is answered 500, whatever {@link #status} says. */
    volatile int failEvery;
    /** While set, requests to {@code /hold} wait for it. */
    volatile java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(0);

    Backend(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", this::answer);
        server.setExecutor(threads);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            int request = requests.incrementAndGet();
            int failEvery = this.failEvery;
            int status = failEvery > 0 && request % failEvery == 0 ? 500 : this.status;
            byte[] received;
            try (InputStream in = exchange.getRequestBody()) {
                received = in.readAllBytes();
            }
            String path = exchange.getRequestURI().toString();
            targets.add(path);
            if (path.startsWith("/hold")) {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (path.startsWith("/health")) {
                send(exchange, status, "ok".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.startsWith("/headers")) {
                var lines = new StringBuilder(name);
                exchange.getRequestHeaders().forEach((header, values) -> lines.append('\n').append(header.toLowerCase(java.util.Locale.ROOT))
                        .append(": ").append(String.join(",", values)));
                send(exchange, status, lines.toString().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.startsWith("/stream/")) {
                long total = Long.parseLong(path.substring("/stream/".length()));
                exchange.sendResponseHeaders(200, 0);
                byte[] block = new byte[64 * 1024];
                try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent < total; sent += block.length) {
                        int size = (int) Math.min(block.length, total - sent);
                        for (int i = 0; i < size; i++) {
                            block[i] = (byte) ((sent + i) % 251);
                        }
                        out.write(block, 0, size);
                        streamed.addAndGet(size);
                    }
                }
                return;
            }
            if (path.startsWith("/echo")) {
                send(exchange, status, received);
                return;
            }
            var headers = exchange.getRequestHeaders();
            String body = name + " " + exchange.getRequestMethod() + " " + path
                    + " xff=" + headers.getFirst("X-Forwarded-For")
                    + " xfh=" + headers.getFirst("X-Forwarded-Host")
                    + " via=" + headers.getFirst("Via")
                    + " connection=" + headers.getFirst("Connection")
                    + " bytes=" + received.length;
            send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
