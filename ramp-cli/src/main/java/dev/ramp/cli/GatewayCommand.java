package dev.ramp.cli;

import dev.ramp.core.route.Durations;
import dev.ramp.core.tls.TlsKeys;
import dev.ramp.gateway.AdminServer;
import dev.ramp.gateway.ConfigStatus;
import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.GatewayLimits;
import dev.ramp.gateway.RouteFileWatcher;
import dev.ramp.gateway.ServerLink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ramp gateway}: runs the traffic gateway until it is interrupted, with routes from a file (standalone) or
 * from a Ramp server (managed).
 */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the Ramp gateway: an HTTP/1.1 reverse proxy splitting each route between two arms.",
            "Standalone: --config FILE.yaml, reloaded when it changes. Managed: --server URL with a gateway token"
                    + " (--token, or RAMP_GATEWAY_TOKEN).",
            "Metrics at http://ADMIN-HOST:ADMIN-PORT/metrics. See docs/gateway.md."
        })
final class GatewayCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--config", description = "A routes file (YAML), reloaded when it changes.")
        Path config;

        @Option(names = "--server", split = ",", paramLabel = "URL[,URL...]", description = "A Ramp server's URL, to"
                + " take routes from and report to; several replicas' URLs, comma-separated, to move to the next when"
                + " one is unreachable.")
        List<URI> servers;
    }

    @Option(names = "--token", description = "The gateway token for --server (default: $RAMP_GATEWAY_TOKEN).")
    String token;

    @Option(names = "--id", description = "This gateway's name in reports (default: host name and port).")
    String id;

    @Option(names = "--port", defaultValue = "8080", description = "Proxy port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Proxy address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--admin-port", defaultValue = "9901", description = "Admin port for /metrics, /healthz and /routes;"
            + " 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--admin-host", defaultValue = "127.0.0.1", description = "Admin address (default: ${DEFAULT-VALUE}).")
    String adminHost;

    @Option(names = "--threads", defaultValue = "0", description = "Event loops; 0 is one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--reload-every", defaultValue = "1s", description = "How often --config is checked for changes (default: ${DEFAULT-VALUE}).")
    String reloadEvery;

    @Option(names = "--max-connections", description = "Client connections open at once (default: 10000).")
    Integer maxConnections;

    @Option(names = "--max-body-bytes", description = "Largest request body (default: 10485760).")
    Long maxBodyBytes;

    @Option(names = "--header-read-timeout", description = "Time for a request's headers to arrive (default: 10s).")
    String headerReadTimeout;

    @Option(names = "--response-header-timeout", description = "Time for an upstream to start answering (default: 30s).")
    String responseHeaderTimeout;

    @Mixin
    TlsOption tls = new TlsOption();

    private final Map<String, String> environment;

    GatewayCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        GatewayLimits limits = limits();
        Duration period = duration("--reload-every", reloadEvery);
        String secret = token != null ? token : environment.getOrDefault("RAMP_GATEWAY_TOKEN", "");
        if (source.servers != null && secret.isEmpty()) {
            throw new Main.InputRejected("--server needs a gateway token: --token or RAMP_GATEWAY_TOKEN");
        }
        Optional<TlsKeys> keys = tls.keys(environment);
        Gateway gateway;
        try {
            gateway = Gateway.start(new InetSocketAddress(address("--host", host), port), limits, threads, keys);
        } catch (RuntimeException e) {
            throw new Main.InputRejected("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        AutoCloseable feed;
        Supplier<ConfigStatus> status;
        if (source.config != null) {
            var watcher = RouteFileWatcher.start(source.config, gateway, period, Clock.systemUTC());
            feed = watcher;
            status = watcher::status;
        } else {
            String name = id != null ? id : InetAddress.getLocalHost().getHostName() + ":" + gateway.port();
            var link = ServerLink.start(source.servers, secret, name, gateway, Clock.systemUTC());
            feed = link;
            status = link::status;
        }
        AdminServer admin;
        try {
            admin = AdminServer.start(new InetSocketAddress(address("--admin-host", adminHost), adminPort), gateway, status);
        } catch (IOException e) {
            gateway.close();
            throw new Main.InputRejected("cannot listen on admin " + adminHost + ":" + adminPort + ": " + e.getMessage());
        }
        System.out.println("Ramp gateway listening on " + (keys.isPresent() ? "https://" : "http://") + host + ":" + gateway.port() + " (" + gateway.transport()
                + "), admin http://" + adminHost + ":" + admin.port() + "/metrics, routes from "
                + (source.config != null ? source.config : source.servers.stream().map(URI::toString)
                        .collect(java.util.stream.Collectors.joining(", "))));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Ramp gateway stopping");
            admin.close();
            // The gateway first: it stops listening and reports its last interval, which the link then sends.
            gateway.close();
            try {
                feed.close();
            } catch (Exception e) {
                System.err.println("ramp: stopping the route feed: " + e.getMessage());
            }
            stopped.countDown();
        }, "ramp-gateway-shutdown"));
        stopped.await();
        return 0;
    }

    private GatewayLimits limits() {
        GatewayLimits limits = GatewayLimits.defaults();
        try {
            if (maxConnections != null) {
                limits = limits.withMaxConnections(maxConnections);
            }
            if (maxBodyBytes != null) {
                limits = limits.withMaxBodyBytes(maxBodyBytes);
            }
            if (headerReadTimeout != null) {
                limits = limits.withHeaderReadTimeout(duration("--header-read-timeout", headerReadTimeout));
            }
            if (responseHeaderTimeout != null) {
                limits = limits.withResponseHeaderTimeout(duration("--response-header-timeout", responseHeaderTimeout));
            }
        } catch (IllegalArgumentException e) {
            throw new Main.InputRejected(e.getMessage());
        }
        return limits;
    }

    /** {@code text} as a duration above 0; a refusal names {@code option}. */
    static Duration duration(String option, String text) {
        return Durations.parse(text).filter(duration -> !duration.isZero()).orElseThrow(() ->
                new Main.InputRejected(option + ": must be a duration above 0 such as 500ms, 10s or 1m, got '" + text + "'"));
    }

    private static InetAddress address(String option, String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new Main.InputRejected(option + ": unknown host '" + text + "'");
        }
    }
}
