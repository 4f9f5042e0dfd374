package dev.ramp.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ramp.core.eval.Context;
import dev.ramp.sdk.RampClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One version of the demo's shop: an HTTP service on 127.0.0.1 that answers {@code /checkout} after a latency and
 * fails a share of its requests with 500. Each checkout is also what an application wired to Ramp does: it asks the
 * SDK whether {@link Demo#FLAG} is on for the user and tracks {@link Demo#CHECKOUT_FAILED} (1 when it failed, 0
 * when not), the event the flag's release is judged on.
 */
final class SyntheticService implements AutoCloseable {
    /**
     * How a version behaves.
     *
     * @param version   its name, answered in the {@code X-Version} header
     * @param errorRate the share of requests answered 500
     * @param latency   the median latency; each answer takes it times a log-normal factor (σ 0.25)
     */
    record Behaviour(String version, double errorRate, Duration latency) {}

    /** The header that names the user, which the gateway splits on and the service evaluates the flag for. */
    static final String USER_HEADER = "X-User-Id";

    private final Behaviour behaviour;
    private final Random random;
    private final RampClient app;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor();

    /** Starts the service on a free port; {@code app} is the SDK client its checkouts evaluate and track with. */
    static {
        // Without it the JDK's server writes headers and body in two packets that Nagle's algorithm and delayed
        // ACKs hold back by about 40 ms, which would add to every version's latency alike. Read when the JDK's
        // server class is first used, so set before any.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    SyntheticService(Behaviour behaviour, long seed, RampClient app) throws IOException {
        this.behaviour = behaviour;
        this.random = new Random(seed);
        this.app = app;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /** {@code host:port}, as a route's upstream. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String user = exchange.getRequestHeaders().getFirst(USER_HEADER);
        boolean failed = random.nextDouble() < behaviour.errorRate();
        String flow = "classic";
        if (user != null) {
            Context context = Context.ofUser(user);
            flow = app.isEnabled(Demo.FLAG, context) ? "new" : "classic";
            app.track(Demo.CHECKOUT_FAILED, context, failed ? 1 : 0);
        }
        long micros = (long) (behaviour.latency().toNanos() / 1000.0 * Math.exp(0.25 * random.nextGaussian()));
        String body = "{\"version\":\"" + behaviour.version() + "\",\"flow\":\"" + flow + "\"}\n";
        // The answer waits on a timer, not on a handler thread, so a slow version needs no more threads.
        answers.schedule(() -> answer(exchange, failed ? 500 : 200, body), micros, TimeUnit.MICROSECONDS);
    }

    private void answer(HttpExchange exchange, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Version", behaviour.version());
            exchange.sendResponseHeaders(status, bytes.length);
            out.write(bytes);
        } catch (IOException e) {
            // The gateway gave up on this request (it timed out or the demo is ending): nothing is left to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        answers.shutdownNow();
        handlers.shutdownNow();
    }
}
