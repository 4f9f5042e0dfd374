package dev.ramp.gateway;

import dev.ramp.core.route.RouteDefinition;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The routes a gateway serves, compiled and ordered most specific first. Immutable: a config change builds a new
 * table and swaps it in with one write, so every request sees one table from start to end.
 *
 * @param routes  compiled routes, most specific first
 * @param version the config's version: the server's, or a counter of file loads in standalone mode
 */
record RouteTable(List<CompiledRoute> routes, long version) {

    static final RouteTable EMPTY = new RouteTable(List.of(), 0);

    /** Compiles checked definitions, reusing the registry's upstreams and the metrics' arms. */
    static RouteTable compile(List<RouteDefinition> definitions, long version, Upstreams upstreams, GatewayMetrics metrics) {
        var compiled = new ArrayList<CompiledRoute>();
        for (RouteDefinition definition : definitions) {
            var baseline = definition.arms().get(0);
            var candidate = definition.arms().get(1);
            compiled.add(new CompiledRoute(definition,
                    new ArmPool(baseline, upstreams.of(baseline.upstreams()), metrics.arm(definition.name(), baseline.name())),
                    new ArmPool(candidate, upstreams.of(candidate.upstreams()), metrics.arm(definition.name(), candidate.name()))));
        }
        compiled.sort(Comparator.comparingInt(CompiledRoute::specificity).reversed());
        return new RouteTable(List.copyOf(compiled), version);
    }

    /** The route for a request, or null when none takes it. */
    CompiledRoute match(String host, String path, HttpHeaders headers) {
        for (CompiledRoute route : routes) {
            if (route.matches(host, path, headers)) {
                return route;
            }
        }
        return null;
    }

    List<RouteDefinition> definitions() {
        return routes.stream().map(route -> route.definition).toList();
    }
}
