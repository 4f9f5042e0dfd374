package dev.ramp.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ramp.core.route.GatewayReport;
import dev.ramp.core.route.RouteDefinition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Managed mode: the gateway takes its routes from a Ramp server and reports to it. It holds the server's
 * Server-Sent Events stream {@code GET /api/gateway/routes/stream} open; each {@code routes} event carries every
 * route and a version, and is applied whole when its version is newer than the one served. When the stream breaks,
 * the gateway keeps serving the last good routes and reconnects with back-off, from 1 s up to 30 s. Every second it
 * posts a {@link GatewayReport} of each arm's figures to {@code POST /api/gateway/reports}.
 *
 * <p>Given several servers (replicas on one database), it follows one at a time, the first to begin with. When that
 * one's stream breaks, it moves to the next at once, and backs off only once every server has failed in a row. A
 * report that fails is sent once more, to the next server: a report sent twice for the same interval replaces the
 * first, so a retry never counts twice.
 */
public final class ServerLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLink.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** The body of a {@code routes} event and of {@code GET /api/gateway/routes}. */
    record Snapshot(long version, List<RouteDefinition> routes) {
        Snapshot {
            routes = routes == null ? List.of() : routes;
        }
    }

    /** How long one report may take to be answered. */
    static final Duration REPORT_TIMEOUT = Duration.ofSeconds(2);
    /** The longest {@link #close} waits for the last report: one post to the followed server and one to the next. */
    static final Duration LAST_REPORT_WAIT = REPORT_TIMEOUT.multipliedBy(2).plusSeconds(1);

    private final List<URI> servers;
    /** The index in {@link #servers} of the server followed and reported to now. */
    private volatile int current;
    private final String token;
    private final String id;
    private final Gateway gateway;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService reports;
    private final Thread stream;
    private volatile boolean closed;
    private volatile InputStream open;
    /** The report sent last, which {@link #close} waits for. */
    private volatile java.util.concurrent.CompletableFuture<?> lastSent = java.util.concurrent.CompletableFuture.completedFuture(null);
    private volatile ConfigStatus status;

    private ServerLink(List<URI> servers, String token, String id, Gateway gateway, Clock clock) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a server link needs at least one server");
        }
        this.servers = List.copyOf(servers);
        this.token = token;
        this.id = id;
        this.gateway = gateway;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.status = new ConfigStatus(server().toString(), null, null, List.of());
        this.reports = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "ramp-gateway-reports"));
        this.stream = daemon(this::follow, "ramp-gateway-routes");
    }

    /** Connects {@code gateway} to the server at {@code server} with a gateway token, as gateway {@code id}. */
    public static ServerLink start(URI server, String token, String id, Gateway gateway, Clock clock) {
        return start(List.of(server), token, id, gateway, clock);
    }

    /** Connects {@code gateway} to one of {@code servers}, replicas of one Ramp server, the first to begin with. */
    public static ServerLink start(List<URI> servers, String token, String id, Gateway gateway, Clock clock) {
        var link = new ServerLink(servers, token, id, gateway, clock);
        link.stream.start();
        gateway.onReport(report -> link.reports.execute(() -> link.send(report)));
        return link;
    }

    public ConfigStatus status() {
        return status;
    }

    /** The server followed and reported to now. */
    private URI server() {
        return servers.get(current);
    }

    /** Moves the route stream on to the next server; only {@link #follow} does. */
    private void moveOn() {
        if (servers.size() > 1) {
            URI failed = server();
            current = (current + 1) % servers.size();
            LOG.warn("moving from {} to {}", failed, server());
        }
    }

    private void follow() {
        Duration backoff = Duration.ofSeconds(1);
        int failedInARow = 0;
        while (!closed) {
            URI server = server();
            try {
                var request = HttpRequest.newBuilder(server.resolve("/api/gateway/routes/stream"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream")
                        .GET().build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                    throw new IOException("the server answered " + response.statusCode() + ": " + body.strip());
                }
                open = response.body();
                if (read(response.body()) > 0) {
                    // Only a stream that carried routes counts as a success: one that ends at once must not spin.
                    backoff = Duration.ofSeconds(1);
                    failedInARow = 0;
                }
                if (!closed) {
                    LOG.warn("the route stream from {} ended; reconnecting", server);
                }
            } catch (IOException e) {
                if (!closed) {
                    failed(List.of("cannot follow " + server + ": " + e.getMessage()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (closed) {
                return;
            }
            moveOn();
            if (++failedInARow % servers.size() != 0) {
                continue;
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Reads Server-Sent Events until the stream ends, applying each {@code routes} event; returns how many there were. */
    private int read(InputStream body) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String event = "message";
        var data = new StringBuilder();
        String line;
        int routes = 0;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if ("routes".equals(event) && !data.isEmpty()) {
                    apply(data.toString());
                    routes++;
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
            }
        }
        return routes;
    }

    private void apply(String json) {
        Snapshot snapshot;
        try {
            snapshot = JSON.readValue(json, Snapshot.class);
        } catch (IOException e) {
            gateway.unreadableConfig();
            failed(List.of("the server sent routes that cannot be read: " + e.getMessage()));
            return;
        }
        if (snapshot.version() <= gateway.version()) {
            return;
        }
        var problems = gateway.apply(snapshot.routes(), snapshot.version());
        if (!problems.isEmpty()) {
            failed(problems.stream().map(Object::toString).toList());
            return;
        }
        status = new ConfigStatus(server().toString(), clock.instant(), null, List.of());
        LOG.info("serving {} route(s) from {} (version {})", snapshot.routes().size(), server(), snapshot.version());
    }

    private void failed(List<String> problems) {
        status = new ConfigStatus(server().toString(), status.loadedAt(), clock.instant(), problems);
        LOG.error("routes from {} refused; still serving version {}:\n  {}", server(), gateway.version(), String.join("\n  ", problems));
    }

    /** Sends one second's report; the answer, or a completed future when there is nothing to send. */
    private java.util.concurrent.CompletableFuture<?> send(GatewayReport second) {
        if (second.arms().isEmpty() || closed) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(new GatewayReport(id, second.from(), second.to(), second.arms()));
        } catch (IOException e) {
            LOG.warn("cannot write a report: {}", e.getMessage());
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        int followed = current;
        var sending = post(servers.get(followed), body).thenCompose(sent -> sent || servers.size() == 1
                ? java.util.concurrent.CompletableFuture.completedFuture(sent)
                : post(servers.get((followed + 1) % servers.size()), body));
        lastSent = sending;
        return sending;
    }

    /** Posts a report to {@code server}; whether it got there (a refusal counts: sending it again would not help). */
    private java.util.concurrent.CompletableFuture<Boolean> post(URI server, byte[] body) {
        var request = HttpRequest.newBuilder(server.resolve("/api/gateway/reports"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(REPORT_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                LOG.debug("report to {} failed: {}", server, failure.getMessage());
                return false;
            }
            if (response.statusCode() >= 500) {
                LOG.warn("{} could not take a report ({}): {}", server, response.statusCode(), response.body());
                return false;
            }
            if (response.statusCode() >= 300) {
                LOG.warn("the server refused a report ({}): {}", response.statusCode(), response.body());
            }
            return true;
        });
    }

    /**
     * Stops following and reporting. The gateway's last partial second is reported first (nothing more when the
     * gateway is closed already: it reported its last on the way), and the last report sent is waited for, up to
     * {@link #LAST_REPORT_WAIT}, so that a gateway stopped once its traffic has drained, for a restart say, leaves
     * none of its requests out of the server's totals.
     */
    @Override
    public void close() {
        gateway.reportNow();
        reports.shutdown();
        try {
            if (reports.awaitTermination(LAST_REPORT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                lastSent.get(LAST_REPORT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("the last report did not reach {}: {}", server(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        gateway.onReport(report -> { });
        reports.shutdownNow();
        stream.interrupt();
        InputStream body = open;
        if (body != null) {
            try {
                body.close();
            } catch (IOException e) {
                LOG.debug("closing the route stream: {}", e.getMessage());
            }
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
