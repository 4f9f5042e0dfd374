package dev.ramp.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on loopback that answers the client API as a test scripts it, to inject what a real Ramp server
 * never sends: a truncated document, a malformed event, a missing stream. It records each request's headers.
 */
final class ScriptedServer implements AutoCloseable {
    /** What {@code GET /api/client/features} answers. */
    record Document(int status, String etag, String body) {}

    /** One stream connection: the frames to send, then whether to hold the response open (until close) or end it. */
    record StreamScript(int status, List<String> frames, boolean holdOpen) {}

    private final HttpServer http;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Document document = new Document(404, "", "");
    private final BlockingQueue<StreamScript> streams = new LinkedBlockingQueue<>();
    final List<Map<String, List<String>>> featureRequests = new CopyOnWriteArrayList<>();
    final List<Map<String, List<String>>> streamRequests = new CopyOnWriteArrayList<>();
    final List<String> posts = new CopyOnWriteArrayList<>();

    ScriptedServer() {
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.setExecutor(executor);
        http.createContext("/api/client/features", this::features);
        http.createContext("/api/client/streaming", this::streaming);
        http.createContext("/api/client/", this::accept);
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    void serve(Document next) {
        document = next;
    }

    void script(StreamScript next) {
        streams.add(next);
    }

    private void features(HttpExchange exchange) throws IOException {
        featureRequests.add(Map.copyOf(exchange.getRequestHeaders()));
        Document now = document;
        String sent = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (now.status() == 200 && !now.etag().isEmpty() && now.etag().equals(sent)) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        byte[] body = now.body().getBytes(StandardCharsets.UTF_8);
        if (!now.etag().isEmpty()) {
            exchange.getResponseHeaders().add("ETag", now.etag());
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(now.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void streaming(HttpExchange exchange) throws IOException {
        streamRequests.add(Map.copyOf(exchange.getRequestHeaders()));
        StreamScript script = streams.poll();
        if (script == null) {
            script = new StreamScript(503, List.of(), false);
        }
        if (script.status() != 200) {
            exchange.sendResponseHeaders(script.status(), -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String frame : script.frames()) {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (script.holdOpen()) {
                closed.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away.
        }
    }

    private void accept(HttpExchange exchange) throws IOException {
        posts.add(exchange.getRequestURI().getPath() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
    }

    /** An SSE frame of Unleash's stream. */
    static String frame(long id, String event, String data) {
        return "id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n";
    }

    @Override
    public void close() {
        closed.countDown();
        http.stop(0);
        executor.shutdownNow();
    }
}
