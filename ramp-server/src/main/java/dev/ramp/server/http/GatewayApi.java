package dev.ramp.server.http;

import dev.ramp.core.route.GatewayReport;
import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.route.GatewayReports;
import dev.ramp.server.route.RouteConfig;
import dev.ramp.server.route.RouteRegistry;
import dev.ramp.server.stream.RouteFeed;
import io.javalin.http.Context;

/**
 * {@code /api/gateway}: what a gateway in managed mode calls, with a gateway (or admin) token. {@code GET routes}
 * (ETag: the routes' version, and 304), {@code GET routes/stream} (server-sent events, {@code event: routes} on
 * connect and after every change) and {@code POST reports}, the traffic of each arm every second.
 */
final class GatewayApi {
    static final String BASE = "/api/gateway";

    private final RouteRegistry routes;
    private final RouteFeed feed;
    private final GatewayReports reports;
    private final TokenRegistry tokens;

    GatewayApi(RouteRegistry routes, RouteFeed feed, GatewayReports reports, TokenRegistry tokens) {
        this.routes = routes;
        this.feed = feed;
        this.reports = reports;
        this.tokens = tokens;
    }

    void register(Routes registered) {
        registered.get(BASE + "/routes", this::config);
        registered.get(BASE + "/routes/stream", ctx -> EventStreams.open(ctx, tokens, feed::subscribe));
        registered.post(BASE + "/reports", ctx -> {
            reports.add(Requests.read(ctx, GatewayReport.class, Limits.REPORT_BODY_BYTES));
            ctx.status(202);
        });
    }

    private void config(Context ctx) {
        RouteConfig config = routes.config();
        String etag = Requests.etag(config.version());
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        if (Requests.notModified(ctx, etag)) {
            ctx.status(304);
            return;
        }
        ctx.json(config);
    }
}
