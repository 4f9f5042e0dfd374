package dev.ramp.server.route;

import dev.ramp.core.route.RouteDefinition;
import java.util.List;

/**
 * Every route, as gateways get it ({@code GET /api/gateway/routes} and each event of its stream).
 *
 * @param version the id of the last change to any route (0 before the first): it grows with every route change and
 *                survives restarts, so a gateway can tell a newer configuration from one it has
 * @param routes  every route, by name
 */
public record RouteConfig(long version, List<RouteDefinition> routes) {
    /** Before any route exists. */
    public static final RouteConfig EMPTY = new RouteConfig(0, List.of());

    public RouteConfig {
        routes = List.copyOf(routes);
    }
}
