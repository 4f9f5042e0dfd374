package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ramp.core.route.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ramp route apply|list|get|delete|weight|switch|metrics}: the routes a running server gives gateways in
 * managed mode. Every change reads the route's ETag first and sends it back in {@code If-Match}, so a change made by
 * someone else in between is refused (412) rather than overwritten.
 */
@Command(
        name = "route",
        mixinStandardHelpOptions = true,
        description = "Applies, moves and reads the routes gateways serve, and the traffic they report.",
        footer = {"", "Example:",
            "  ramp route apply -f checkout.yaml",
            "  ramp route weight checkout 25",
            "  ramp route metrics checkout --since 10m"},
        subcommands = {RouteCommand.Apply.class, RouteCommand.ListRoutes.class, RouteCommand.Get.class,
            RouteCommand.Delete.class, RouteCommand.Weight.class, RouteCommand.Switch.class, RouteCommand.Metrics.class})
final class RouteCommand extends CommandGroup {
    private static final String BASE = "/api/v1/routes";



    private static String path(String name) {
        return BASE + "/" + ServerConnection.segment(name);
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Creates or replaces a route from a YAML or JSON file.",
            footer = {"", "The file holds one document with kind: Route (see docs/server.md). When the route exists,"
                + " apply replaces it with the version it read, so a change made meanwhile is refused; a document the"
                + " route has already sends nothing. A document without weight (or active) keeps the route's. ramp"
                + " apply takes routes too, with the other kinds."})
    static final class Apply extends ApplyFiles {
        @Override
        List<Kind> kinds() {
            return List.of(Kind.ROUTE);
        }

        @Override
        boolean several() {
            return false;
        }

        @Override
        void print(PrintWriter out, Reconciler.Change change, JsonNode route) {
            out.printf("%s route %s (%s, version %s).%n", done(change.action()), change.document().key(), split(route),
                    route.path("version").asText());
        }
    }

    /** {@code Created}, {@code Replaced} or {@code Unchanged}: what the per-kind apply commands print. */
    static String done(Reconciler.Action action) {
        switch (action) {
            case CREATE:
                return "Created";
            case UPDATE:
                return "Replaced";
            default:
                return "Unchanged";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists routes.")
    static final class ListRoutes extends OneRequest {

        @Override
        JsonNode send() {
            return connection.send("GET", BASE, null);
        }

        @Override
        void print(PrintWriter out, JsonNode listed) {
            Table table = new Table("NAME", "MATCH", "ARMS", "SPLIT", "VERSION");
            for (JsonNode route : listed.path("items")) {
                table.row(route.path("name").asText(), match(route.path("match")), armNames(route),
                        split(route), route.path("version").asText());
            }
            table.print(out, Set.of());
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Shows one route; -o json or -o yaml prints its document, which apply takes back.")
    static final class Get extends OnResource {
        @Override
        JsonNode send() {
            return connection.send("GET", path(name), null);
        }

        @Override
        void print(PrintWriter out, JsonNode route) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", route.path("name").asText());
            fields.put("match", match(route.path("match")));
            fields.put("split", split(route));
            for (JsonNode arm : route.path("arms")) {
                List<String> upstreams = new ArrayList<>();
                arm.path("upstreams").forEach(upstream -> upstreams.add(upstream.asText()));
                fields.put("arm " + arm.path("name").asText(), String.join(", ", upstreams) + " ("
                        + arm.path("balance").asText() + ")");
            }
            JsonNode sticky = route.path("sticky");
            fields.put("sticky", sticky.path("by").asText() + (sticky.path("name").asText().isEmpty() ? ""
                    : " " + sticky.path("name").asText()));
            fields.put("fallback", route.path("fallback").asText());
            fields.put("version", route.path("version").asText());
            fields.put("updated", route.path("updatedAt").asText());
            ExperimentCommand.printFields(out, fields);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a route; gateways stop serving it.")
    static final class Delete extends OnResource {
        @Override
        JsonNode send() {
            connection.change("DELETE", path(name), "", null);
            return JsonNodeFactory.instance.objectNode().put("deleted", name);
        }

        @Override
        void print(PrintWriter out, JsonNode deleted) {
            out.println("Deleted route " + name + ".");
        }
    }

    /** One line on where a route now sends its traffic, after a weight change or a switch. */
    private static void printSplit(PrintWriter out, String name, JsonNode route) {
        out.printf("Route %s: %s (version %s).%n", name, split(route), route.path("version").asText());
    }

    @Command(name = "weight", mixinStandardHelpOptions = true,
            description = "Sends PERCENT of a canary route's units to its candidate (second) arm.")
    static final class Weight extends OnResource {
        @Parameters(index = "1", paramLabel = "PERCENT", description = "0 to 100.")
        int percent;

        @Override
        JsonNode send() {
            return connection.change("POST", path(name), "/weight", JsonNodeFactory.instance.objectNode().put("weight", percent));
        }

        @Override
        void print(PrintWriter out, JsonNode route) {
            printSplit(out, name, route);
        }
    }

    @Command(name = "switch", mixinStandardHelpOptions = true,
            description = "Makes ARM the arm a blueGreen route serves.")
    static final class Switch extends OnResource {
        @Parameters(index = "1", paramLabel = "ARM", description = "One of the route's arms.")
        String arm;

        @Override
        JsonNode send() {
            return connection.change("POST", path(name), "/switch", JsonNodeFactory.instance.objectNode().put("active", arm));
        }

        @Override
        void print(PrintWriter out, JsonNode route) {
            printSplit(out, name, route);
        }
    }

    @Command(name = "metrics", mixinStandardHelpOptions = true,
            description = "Shows each arm's traffic, summed over gateways, over the last while.",
            footer = {"", "P99 <= is the largest 99th percentile any gateway reported for any second: an upper bound",
                "of the 99th percentile of all the answers together. The window is at most 1h."})
    static final class Metrics extends OnResource {
        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "5m",
                description = "How far back: 30s, 5m, 1h (default: ${DEFAULT-VALUE}).")
        String since;

        @Override
        JsonNode send() {
            Duration back = Durations.parse(since).filter(d -> !d.isZero()).orElseThrow(() -> new Main.InputRejected(
                    "--since must be a duration above 0 such as 30s, 5m or 1h, got '" + since + "'"));
            return connection.send("GET", path(name) + "/metrics?since=" + Instant.now().minus(back), null);
        }

        @Override
        void print(PrintWriter out, JsonNode metrics) {
            out.printf("Route %s, %s to %s (%d seconds with reports):%n", name, metrics.path("since").asText(),
                    metrics.path("until").asText(), seconds(metrics.path("points")));
            Table table = new Table("ARM", "REQUESTS", "2XX", "3XX", "4XX", "5XX",
                    "UPSTREAM ERRORS", "5XX RATE", "P99 <=", "MAX");
            for (JsonNode arm : metrics.path("arms")) {
                long requests = arm.path("requests").asLong();
                table.row(arm.path("arm").asText(), Long.toString(requests), arm.path("success").asText(),
                        arm.path("redirection").asText(), arm.path("clientErrors").asText(),
                        arm.path("serverErrors").asText(), arm.path("upstreamErrors").asText(),
                        requests == 0 ? ExperimentCommand.NONE
                                : ExperimentCommand.Numbers.percent(arm.path("serverErrors").asLong() / (double) requests),
                        millis(arm.path("p99MillisAtMost")), millis(arm.path("maxMillis")));
            }
            table.print(out, Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
        }

        private static long seconds(JsonNode points) {
            return java.util.stream.StreamSupport.stream(points.spliterator(), false)
                    .map(point -> point.path("at").asText()).distinct().count();
        }

        private static String millis(JsonNode value) {
            return String.format(Locale.ROOT, "%.1f ms", value.asDouble());
        }
    }

    /** {@code canary at 25%}, or {@code blue/green: green active}. */
    static String split(JsonNode route) {
        if (route.path("strategy").asText().equals("blueGreen")) {
            String active = route.path("active").asText();
            if (active.isEmpty()) {
                active = route.path("arms").path(0).path("name").asText();
            }
            return "blueGreen, " + active + " active";
        }
        return "canary, " + route.path("arms").path(1).path("name").asText() + " at " + route.path("weight").asInt() + "%";
    }

    private static String armNames(JsonNode route) {
        List<String> names = new ArrayList<>();
        route.path("arms").forEach(arm -> names.add(arm.path("name").asText()));
        return String.join(", ", names);
    }

    private static String match(JsonNode match) {
        String host = match.path("host").asText();
        StringBuilder text = new StringBuilder(host.isEmpty() ? "*" : host).append(match.path("pathPrefix").asText("/"));
        match.path("headers").fields().forEachRemaining(header ->
                text.append(" [").append(header.getKey()).append(": ").append(header.getValue().asText()).append(']'));
        return text.toString();
    }
}
