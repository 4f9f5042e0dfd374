package dev.ramp.server.http;

import dev.ramp.core.route.RouteDefinition;
import dev.ramp.server.route.GatewayReports;
import dev.ramp.server.route.RouteRegistry;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.StoredRoute;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;

/**
 * {@code /api/v1/routes}: routes ({@code kind: Route}), the two moves a release makes on them (a canary's weight, a
 * blue/green switch), their history and the traffic gateways reported; and {@code /api/v1/gateways}, the gateways
 * reporting now.
 */
final class RouteApi {
    private static final String BASE = AdminApi.BASE + "/routes";
    /** The window {@code .../metrics} reads when {@code since} is not given. */
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private final RouteRegistry routes;
    private final GatewayReports reports;
    private final InstantSource clock;

    RouteApi(RouteRegistry routes, GatewayReports reports, InstantSource clock) {
        this.routes = routes;
        this.reports = reports;
        this.clock = clock;
    }

    /** The body of {@code POST .../weight}. */
    record WeightRequest(Integer weight) {}

    /** The body of {@code POST .../switch}. */
    record SwitchRequest(String active) {}

    void register(Routes registered) {
        registered.get(BASE, ctx -> ctx.json(Map.of("items", routes.list())));
        registered.post(BASE, ctx -> {
            StoredRoute created = routes.create(Requests.principal(ctx), Requests.document(ctx, "Route", RouteDefinition.class));
            ctx.status(201).header("Location", BASE + "/" + created.name());
            send(ctx, created);
        });
        registered.get(BASE + "/{name}", ctx -> send(ctx, route(ctx)));
        registered.put(BASE + "/{name}", ctx -> send(ctx, routes.replace(Requests.principal(ctx), ctx.pathParam("name"),
                Requests.ifMatch(ctx), Requests.document(ctx, "Route", RouteDefinition.class))));
        registered.delete(BASE + "/{name}", ctx -> {
            routes.delete(Requests.principal(ctx), ctx.pathParam("name"), Requests.ifMatch(ctx));
            ctx.status(204);
        });
        registered.post(BASE + "/{name}/weight", ctx -> {
            long expected = Requests.ifMatch(ctx);
            WeightRequest request = Requests.read(ctx, WeightRequest.class, Limits.ADMIN_BODY_BYTES);
            if (request.weight() == null) {
                throw Rejection.invalid("weight", "is required: the candidate arm's share in percent, 0 to 100");
            }
            send(ctx, routes.setWeight(Requests.principal(ctx), ctx.pathParam("name"), expected, request.weight()));
        });
        registered.post(BASE + "/{name}/switch", ctx -> {
            long expected = Requests.ifMatch(ctx);
            SwitchRequest request = Requests.read(ctx, SwitchRequest.class, Limits.ADMIN_BODY_BYTES);
            if (request.active() == null || request.active().isEmpty()) {
                throw Rejection.invalid("active", "is required: the arm to serve");
            }
            send(ctx, routes.switchTo(Requests.principal(ctx), ctx.pathParam("name"), expected, request.active()));
        });
        registered.get(BASE + "/{name}/history", ctx -> ctx.json(Map.of("items",
                routes.history(ctx.pathParam("name")).stream().map(AdminApi::change).toList())));
        registered.get(BASE + "/{name}/metrics", this::metrics);
        registered.get(AdminApi.BASE + "/gateways", ctx -> ctx.json(Map.of("items", reports.gateways())));
    }

    private void metrics(Context ctx) {
        StoredRoute route = route(ctx);
        Instant until = Requests.instantParam(ctx, "until").orElse(clock.instant());
        Instant since = Requests.instantParam(ctx, "since").orElse(until.minus(DEFAULT_WINDOW));
        ctx.json(reports.traffic(route.name(), route.definition().arms().stream().map(RouteDefinition.Arm::name).toList(),
                since, until));
    }

    private StoredRoute route(Context ctx) {
        String name = ctx.pathParam("name");
        return routes.route(name).orElseThrow(() -> Rejection.notFound("route '" + Requests.abbreviate(name) + "'"));
    }

    private static void send(Context ctx, StoredRoute route) {
        ctx.header("ETag", Requests.etag(route.version()));
        ctx.json(route);
    }
}
