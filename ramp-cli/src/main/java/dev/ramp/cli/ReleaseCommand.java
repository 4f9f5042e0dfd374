package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.core.route.Durations;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ramp release apply|list|get|status|watch|promote|abort|retry|pause|resume|undo|delete}: the releases a running
 * server's release controller moves step by step. {@code apply} and {@code delete} read the release's ETag first and
 * send it back in {@code If-Match}; the commands given to a release (promote, abort, ...) apply to it as it is when
 * the server gets them, and are refused (409) when its phase does not allow them.
 */
@Command(
        name = "release",
        mixinStandardHelpOptions = true,
        description = "Applies, follows and steers the releases a server moves step by step.",
        footer = {"", "Example:",
            "  ramp release apply -f examples/releases/checkout-canary.yaml",
            "  ramp release watch checkout-canary",
            "  ramp release promote checkout-canary"},
        subcommands = {ReleaseCommand.Apply.class, ReleaseCommand.ListReleases.class, ReleaseCommand.Get.class,
            ReleaseCommand.Status.class, ReleaseCommand.Watch.class, ReleaseCommand.Promote.class,
            ReleaseCommand.Abort.class, ReleaseCommand.Retry.class, ReleaseCommand.Pause.class,
            ReleaseCommand.Resume.class, ReleaseCommand.Undo.class, ReleaseCommand.Delete.class})
final class ReleaseCommand extends CommandGroup {
    private static final String BASE = "/api/v1/releases";
    /** How far back {@code status} reads each arm's traffic. */
    static final Duration TRAFFIC_WINDOW = Duration.ofMinutes(1);
    /** The timeline entries {@code status} shows, and {@code watch} shows before the new ones: the latest. */
    static final int RECENT = 10;
    /** Timeline entries one read asks for: the server's most. */
    private static final int PAGE = 1_000;
    /** The longest timeline entry type ({@code measurement}, {@code rolled-back}): the width of their column. */
    private static final int TYPE_WIDTH = 11;



    private static String path(String name) {
        return BASE + "/" + ServerConnection.segment(name);
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Creates or replaces releases from a YAML or JSON file; a new release starts at once.",
            footer = {"", "The file holds one or more documents with kind: Release (YAML documents apart by ---)."
                + " Applying the document a release has changes nothing; a release that runs cannot be changed (abort it"
                + " first); an ended release given a new document starts again. ramp apply takes releases too, with the"
                + " other kinds."})
    static final class Apply extends ApplyFiles {
        @Override
        List<Kind> kinds() {
            return List.of(Kind.RELEASE);
        }

        @Override
        void print(PrintWriter out, Reconciler.Change change, JsonNode release) {
            String name = change.document().key();
            out.printf("%s release %s, version %s: %s.%n", RouteCommand.done(change.action()), name,
                    release.path("version").asText(), position(release));
            if (change.action() != Reconciler.Action.UNCHANGED) {
                out.println("Follow it with: ramp release watch " + name);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists releases.")
    static final class ListReleases extends OneRequest {

        @Override
        JsonNode send() {
            return connection.send("GET", BASE, null);
        }

        @Override
        void print(PrintWriter out, JsonNode listed) {
            Table table = new Table("NAME", "TARGET", "STRATEGY", "PHASE", "STEP", "WEIGHT", "MESSAGE");
            for (JsonNode release : listed.path("items")) {
                table.row(release.path("name").asText(), target(release), release.path("strategy").asText(),
                        release.path("phase").asText(), stepOfSteps(release), release.path("weight").asInt() + "%",
                        release.path("message").asText());
            }
            table.print(out, Set.of(4, 5));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Prints a release as the server has it, in JSON (or -o yaml): where it is and its document.")
    static final class Get extends OnResource {
        @Override
        JsonNode send() {
            return connection.send("GET", path(name), null);
        }

        @Override
        void print(PrintWriter out, JsonNode release) {
            connection.print(out, release);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows where a release is: its steps, analyses, each arm's traffic and its latest decisions.",
            footer = {"", "Traffic (route targets) is each arm's over the last minute, summed over gateways; P99 <= is",
                "an upper bound of its 99th percentile latency. -o json prints {release, traffic, timeline}."})
    static final class Status extends OnResource {
        @Override
        JsonNode send() {
            JsonNode release = connection.send("GET", path(name), null);
            ObjectNode status = JsonNodeFactory.instance.objectNode();
            status.set("release", release);
            String route = release.path("target").path("route").asText();
            if (!route.isEmpty()) {
                try {
                    status.set("traffic", connection.send("GET", "/api/v1/routes/" + ServerConnection.segment(route)
                            + "/metrics?since=" + Instant.now().minus(TRAFFIC_WINDOW), null));
                } catch (ServerConnection.Refused refused) {
                    status.put("trafficUnknown", refused.getMessage());
                }
            }
            Recent recent = recent(connection, name);
            status.put("timelineEntries", recent.total());
            status.set("timeline", JsonNodeFactory.instance.arrayNode().addAll(recent.entries()));
            return status;
        }

        @Override
        void print(PrintWriter out, JsonNode status) {
            JsonNode release = status.path("release");
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("release", release.path("name").asText());
            fields.put("phase", release.path("phase").asText() + ", attempt " + release.path("attempt").asInt());
            fields.put("target", target(release) + " (" + release.path("strategy").asText() + ", from arm "
                    + release.path("stableArm").asText() + " to " + release.path("canaryArm").asText() + ")");
            fields.put("weight", release.path("weight").asInt() + "%");
            fields.put("message", release.path("message").asText());
            if (release.path("pending").asInt() > 0) {
                fields.put("pending", release.path("pending").asInt() + " actions decided and not yet carried out");
            }
            fields.put("updated", time(release.path("updatedAt")));
            ExperimentCommand.printFields(out, fields);

            out.println();
            out.println("Steps:");
            JsonNode steps = release.path("steps");
            int current = release.path("step").asInt();
            for (int i = 0; i < steps.size(); i++) {
                out.printf("%s %" + Integer.toString(steps.size()).length() + "d  %s%n", i == current ? ">" : " ", i + 1,
                        steps.get(i).asText());
            }

            out.println();
            out.println("Analyses:");
            if (release.path("analyses").isEmpty()) {
                out.println("  none running");
            }
            for (JsonNode run : release.path("analyses")) {
                out.printf("  %s%s: measurements %d (%d passed, %d failed, %d inconclusive, %d errors, %d without data),"
                                + " measured until %s%n", run.path("analysis").asText(),
                        run.path("background").asBoolean() ? " (background)" : "", run.path("measurements").asInt(),
                        run.path("passes").asInt(), run.path("failures").asInt(), run.path("inconclusive").asInt(),
                        run.path("errors").asInt(), run.path("noData").asInt(), time(run.path("measuredUntil")));
            }

            if (status.has("traffic") || status.has("trafficUnknown")) {
                out.println();
                out.println("Traffic over the last " + Durations.format(TRAFFIC_WINDOW) + ":");
                if (status.has("trafficUnknown")) {
                    out.println("  unknown: " + status.path("trafficUnknown").asText());
                } else {
                    traffic(out, release, status.path("traffic"));
                }
            }

            out.println();
            JsonNode timeline = status.path("timeline");
            out.printf("Timeline (the last %d of %d entries):%n", timeline.size(), status.path("timelineEntries").asLong());
            timeline.forEach(entry -> entry(entry).forEach(out::println));
        }

        private static void traffic(PrintWriter out, JsonNode release, JsonNode traffic) {
            Table table = new Table("ARM", "ROLE", "REQUESTS", "5XX RATE", "P99 <=");
            for (JsonNode arm : traffic.path("arms")) {
                String name = arm.path("arm").asText();
                long requests = arm.path("requests").asLong();
                String role = name.equals(release.path("canaryArm").asText()) ? "canary"
                        : name.equals(release.path("stableArm").asText()) ? "stable" : ExperimentCommand.NONE;
                table.row(name, role, Long.toString(requests), requests == 0 ? ExperimentCommand.NONE
                                : ExperimentCommand.Numbers.percent(arm.path("serverErrors").asLong() / (double) requests),
                        requests == 0 ? ExperimentCommand.NONE
                                : String.format(Locale.ROOT, "%.1f ms", arm.path("p99MillisAtMost").asDouble()));
            }
            table.print(out, Set.of(2, 3, 4));
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Follows a release until it ends: its decisions as they are made, and a progress line.",
            footer = {"", "Prints the latest " + RECENT + " timeline entries, then each new one, and a progress line",
                "([#####.....] 50%%  step 3/5  progressing), redrawn in place on a terminal, else printed again",
                "when it changes. -o json prints each entry as JSON instead, and no progress line. The release",
                "has ended when it is promoted or rolled back and its last actions are carried out."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:promoted", "1:the input was rejected (no such release, the server refused)",
                "2:the command line was wrong", Main.ROLLED_BACK + ":rolled back",
                Main.TIMED_OUT + ":still running when --timeout was up",
                Main.UNAVAILABLE + ":the server could not be reached, or failed"})
    static final class Watch implements Callable<Integer> {
        @Mixin
        ServerConnection connection;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The release's name.")
        String name;

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
                description = "How often to ask the server: 500ms, 1s, 5s (default: ${DEFAULT-VALUE}).")
        String interval;

        @Option(names = "--timeout", paramLabel = "DURATION",
                description = "Stop waiting after this long, such as 30m (default: wait until the release ends).")
        String timeout;

        @Override
        public Integer call() {
            Duration every = GatewayCommand.duration("--interval", interval);
            long deadline = timeout == null ? Long.MAX_VALUE
                    : System.nanoTime() + GatewayCommand.duration("--timeout", timeout).toNanos();
            PrintWriter out = spec.commandLine().getOut();
            Progress progress = new Progress(out, System.console() != null);
            long seq = 0; // of the last entry printed; 0 before the first
            boolean first = true;
            while (true) {
                JsonNode release = connection.send("GET", path(name), null);
                List<JsonNode> entries = new ArrayList<>();
                if (first) {
                    entries.addAll(recent(connection, name).entries());
                    first = false;
                } else {
                    timeline(connection, name, seq, entries::add);
                }
                for (JsonNode entry : entries) {
                    if (connection.structured()) {
                        connection.printInStream(out, entry, seq == 0);
                    } else {
                        progress.above(entry(entry));
                    }
                    seq = entry.path("seq").asLong();
                }
                if (!connection.structured()) {
                    progress.show(bar(release));
                }
                String phase = release.path("phase").asText();
                if ((phase.equals("promoted") || phase.equals("rolled-back")) && release.path("pending").asInt() == 0) {
                    progress.end();
                    if (phase.equals("promoted")) {
                        return 0;
                    }
                    spec.commandLine().getErr().println("ramp: release " + name + " (attempt "
                            + release.path("attempt").asInt() + "): " + release.path("message").asText());
                    return Main.ROLLED_BACK;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    progress.end();
                    spec.commandLine().getErr().println("ramp: stopped waiting after " + timeout + ": release " + name
                            + " is " + position(release));
                    return Main.TIMED_OUT;
                }
                try {
                    Thread.sleep(Math.min(every.toMillis(), Math.max(1, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Main.InputRejected("interrupted");
                }
            }
        }
    }

    /**
     * The progress line of {@code watch} and the lines printed above it. On a terminal the progress line is redrawn
     * in place ({@code \r}), and lines printed above it clear and redraw it; elsewhere (a file, a pipe) it is
     * printed as a line of its own, and only when it changes.
     */
    static final class Progress {
        private final PrintWriter out;
        private final boolean terminal;
        private String shown = "";

        Progress(PrintWriter out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        /** Prints {@code lines} above the progress line. */
        void above(List<String> lines) {
            boolean redraw = terminal && !shown.isEmpty();
            if (redraw) {
                out.print("\r" + " ".repeat(shown.length()) + "\r");
            }
            lines.forEach(out::println);
            if (redraw) {
                out.print(shown);
            }
            out.flush();
        }

        /** Makes {@code line} the progress line. */
        void show(String line) {
            if (line.equals(shown)) {
                return;
            }
            if (terminal) {
                out.print("\r" + line + " ".repeat(Math.max(0, shown.length() - line.length())));
            } else {
                out.println(line);
            }
            shown = line;
            out.flush();
        }

        /** Ends the progress line, so that what follows starts on a line of its own. */
        void end() {
            if (terminal && !shown.isEmpty()) {
                out.println();
            }
            out.flush();
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a release that has ended, with its timeline.")
    static final class Delete extends OnResource {
        @Override
        JsonNode send() {
            connection.change("DELETE", path(name), "", null);
            return JsonNodeFactory.instance.objectNode().put("deleted", name);
        }

        @Override
        void print(PrintWriter out, JsonNode deleted) {
            out.println("Deleted release " + name + ".");
        }
    }

    /** A command given to a release: {@code POST .../{name}/ACTION}, answered with the release after it. */
    abstract static class Act extends OnResource {
        /** What follows the release's path: the command, such as {@code abort}. */
        private final String action;
        /** What the printed line says was done, such as {@code Aborted}. */
        private final String done;

        Act(String action, String done) {
            this.action = action;
            this.done = done;
        }

        /** The path's ending and the printed word; {@code promote --full} changes both. */
        String action() {
            return action;
        }

        String done() {
            return done;
        }

        @Override
        JsonNode send() {
            return connection.send("POST", path(name) + "/" + action(), null);
        }

        @Override
        void print(PrintWriter out, JsonNode release) {
            out.printf("%s release %s, version %s: %s.%n", done(), name, release.path("version").asText(),
                    position(release));
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Ends the current step now (its pause, analysis or gate); --full skips every step left.")
    static final class Promote extends Act {
        @Option(names = "--full", description = "Give the new version everything now: the steps left are skipped.")
        boolean full;

        Promote() {
            super("promote", "Promoted");
        }

        @Override
        String action() {
            return full ? super.action() + "?full=true" : super.action();
        }

        @Override
        String done() {
            return full ? "Fully promoted" : super.done();
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Rolls back now: a canary route's weight goes to 0, a blue/green route switches back, a flag's"
                    + " rollout returns to where it was.")
    static final class Abort extends Act {
        Abort() {
            super("abort", "Aborted");
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Runs a rolled-back release again from its first step, with fresh analyses.")
    static final class Retry extends Act {
        Retry() {
            super("retry", "Retried");
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Stops ending steps; the background analysis keeps watching, and can still roll back.")
    static final class Pause extends Act {
        Pause() {
            super("pause", "Paused");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Goes on after a pause; the current step's analysis measures from now.")
    static final class Resume extends Act {
        Resume() {
            super("resume", "Resumed");
        }
    }

    @Command(name = "undo", mixinStandardHelpOptions = true,
            description = "Rolls a promoted release back: its target returns to where it was before the release.")
    static final class Undo extends Act {
        Undo() {
            super("undo", "Undid");
        }
    }

    /** The latest timeline entries (at most {@link #RECENT}), and how many there are in all. */
    record Recent(List<JsonNode> entries, long total) {
        Recent {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The latest entries of a release's timeline. The API reads a timeline forwards only, so this reads all of it,
     * a page at a time.
     */
    private static Recent recent(ServerConnection connection, String name) {
        Deque<JsonNode> latest = new ArrayDeque<>();
        long total = timeline(connection, name, 0, entry -> {
            latest.addLast(entry);
            if (latest.size() > RECENT) {
                latest.removeFirst();
            }
        });
        return new Recent(List.copyOf(latest), total);
    }

    /**
     * Hands {@code each} every entry of a release's timeline after sequence number {@code after}, in order; how many
     * there were.
     */
    private static long timeline(ServerConnection connection, String name, long after, Consumer<JsonNode> each) {
        long seq = after;
        long handed = 0;
        while (true) {
            JsonNode items = connection.send("GET", path(name) + "/timeline?after=" + seq + "&limit=" + PAGE, null)
                    .path("items");
            items.forEach(each);
            handed += items.size();
            if (items.size() < PAGE) {
                return handed;
            }
            seq = items.get(items.size() - 1).path("seq").asLong();
        }
    }

    /**
     * A timeline entry: {@code TIME  TYPE  MESSAGE}, then, for a measurement or an analysis, a line per metric:
     * {@code errors: PASS, e-value=0.42 vs 100, samples stable 900 / canary 100, estimates stable 0.01 / canary 0.011}.
     */
    static List<String> entry(JsonNode entry) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s  %-" + TYPE_WIDTH + "s  %s", time(entry.path("at")),
                entry.path("type").asText(), entry.path("message").asText()).stripTrailing());
        for (JsonNode result : entry.path("evidence")) {
            StringBuilder line = new StringBuilder("    ").append(result.path("metric").asText()).append(": ")
                    .append(result.path("outcome").asText());
            if (result.path("value").isNumber()) {
                line.append(", ").append(result.path("statistic").asText()).append('=').append(figure(result.path("value")));
                if (result.path("bound").isNumber()) {
                    line.append(" vs ").append(figure(result.path("bound")));
                }
            }
            line.append(", samples stable ").append(result.path("stableSamples").asLong()).append(" / canary ")
                    .append(result.path("canarySamples").asLong())
                    .append(", estimates stable ").append(figure(result.path("stableEstimate")))
                    .append(" / canary ").append(figure(result.path("canaryEstimate")));
            lines.add(line.toString());
        }
        return lines;
    }

    /** {@code [#####.....] 50%  step 3/5  progressing}: a mark for each 10% of the new version's share. */
    static String bar(JsonNode release) {
        int weight = release.path("weight").asInt();
        int marks = Math.max(0, Math.min(10, weight / 10));
        return "[" + "#".repeat(marks) + ".".repeat(10 - marks) + "] " + weight + "%  step " + stepOfSteps(release)
                + "  " + release.path("phase").asText();
    }

    /** {@code 3/5}: the current step of all; the last once every step is done. */
    private static String stepOfSteps(JsonNode release) {
        int steps = release.path("steps").size();
        return Math.min(release.path("step").asInt() + 1, steps) + "/" + steps;
    }

    /** {@code progressing at step 2/4 (pause until promoted), weight 10%}. */
    private static String position(JsonNode release) {
        JsonNode steps = release.path("steps");
        int step = release.path("step").asInt();
        String at = step < steps.size()
                ? " at step " + (step + 1) + "/" + steps.size() + " (" + steps.get(step).asText() + ")"
                : " after its " + steps.size() + " steps";
        return release.path("phase").asText() + at + ", weight " + release.path("weight").asInt() + "%";
    }

    /** {@code route checkout}, or {@code flag new-checkout in production}. */
    private static String target(JsonNode release) {
        JsonNode target = release.path("target");
        String route = target.path("route").asText();
        return route.isEmpty() ? "flag " + target.path("flag").asText() + " in " + target.path("environment").asText()
                : "route " + route;
    }

    /** An instant to the second, such as {@code 2026-12-01T10:00:03Z}. */
    private static String time(JsonNode at) {
        if (!at.isTextual()) {
            return ExperimentCommand.NONE;
        }
        try {
            return Instant.parse(at.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return at.asText();
        }
    }

    /** A statistic or an estimate: whole numbers as they are, others to three significant digits. */
    static String figure(JsonNode number) {
        if (!number.isNumber()) {
            return ExperimentCommand.NONE;
        }
        double value = number.doubleValue();
        double magnitude = Math.abs(value);
        if (value == Math.rint(value) && magnitude < 1e6) {
            return Long.toString((long) value);
        }
        if (magnitude >= 1e-4 && magnitude < 1e6) {
            return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.2e", value);
    }
}
