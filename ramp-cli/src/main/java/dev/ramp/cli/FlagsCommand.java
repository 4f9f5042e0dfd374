package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ramp flags list|get|create|enable|disable|rollout}: flags through a running server's admin API. Every change
 * reads the flag's ETag first and sends it back in {@code If-Match}, so a change made by someone else in between is
 * refused (412) rather than overwritten.
 */
@Command(
        name = "flags",
        aliases = "flag",
        mixinStandardHelpOptions = true,
        description = "Lists, shows, creates, switches and rolls out flags on a running server.",
        footer = {"", "Example:",
            "  ramp flags create checkout.v2",
            "  ramp flags rollout checkout.v2 25 -e production",
            "  ramp flags enable checkout.v2 -e production"},
        subcommands = {FlagsCommand.ListFlags.class, FlagsCommand.Get.class, FlagsCommand.Create.class,
            FlagsCommand.Enable.class, FlagsCommand.Disable.class, FlagsCommand.Rollout.class})
final class FlagsCommand extends CommandGroup {
    private static final String BASE = "/api/v1/flags";
    /** Flags one read of the list asks for: the server's most. */
    private static final int PAGE = 500;
    static final String FLEXIBLE_ROLLOUT = "flexibleRollout";



    private static String path(String key) {
        return BASE + "/" + ServerConnection.segment(key);
    }

    /** A subcommand on one flag, named by its key: one request, its reply printed. */
    abstract static class OnFlag extends OneRequest {
        @Parameters(index = "0", paramLabel = "KEY", description = "The flag's key.")
        String key;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists flags, by key: where each is on, or with -e its state and strategies there.")
    static final class ListFlags extends OneRequest {

        @Option(names = {"-e", "--environment"}, paramLabel = "ENV",
                description = "Show the flag's state and strategies in this environment.")
        String environment;

        @Option(names = {"-q", "--query"}, paramLabel = "TEXT", description = "Only flags whose key or description contains TEXT.")
        String query;

        @Option(names = "--project", paramLabel = "PROJECT", description = "Only flags of this project.")
        String project;

        @Option(names = "--archived", description = "List archived flags instead of live ones.")
        boolean archived;

        /** Every page of the list, as one list. */
        @Override
        JsonNode send() {
            StringJoiner filter = new StringJoiner("");
            if (query != null) {
                filter.add("&q=" + ServerConnection.segment(query));
            }
            if (project != null) {
                filter.add("&project=" + ServerConnection.segment(project));
            }
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            long total;
            do {
                JsonNode page = connection.send("GET", BASE + "?limit=" + PAGE + "&offset=" + items.size()
                        + "&archived=" + archived + filter, null);
                items.addAll((ArrayNode) page.path("items"));
                total = page.path("total").asLong();
                if (page.path("items").isEmpty()) {
                    break;
                }
            } while (items.size() < total);
            ObjectNode listed = JsonNodeFactory.instance.objectNode();
            listed.set("items", items);
            listed.put("total", items.size());
            return listed;
        }

        @Override
        void print(PrintWriter out, JsonNode listed) {
            Table table = environment == null ? new Table("KEY", "TYPE", "PROJECT", "ON IN", "VERSION")
                    : new Table("KEY", "TYPE", "PROJECT", "ON", "STRATEGIES", "VERSION");
            for (JsonNode flag : listed.path("items")) {
                String version = flag.path("version").asText();
                if (environment == null) {
                    table.row(flag.path("key").asText(), flag.path("type").asText(), flag.path("project").asText(),
                            onIn(flag), version);
                } else {
                    JsonNode settings = flag.path("environments").path(environment);
                    table.row(flag.path("key").asText(), flag.path("type").asText(), flag.path("project").asText(),
                            settings.path("enabled").asBoolean() ? "yes" : "no", strategies(settings), version);
                }
            }
            table.print(out, Set.of());
        }

        private static String onIn(JsonNode flag) {
            List<String> on = new ArrayList<>();
            flag.path("environments").fields().forEachRemaining(environment -> {
                if (environment.getValue().path("enabled").asBoolean()) {
                    on.add(environment.getKey());
                }
            });
            return on.isEmpty() ? ExperimentCommand.NONE : String.join(", ", on);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Shows one flag and its settings in every environment; -o json or -o yaml prints its document.")
    static final class Get extends OnFlag {
        @Override
        JsonNode send() {
            return connection.send("GET", path(key), null);
        }

        @Override
        void print(PrintWriter out, JsonNode flag) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("key", flag.path("key").asText());
            fields.put("description", text(flag.path("description").asText()));
            fields.put("type", flag.path("type").asText());
            fields.put("project", flag.path("project").asText());
            fields.put("impression data", flag.path("impressionData").asBoolean() ? "yes" : "no");
            fields.put("stale", flag.path("stale").asBoolean() ? "yes" : "no");
            fields.put("archived", flag.path("archived").asBoolean() ? "yes" : "no");
            List<String> dependencies = new ArrayList<>();
            flag.path("dependencies").forEach(dependency -> dependencies.add(dependency.path("feature").asText()
                    + (dependency.path("enabled").asBoolean(true) ? "" : " (off)")));
            fields.put("dependencies", dependencies.isEmpty() ? "none" : String.join(", ", dependencies));
            flag.path("environments").fields().forEachRemaining(environment -> {
                JsonNode settings = environment.getValue();
                int variants = settings.path("variants").size();
                fields.put("in " + environment.getKey(), (settings.path("enabled").asBoolean() ? "on" : "off") + ", "
                        + strategies(settings) + (variants == 0 ? "" : ", " + variants + " variants"));
            });
            fields.put("version", flag.path("version").asText());
            fields.put("updated", flag.path("updatedAt").asText());
            ExperimentCommand.printFields(out, fields);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a flag, off in every environment.")
    static final class Create extends OnFlag {
        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "release",
                description = "release, experiment, operational, kill-switch or permission (default: ${DEFAULT-VALUE}).")
        String type;

        @Option(names = "--description", paramLabel = "TEXT", defaultValue = "", description = "What the flag is for.")
        String description;

        @Option(names = "--project", paramLabel = "PROJECT", defaultValue = "default",
                description = "The flag's project (default: ${DEFAULT-VALUE}).")
        String project;

        @Option(names = "--impression-data",
                description = "SDKs send an exposure event for each evaluation (experiments need it).")
        boolean impressionData;

        @Override
        JsonNode send() {
            return connection.send("POST", BASE, JsonNodeFactory.instance.objectNode().put("key", key)
                    .put("description", description).put("type", type).put("project", project)
                    .put("impressionData", impressionData));
        }

        @Override
        void print(PrintWriter out, JsonNode flag) {
            out.printf("Created flag %s (%s, version %s); it is off in every environment.%n", key,
                    flag.path("type").asText(), flag.path("version").asText());
        }
    }

    /** {@code enable} and {@code disable}: switches the flag in one environment. */
    abstract static class Switch extends OnFlag {
        @Option(names = {"-e", "--environment"}, required = true, paramLabel = "ENV", description = "The environment.")
        String environment;

        private final boolean on;

        Switch(boolean on) {
            this.on = on;
        }

        @Override
        JsonNode send() {
            return connection.change("POST", path(key), "/environments/" + ServerConnection.segment(environment)
                    + (on ? "/on" : "/off"), null);
        }

        @Override
        void print(PrintWriter out, JsonNode settings) {
            out.printf("Flag %s is %s in %s (%s).%n", key, on ? "on" : "off", environment, strategies(settings));
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Switches a flag on in one environment.")
    static final class Enable extends Switch {
        Enable() {
            super(true);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Switches a flag off in one environment.")
    static final class Disable extends Switch {
        Disable() {
            super(false);
        }
    }

    @Command(name = "rollout", mixinStandardHelpOptions = true,
            description = "Sets the rollout percentage of a flag's flexibleRollout strategy in one environment.",
            footer = {"", "A flag without a flexibleRollout strategy there gets one (stickiness default, group the"
                + " flag's key); one with several is refused, as it is not clear which to set. The flag's on/off state"
                + " is left as it is."})
    static final class Rollout extends OnFlag {
        @Parameters(index = "1", paramLabel = "PERCENT", description = "0 to 100: the share of units the strategy takes.")
        int percent;

        @Option(names = {"-e", "--environment"}, required = true, paramLabel = "ENV", description = "The environment.")
        String environment;

        @Override
        JsonNode send() {
            if (percent < 0 || percent > 100) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "PERCENT: must be a whole number from 0 to 100, got " + percent);
            }
            String strategies = path(key) + "/environments/" + ServerConnection.segment(environment) + "/strategies";
            ServerConnection.Reply read = connection.exchange("GET", strategies, null, "");
            String etag = read.etag().orElseThrow(() -> new Main.InputRejected("the server sent no ETag for " + key));
            List<JsonNode> rollouts = new ArrayList<>();
            read.body().path("items").forEach(strategy -> {
                if (strategy.path("name").asText().equals(FLEXIBLE_ROLLOUT)) {
                    rollouts.add(strategy);
                }
            });
            if (rollouts.size() > 1) {
                List<String> ids = rollouts.stream().map(strategy -> strategy.path("id").asText()).toList();
                throw new Main.InputRejected("flag " + key + " has " + rollouts.size() + " flexibleRollout strategies in "
                        + environment + " (" + String.join(", ", ids) + "); set the one you mean with PUT " + strategies
                        + "/ID");
            }
            if (rollouts.isEmpty()) {
                ObjectNode strategy = JsonNodeFactory.instance.objectNode().put("name", FLEXIBLE_ROLLOUT);
                strategy.putObject("parameters").put("rollout", Integer.toString(percent)).put("stickiness", "default")
                        .put("groupId", key);
                return connection.exchange("POST", strategies, strategy, etag).body();
            }
            ObjectNode strategy = rollouts.get(0).deepCopy();
            strategy.with("parameters").put("rollout", Integer.toString(percent));
            return connection.exchange("PUT", strategies + "/" + ServerConnection.segment(strategy.path("id").asText()),
                    strategy, etag).body();
        }

        @Override
        void print(PrintWriter out, JsonNode strategy) {
            out.printf("Flag %s in %s: %s (strategy %s).%n", key, environment, strategy(strategy),
                    strategy.path("id").asText());
        }
    }

    /** {@code flexibleRollout 25%, default}: a flag's strategies in one environment; {@code none} when it has none. */
    static String strategies(JsonNode settings) {
        List<String> each = new ArrayList<>();
        settings.path("strategies").forEach(strategy -> each.add(strategy(strategy)));
        return each.isEmpty() ? "no strategies" : String.join(", ", each);
    }

    private static String strategy(JsonNode strategy) {
        String name = strategy.path("name").asText();
        JsonNode rollout = strategy.path("parameters").path("rollout");
        int constraints = strategy.path("constraints").size() + strategy.path("segments").size();
        return name + (rollout.isMissingNode() ? "" : " at " + rollout.asText() + "%")
                + (constraints == 0 ? "" : " (" + constraints + (constraints == 1 ? " condition)" : " conditions)"));
    }

    private static String text(String text) {
        return text.isEmpty() ? ExperimentCommand.NONE : text;
    }
}
