package dev.ramp.server;

import dev.ramp.core.tls.TlsKeys;
import dev.ramp.server.auth.Principal;
import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.experiment.Experiments;
import dev.ramp.server.http.HttpApi;
import dev.ramp.server.http.Routes;
import dev.ramp.server.release.Releases;
import dev.ramp.server.replica.ChangeListener;
import dev.ramp.server.replica.Leadership;
import dev.ramp.server.route.GatewayReports;
import dev.ramp.server.route.RouteRegistry;
import dev.ramp.server.state.Catalog;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.PostgresFlagStore;
import dev.ramp.server.store.SqliteFlagStore;
import dev.ramp.server.store.TokenScope;
import dev.ramp.server.stream.ChangeFeed;
import dev.ramp.server.stream.RouteFeed;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Ramp server. Build one with {@link #builder()}, then {@link #start()}; {@link #close()} drains requests,
 * ends the streams and closes the database.
 *
 * <pre>{@code
 * try (RampServer server = RampServer.builder().dataDirectory(Path.of("ramp-data")).port(4242).start()) {
 *     server.awaitShutdown();
 * }
 * }</pre>
 */
public final class RampServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RampServer.class);
    /** The longest a replica waits for another's change when the database's notice of it is lost. */
    static final Duration REPLICA_POLL = Duration.ofSeconds(1);
    /** A replica that has not caught up for longer answers {@code /health} with 503. */
    static final Duration REPLICA_IN_STEP = Duration.ofSeconds(10);
    /** The name of the token created at first start. */
    public static final String BOOTSTRAP_TOKEN_NAME = "bootstrap-admin";

    private final FlagStore store;
    private final ChangeFeed feed;
    private final RouteFeed routeFeed;
    private final RouteRegistry routeRegistry;
    private final GatewayReports reports;
    private final Experiments experiments;
    private final Releases releases;
    private final HttpApi http;
    private final ControlPlane plane;
    private final Optional<String> bootstrapSecret;
    private final String host;
    /** Whether it listens for HTTPS. */
    private final boolean secure;
    /** Brings the changes of other replicas on the same PostgreSQL database; null on SQLite. */
    private final ChangeListener changes;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private RampServer(FlagStore store, ChangeFeed feed, RouteFeed routeFeed, RouteRegistry routeRegistry,
                       GatewayReports reports, Experiments experiments, Releases releases, HttpApi http,
                       ControlPlane plane, Optional<String> bootstrapSecret, String host, boolean secure,
                       ChangeListener changes) {
        this.changes = changes;
        this.secure = secure;
        this.releases = releases;
        this.routeFeed = routeFeed;
        this.routeRegistry = routeRegistry;
        this.reports = reports;
        this.experiments = experiments;
        this.host = host;
        this.store = store;
        this.feed = feed;
        this.http = http;
        this.plane = plane;
        this.bootstrapSecret = bootstrapSecret;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on. */
    public int port() {
        return http.port();
    }

    /** The base URL, such as {@code http://127.0.0.1:4242} ({@code https://} with TLS). */
    public String url() {
        return (secure ? "https://" : "http://") + displayHost(host) + ":" + port();
    }

    /**
     * The admin token created at this start because the database had none: generated (and to be shown to the
     * operator once) or taken from {@link Builder#adminToken}. Empty when admin tokens existed already.
     */
    public Optional<String> bootstrapToken() {
        return bootstrapSecret;
    }

    /** The control plane, for embedding (the demo and tests drive it directly). */
    public ControlPlane controlPlane() {
        return plane;
    }

    public List<Routes.Route> routes() {
        return http.routes();
    }

    /** The routes gateways serve, for embedding (the release controller moves them). */
    public RouteRegistry routeRegistry() {
        return routeRegistry;
    }

    /** What gateways reported, for embedding (the release controller reads it). */
    public GatewayReports gatewayReports() {
        return reports;
    }

    /** The release controller, for embedding (tests on a fake clock call its {@code tick()}). */
    public Releases releases() {
        return releases;
    }

    /** SDK streams connected now. */
    public int streams() {
        return feed.connections();
    }

    /** Gateway streams connected now. */
    public int gatewayStreams() {
        return routeFeed.connections();
    }

    /** Ends the streams, drains requests in flight and closes the database; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (changes != null) {
            changes.close();
        }
        releases.close();
        feed.close();
        routeFeed.close();
        try {
            http.close();
        } finally {
            try {
                experiments.close();
            } finally {
                store.close();
            }
        }
    }

    private static String displayHost(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** {@link ThreadLocalRandom} of whichever thread asks; capturing {@code current()} once would share one thread's seed. */
    private static final RandomGenerator PER_THREAD = () -> ThreadLocalRandom.current().nextLong();

    /** Settings of a server; each rejects a bad value at once. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 4242;
        private Path dataDirectory = Path.of("ramp-data");
        private String databaseUrl = "";
        private String databaseUser = "";
        private String databasePassword = "";
        private int databasePoolSize = PostgresFlagStore.DEFAULT_POOL_SIZE;
        private String adminToken = "";
        private InstantSource clock = InstantSource.system();
        private RandomGenerator random = PER_THREAD;
        private long heartbeatMillis = 15_000;
        private Duration reportRetention = GatewayReports.DEFAULT_RETENTION;
        private Duration releaseTick = Duration.ofSeconds(1);
        private Consumer<String> announce = line -> { };
        private List<String> corsOrigins = List.of();
        private List<String> webhookSecrets = List.of();
        private Optional<TlsKeys> tls = Optional.empty();

        private Builder() {}

        /** The address to listen on; {@code 127.0.0.1} by default, {@code 0.0.0.0} for every interface. */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** The port; {@code 0} picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, got " + value);
            }
            this.port = value;
            return this;
        }

        /** Where the SQLite database lives ({@code DIR/ramp.db}) when no database URL is given. */
        public Builder dataDirectory(Path value) {
            this.dataDirectory = Objects.requireNonNull(value, "dataDirectory");
            return this;
        }

        /** A {@code jdbc:postgresql://} URL: use PostgreSQL instead of SQLite. */
        public Builder databaseUrl(String value) {
            this.databaseUrl = Objects.requireNonNull(value, "databaseUrl");
            return this;
        }

        /**
         * PostgreSQL connections this server pools, at most: {@value PostgresFlagStore#DEFAULT_POOL_SIZE} by default,
         * from 2 to 100. Each server holds three more of its own; with several replicas, the database's
         * {@code max_connections} must cover (pool size + 3) per replica.
         */
        public Builder databasePoolSize(int value) {
            if (value < 2 || value > 100) {
                throw new IllegalArgumentException("databasePoolSize must be from 2 to 100, got " + value);
            }
            this.databasePoolSize = value;
            return this;
        }

        public Builder databaseCredentials(String user, String password) {
            this.databaseUser = Objects.requireNonNull(user, "user");
            this.databasePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The secret of the bootstrap admin token, used when the database has no admin token yet. */
        public Builder adminToken(String value) {
            this.adminToken = Objects.requireNonNull(value, "adminToken");
            if (!value.isEmpty() && value.length() < 16) {
                throw new IllegalArgumentException("the admin token must be at least 16 characters, got " + value.length());
            }
            return this;
        }

        public Builder clock(InstantSource value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The randomness behind strategy ids and {@code random} stickiness in OFREP evaluations, used from many
         * threads; {@link ThreadLocalRandom} by default. Token secrets always come from {@link java.security.SecureRandom}.
         */
        public Builder random(RandomGenerator value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** How often idle streams get a keep-alive comment; Unleash SDKs reconnect after 60 s of silence. */
        public Builder heartbeatMillis(long value) {
            if (value < 10 || value > 50_000) {
                throw new IllegalArgumentException("heartbeatMillis must be from 10 to 50000, got " + value);
            }
            this.heartbeatMillis = value;
            return this;
        }

        /** How long gateways' traffic reports are kept: 24 hours by default, at least a minute. */
        public Builder reportRetention(Duration value) {
            Objects.requireNonNull(value, "reportRetention");
            if (value.compareTo(GatewayReports.MAX_INTERVAL) < 0) {
                throw new IllegalArgumentException("reportRetention must be at least " + GatewayReports.MAX_INTERVAL
                        + ", got " + value);
            }
            this.reportRetention = value;
            return this;
        }

        /**
         * How often the release controller decides: 1 second by default. {@link Duration#ZERO} starts no controller
         * thread: the embedding code calls {@code releases().tick()} itself (tests on a fake clock do).
         */
        public Builder releaseTick(Duration value) {
            Objects.requireNonNull(value, "releaseTick");
            if (value.isNegative() || (!value.isZero() && value.toMillis() < 10) || value.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("releaseTick must be 0 (no thread) or from 10ms to 1m, got " + value);
            }
            this.releaseTick = value;
            return this;
        }

        /**
         * The web origins ({@code https://shop.example.com}, or {@code *} for any) whose pages may call OFREP from a
         * browser; none by default, so browsers allow only pages this server serves. The other APIs never answer
         * other origins.
         */
        public Builder corsOrigins(List<String> value) {
            List<String> origins = List.copyOf(value);
            for (String origin : origins) {
                Optional<String> problem = originProblem(origin);
                if (problem.isPresent()) {
                    throw new IllegalArgumentException("the CORS origin '" + origin + "' " + problem.get());
                }
            }
            this.corsOrigins = origins;
            return this;
        }

        /** Why {@code origin} is not {@code *} or a {@code scheme://host[:port]} origin; empty when it is one. */
        private static Optional<String> originProblem(String origin) {
            if (origin.equals("*")) {
                return Optional.empty();
            }
            try {
                java.net.URI uri = new java.net.URI(origin);
                if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                    return Optional.of("is not an http or https origin such as https://shop.example.com");
                }
                if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null
                        || uri.getRawUserInfo() != null) {
                    return Optional.of("must be scheme://host[:port] only, without a path, query or user");
                }
                return Optional.empty();
            } catch (java.net.URISyntaxException e) {
                return Optional.of("is not an origin: " + e.getReason());
            }
        }

        /** Listens for HTTPS only, with the key and certificate chain of {@code value}; plain HTTP by default. */
        public Builder tls(TlsKeys value) {
            this.tls = Optional.of(value);
            return this;
        }

        /**
         * The secrets release webhooks are signed with ({@link dev.ramp.core.release.WebhookSignature}), each at least
         * 16 characters: one, or while a secret is rotated the new and the old. None by default: webhooks go unsigned.
         */
        public Builder webhookSecrets(List<String> value) {
            List<String> secrets = List.copyOf(value);
            for (int i = 0; i < secrets.size(); i++) {
                if (secrets.get(i).length() < 16) {
                    throw new IllegalArgumentException("webhook secret " + (i + 1) + " of " + secrets.size()
                            + " must be at least 16 characters, got " + secrets.get(i).length());
                }
            }
            this.webhookSecrets = secrets;
            return this;
        }

        /** Where lines meant for the operator go (the bootstrap token, the URL): the console for {@code ramp server}. */
        public Builder announce(Consumer<String> value) {
            this.announce = Objects.requireNonNull(value, "announce");
            return this;
        }

        /** Opens the database (migrating it), loads the catalog and starts listening. */
        public RampServer start() {
            FlagStore store = databaseUrl.isEmpty()
                    ? SqliteFlagStore.open(dataDirectory)
                    : PostgresFlagStore.open(databaseUrl, databaseUser, databasePassword, databasePoolSize);
            ChangeFeed feed = null;
            RouteFeed routeFeed = null;
            Experiments experiments = null;
            Releases releases = null;
            ChangeListener changes = null;
            try {
                RandomGenerator shared = random;
                Catalog catalog = Catalog.load(store, clock, () -> shared);
                TokenRegistry tokens = new TokenRegistry(store.tokens());
                feed = new ChangeFeed(catalog::current, 10_000, 1_000, 16, heartbeatMillis);
                ControlPlane plane = new ControlPlane(store, catalog, tokens, clock, random, feed);
                plane.createDefaultEnvironments();
                String secret = adminToken.isEmpty() ? TokenRegistry.newSecret(TokenScope.ADMIN, "") : adminToken;
                Optional<String> bootstrap = plane.createFirstAdminToken(BOOTSTRAP_TOKEN_NAME, secret)
                        .map(ControlPlane.IssuedToken::secret);
                if (bootstrap.isPresent() && adminToken.isEmpty()) {
                    // Shown before anything else can fail: the token is committed now, and never shown again.
                    announce.accept("Bootstrap admin token (shown once, store it now): " + secret);
                } else if (bootstrap.isEmpty() && !adminToken.isEmpty() && tokens.authenticate(adminToken).isEmpty()) {
                    LOG.warn("RAMP_ADMIN_TOKEN is ignored: admin tokens exist already, and it is not one of them");
                }
                experiments = Experiments.load(store, plane, clock);
                routeFeed = new RouteFeed(1_000, 4, heartbeatMillis);
                RouteRegistry routeRegistry = RouteRegistry.load(store, plane, clock, routeFeed);
                GatewayReports reports = new GatewayReports(store, clock, reportRetention);
                releases = Releases.load(store, plane, routeRegistry, reports, clock,
                        store instanceof PostgresFlagStore postgres ? Leadership.sessionLock(postgres) : Leadership.sole(),
                        webhookSecrets);
                // What other replicas committed while this one loaded, before anyone can connect.
                plane.catchUp();
                changes = store instanceof PostgresFlagStore postgres
                        ? ChangeListener.start(postgres, plane, REPLICA_POLL) : null;
                ChangeListener listening = changes;
                HttpApi http = HttpApi.start(host, port, plane, experiments, routeRegistry, reports, store, tokens, feed,
                        routeFeed, releases, clock,
                        () -> listening == null ? Optional.empty() : listening.behind(REPLICA_IN_STEP), corsOrigins, tls);
                if (!releaseTick.isZero()) {
                    releases.start(releaseTick);
                }
                RampServer server = new RampServer(store, feed, routeFeed, routeRegistry, reports, experiments, releases,
                        http, plane, bootstrap, host, tls.isPresent(), changes);
                announce.accept("Ramp server listening on " + server.url() + " ("
                        + (databaseUrl.isEmpty() ? "SQLite " + dataDirectory.resolve(SqliteFlagStore.FILE_NAME)
                                : "PostgreSQL") + ")");
                return server;
            } catch (RuntimeException e) {
                if (changes != null) {
                    changes.close();
                }
                if (feed != null) {
                    feed.close();
                }
                if (routeFeed != null) {
                    routeFeed.close();
                }
                if (releases != null) {
                    releases.close();
                }
                if (experiments != null) {
                    experiments.close();
                }
                store.close();
                throw e;
            }
        }
    }
}
