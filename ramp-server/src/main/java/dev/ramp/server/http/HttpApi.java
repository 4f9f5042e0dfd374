package dev.ramp.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ramp.core.tls.TlsKeys;
import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.experiment.Experiments;
import dev.ramp.server.model.Json;
import dev.ramp.server.route.GatewayReports;
import dev.ramp.server.route.RouteRegistry;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.StoreException;
import dev.ramp.server.stream.ChangeFeed;
import dev.ramp.server.stream.RouteFeed;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's HTTP listener: every API, authentication and error mapping, on Javalin over Jetty 12. */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** How long {@link #close()} waits for requests in flight to finish. */
    public static final long DRAIN_MILLIS = 10_000;
    /** How long a browser may keep a CORS preflight's answer. */
    static final int CORS_MAX_AGE_SECONDS = 600;

    private final Javalin app;
    private final List<Routes.Route> routes;

    private HttpApi(Javalin app, List<Routes.Route> routes) {
        this.app = app;
        this.routes = routes;
    }

    /** Starts listening on {@code host:port} ({@code 0}: a free port). */
    public static HttpApi start(String host, int port, ControlPlane plane, Experiments experiments, RouteRegistry routeRegistry,
                                GatewayReports reports, FlagStore store, TokenRegistry tokens, ChangeFeed feed,
                                RouteFeed routeFeed, dev.ramp.server.release.Releases releases, InstantSource clock,
                                java.util.function.Supplier<java.util.Optional<java.time.Duration>> behind,
                                List<String> corsOrigins, java.util.Optional<TlsKeys> tls) {
        AuthenticationFailures failures = new AuthenticationFailures(clock);
        Authentication authentication = new Authentication(tokens, failures);
        AdminApi admin = new AdminApi(plane, store, tokens, clock);
        ExperimentApi experimentApi = new ExperimentApi(experiments);
        ClientApi client = new ClientApi(plane, store, feed, clock, tokens, experiments);
        OfrepApi ofrep = new OfrepApi(plane);
        RouteApi routeApi = new RouteApi(routeRegistry, reports, clock);
        GatewayApi gateway = new GatewayApi(routeRegistry, routeFeed, reports, tokens);
        ReleaseApi releaseApi = new ReleaseApi(releases);
        byte[] openApi = openApiDocument();
        Dashboard dashboard = Dashboard.load();
        Routes[] registered = new Routes[1];
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            // With a connector of its own, Javalin adds no plain HTTP one: TLS only.
            tls.ifPresent(keys -> config.jetty.addConnector((server, plain) -> secure(keys, server, plain, host, port)));
            config.http.maxRequestSize = Limits.ADMIN_BODY_BYTES;
            config.http.asyncTimeout = 0;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            if (!corsOrigins.isEmpty()) {
                // Only OFREP, which browsers call; the admin, client and gateway APIs stay same-origin.
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    rule.path = OfrepApi.BASE + "/*";
                    if (corsOrigins.contains("*")) {
                        rule.anyHost();
                    } else {
                        rule.allowHost(corsOrigins.get(0), corsOrigins.subList(1, corsOrigins.size()).toArray(String[]::new));
                    }
                    rule.exposeHeader("ETag");
                    rule.maxAge = CORS_MAX_AGE_SECONDS;
                }));
            }
            config.jetty.modifyServer(server -> {
                // Jetty waits for requests in flight through a GracefulHandler (new ones get 503 meanwhile);
                // Javalin puts its servlet context inside the innermost wrapper it finds here, the fast path.
                server.setHandler(new GracefulHandler(new FeaturesFastPath(plane, tokens, failures)));
                server.setStopTimeout(DRAIN_MILLIS);
            });
            Routes routes = new Routes(config.routes);
            registered[0] = routes;
            config.routes.before(authentication::check);
            config.routes.after(HttpApi::drainUnreadBody);
            routes.get(AdminApi.BASE + "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            admin.register(routes);
            experimentApi.register(routes);
            routeApi.register(routes);
            gateway.register(routes);
            releaseApi.register(routes);
            client.register(routes);
            ofrep.register(routes);
            config.routes.get("/health", ctx -> {
                String controller = releases.leading() ? "leading" : "following";
                behind.get().ifPresentOrElse(
                        since -> ctx.status(503).json(Map.of("status", "behind", "releaseController", controller,
                                "detail", "has not read the changes other replicas commit for " + since.toSeconds()
                                        + " s; it serves what it had")),
                        () -> ctx.json(Map.of("status", "ok", "releaseController", controller)));
            });
            dashboard.register(config.routes);
            config.routes.exception(Rejection.class, HttpApi::rejection);
            config.routes.exception(ProblemException.class, (e, ctx) -> {
                e.headers().forEach(ctx::header);
                send(ctx, e.problem());
            });
            config.routes.exception(StoreException.class, HttpApi::storeFailure);
            config.routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx,
                    e.getStatus() == 404
                            ? Problem.of(404, "not-found", "Not found", "no resource at " + Requests.abbreviate(ctx.path()))
                            : Problem.of(e.getStatus(), "http-" + e.getStatus(), e.getMessage(), e.getMessage())));
            config.routes.exception(Exception.class, HttpApi::unexpected);
        });
        app.start();
        return new HttpApi(app, registered[0].registered());
    }

    /** A connector speaking HTTP/1.1 over TLS on {@code host:port}, with the server's other HTTP settings. */
    private static ServerConnector secure(TlsKeys keys, Server server, HttpConfiguration plain, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keys.read());
        ssl.setKeyStorePassword(keys.password());
        HttpConfiguration secure = new HttpConfiguration(plain);
        secure.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(secure));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    public int port() {
        return app.port();
    }

    /** The routes the API serves; the OpenAPI document lists exactly these. */
    public List<Routes.Route> routes() {
        return routes;
    }

    /** Stops accepting connections and waits up to {@link #DRAIN_MILLIS} for requests in flight. */
    @Override
    public void close() {
        app.stop();
    }

    /**
     * Reads what is left of a body its handler had no use for (a body sent to {@code archive}, or to a request
     * refused before it was read), up to the largest body the server takes. Jetty would otherwise close the
     * connection under a client still sending, and the client would lose the answer.
     */
    private static void drainUnreadBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared <= 0 || declared > Limits.ADMIN_BODY_BYTES) {
            // No body, one of unknown length, or one refused as too large (413) that the client may never send.
            return;
        }
        byte[] buffer = new byte[8192];
        long left = Limits.ADMIN_BODY_BYTES;
        try {
            InputStream in = ctx.req().getInputStream();
            int read;
            while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                left -= read;
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone, or the body was read another way: nothing is left to drain.
        }
    }

    private static void rejection(Rejection e, Context ctx) {
        Problem problem = switch (e.kind()) {
            case INVALID -> Problem.invalid(e.getMessage(), e.errors());
            case NOT_FOUND -> Problem.of(404, "not-found", "Not found", e.getMessage());
            case CONFLICT -> Problem.of(409, "conflict", "Conflict", e.getMessage());
            case STALE -> Problem.of(412, "precondition-failed", "Precondition failed", e.getMessage());
            case PRECONDITION_REQUIRED -> Problem.of(428, "precondition-required", "Precondition required", e.getMessage());
        };
        send(ctx, problem);
    }

    private static void storeFailure(StoreException e, Context ctx) {
        String id = UUID.randomUUID().toString();
        LOG.error("database failure {} on {} {}: {}", id, ctx.method(), ctx.path(), e.getMessage());
        if (e.unavailable()) {
            ctx.header("Retry-After", "5");
            send(ctx, Problem.of(503, "database-unavailable", "Database unavailable",
                    "the database is not available now; nothing was changed; retry later (error " + id + ")"));
        } else {
            send(ctx, Problem.of(500, "database-error", "Database error", "the database failed; see the server log for error " + id));
        }
    }

    private static void unexpected(Exception e, Context ctx) {
        String id = UUID.randomUUID().toString();
        LOG.error("unexpected failure {} on {} {}", id, ctx.method(), ctx.path(), e);
        send(ctx, Problem.of(500, "internal-error", "Internal error", "the server failed; see its log for error " + id));
    }

    static void send(Context ctx, Problem problem) {
        ctx.status(problem.status());
        try {
            ctx.contentType(Problem.CONTENT_TYPE).result(Json.mapper().writeValueAsBytes(problem));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] openApiDocument() {
        try (InputStream in = HttpApi.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the server's resources");
            }
            JsonNode document = new YAMLMapper().readTree(in);
            ObjectMapper json = new ObjectMapper();
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read openapi.yaml", e);
        }
    }
}
