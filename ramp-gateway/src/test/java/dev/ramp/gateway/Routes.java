package dev.ramp.gateway;

import dev.ramp.core.route.RouteDefinition;
import java.util.List;
import java.util.Map;

/** Route definitions for tests. */
final class Routes {
    private Routes() {}

    static RouteDefinition canary(String name, String stable, String canary, int weight, RouteDefinition.Sticky sticky) {
        return new RouteDefinition(name, new RouteDefinition.Match(null, null, Map.of()), null,
                List.of(new RouteDefinition.Arm("stable", List.of(stable), null), new RouteDefinition.Arm("canary", List.of(canary), null)),
                weight, null, sticky, null, null, null, null, null, null, null);
    }

    static RouteDefinition.Sticky byHeader(String header) {
        return new RouteDefinition.Sticky("header", header, null);
    }
}
