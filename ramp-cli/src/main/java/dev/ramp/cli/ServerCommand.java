package dev.ramp.cli;

import dev.ramp.server.RampServer;
import dev.ramp.server.route.GatewayReports;
import dev.ramp.server.store.StoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ramp server}: runs the control plane until it is interrupted (Ctrl-C or SIGTERM), then drains and stops. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the Ramp server: admin API (/api/v1), Unleash client API (/api/client), OFREP (/ofrep/v1).",
            "Environment: RAMP_ADMIN_TOKEN (the bootstrap admin token), RAMP_DATABASE_URL, RAMP_DATABASE_USER,"
                    + " RAMP_DATABASE_PASSWORD, RAMP_WEBHOOK_SECRET (signs release webhooks; at least 16 characters),"
                    + " RAMP_WEBHOOK_SECRET_PREVIOUS (also signs them while receivers move to a new secret),"
                    + " RAMP_TLS_KEY_STORE_PASSWORD."
        })
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "4242", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data-dir", defaultValue = "ramp-data",
            description = "Directory of the SQLite database ramp.db, created when missing (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--database-url", description = "A jdbc:postgresql:// URL: use PostgreSQL instead of SQLite. Any"
            + " number of servers can share one PostgreSQL database (see docs/scaling.md).")
    String databaseUrl;

    @Option(names = "--database-pool-size", defaultValue = "8", description = "PostgreSQL connections to pool, from 2 to"
            + " 100 (default: ${DEFAULT-VALUE}); the server holds 3 more of its own.")
    int databasePoolSize;

    @Option(names = "--report-retention", defaultValue = "24h", description = "How long gateways' traffic reports are"
            + " kept, at least 1h (default: ${DEFAULT-VALUE}); a gateway adds a row per route arm every second. Replicas"
            + " should agree: each prunes with its own.")
    String reportRetention;

    @Option(names = "--cors-origin", split = ",", paramLabel = "ORIGIN", description = "A web origin such as"
            + " https://shop.example.com whose pages may call OFREP (/ofrep/v1) from a browser; repeat it or separate"
            + " origins with commas, * for any. None by default.")
    List<String> corsOrigins = List.of();

    @Mixin
    TlsOption tls = new TlsOption();

    private final Map<String, String> environment;

    ServerCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        String url = databaseUrl != null ? databaseUrl : environment.getOrDefault("RAMP_DATABASE_URL", "");
        java.time.Duration retention = GatewayCommand.duration("--report-retention", reportRetention);
        if (retention.compareTo(GatewayReports.MAX_WINDOW) < 0) {
            throw new Main.InputRejected("--report-retention: must be at least 1h, the longest window a release reads,"
                    + " got " + reportRetention);
        }
        List<String> secrets = webhookSecrets();
        RampServer.Builder settings = RampServer.builder();
        tls.keys(environment).ifPresent(settings::tls);
        RampServer server;
        try {
            server = settings
                    .host(host)
                    .port(port)
                    .dataDirectory(dataDirectory)
                    .databaseUrl(url)
                    .databasePoolSize(databasePoolSize)
                    .reportRetention(retention)
                    .databaseCredentials(environment.getOrDefault("RAMP_DATABASE_USER", ""),
                            environment.getOrDefault("RAMP_DATABASE_PASSWORD", ""))
                    .adminToken(environment.getOrDefault("RAMP_ADMIN_TOKEN", ""))
                    .corsOrigins(corsOrigins)
                    .webhookSecrets(secrets)
                    .announce(System.out::println)
                    .start();
        } catch (IllegalArgumentException | StoreException e) {
            throw new Main.InputRejected(e.getMessage());
        } catch (RuntimeException e) {
            throw new Main.InputRejected("cannot start the server: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Ramp server stopping: draining requests and closing streams");
            server.close();
            stopped.countDown();
        }, "ramp-shutdown"));
        stopped.await();
        return 0;
    }

    /** The current webhook secret, then the previous one, each only when set. */
    private List<String> webhookSecrets() {
        List<String> secrets = new ArrayList<>();
        for (String name : List.of("RAMP_WEBHOOK_SECRET", "RAMP_WEBHOOK_SECRET_PREVIOUS")) {
            String secret = environment.getOrDefault(name, "");
            if (!secret.isEmpty() && secret.length() < 16) {
                throw new Main.InputRejected(name + ": must be at least 16 characters, got " + secret.length());
            }
            if (!secret.isEmpty()) {
                secrets.add(secret);
            }
        }
        return secrets;
    }
}
