package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ramp experiment apply|list|get|start|stop|ship|delete|results}: A/B experiments through a running server's
 * admin API. Every change reads the experiment's ETag first and sends it back in {@code If-Match}, so a change made
 * by someone else in between is refused (412) rather than overwritten.
 */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = "Applies, starts, stops, ships and reads A/B experiments on a running server.",
        footer = {"", "Example:",
            "  ramp experiment apply -f green-button.yaml",
            "  ramp experiment start green-button",
            "  ramp experiment results green-button"},
        subcommands = {ExperimentCommand.Apply.class, ExperimentCommand.ListExperiments.class, ExperimentCommand.Get.class,
            ExperimentCommand.Start.class, ExperimentCommand.Stop.class, ExperimentCommand.Ship.class,
            ExperimentCommand.Delete.class, ExperimentCommand.Results.class})
final class ExperimentCommand extends CommandGroup {
    private static final String BASE = "/api/v1/experiments";
    /** Shown for a figure that is undefined (JSON null), such as the lift of the control against itself. */
    static final String NONE = "–";



    private static String path(String name) {
        return BASE + "/" + ServerConnection.segment(name);
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Creates or replaces an experiment from a YAML or JSON file.",
            footer = {"", "The file holds one document with kind: Experiment (see docs/experiments.md). When the"
                + " experiment exists, apply replaces it: a draft in every field, a started experiment only in its"
                + " description and hypothesis; a document the experiment has already sends nothing. ramp apply takes"
                + " experiments too, with the other kinds."})
    static final class Apply extends ApplyFiles {
        @Override
        List<Kind> kinds() {
            return List.of(Kind.EXPERIMENT);
        }

        @Override
        boolean several() {
            return false;
        }

        @Override
        void print(PrintWriter out, Reconciler.Change change, JsonNode experiment) {
            String name = change.document().key();
            out.printf("%s experiment %s (%s, version %s).%n", RouteCommand.done(change.action()), name,
                    experiment.path("status").asText(), experiment.path("version").asText());
            if (experiment.path("status").asText().equals("draft")) {
                out.println("Start it with: ramp experiment start " + name);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists experiments, optionally of one environment or status.")
    static final class ListExperiments extends OneRequest {

        @Option(names = {"-e", "--environment"}, paramLabel = "ENV", description = "Only experiments in this environment.")
        String environment;

        @Option(names = "--status", paramLabel = "STATUS",
                description = "Only experiments with this status: draft, running, stopped or shipped.")
        String status;

        @Override
        JsonNode send() {
            StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
            if (environment != null) {
                query.add("environment=" + ServerConnection.segment(environment));
            }
            if (status != null) {
                query.add("status=" + ServerConnection.segment(status));
            }
            return connection.send("GET", BASE + query, null);
        }

        @Override
        void print(PrintWriter out, JsonNode listed) {
            Table table = new Table("NAME", "FLAG", "ENVIRONMENT", "STATUS", "PRIMARY METRIC", "STARTED", "VERSION");
            for (JsonNode experiment : listed.path("items")) {
                table.row(experiment.path("name").asText(), experiment.path("flag").asText(),
                        experiment.path("environment").asText(), experiment.path("status").asText(),
                        metric(experiment.path("primaryMetric")), text(experiment.path("startedAt")),
                        experiment.path("version").asText());
            }
            table.print(out, Set.of());
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Shows one experiment: its definition, status and arms.")
    static final class Get extends OnResource {
        @Override
        JsonNode send() {
            return connection.send("GET", path(name), null);
        }

        @Override
        void print(PrintWriter out, JsonNode experiment) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", experiment.path("name").asText());
            fields.put("status", experiment.path("status").asText());
            fields.put("flag", experiment.path("flag").asText());
            fields.put("environment", experiment.path("environment").asText());
            fields.put("control", or(experiment.path("control").asText(), "(the flag's first variant, named at start)"));
            fields.put("arms", arms(experiment.path("arms")));
            fields.put("primary metric", metric(experiment.path("primaryMetric")));
            List<String> guardrails = new ArrayList<>();
            experiment.path("guardrailMetrics").forEach(metric -> guardrails.add(metric(metric)));
            fields.put("guardrail metrics", guardrails.isEmpty() ? "none" : String.join(", ", guardrails));
            fields.put("minimum detectable effect", Numbers.percent(number(experiment.path("minimumDetectableEffect"))));
            fields.put("alpha", experiment.path("alpha").asText());
            fields.put("power", experiment.path("power").asText());
            fields.put("hypothesis", or(experiment.path("hypothesis").asText(), NONE));
            fields.put("description", or(experiment.path("description").asText(), NONE));
            fields.put("shipped variant", or(experiment.path("shippedVariant").asText(), NONE));
            fields.put("started", text(experiment.path("startedAt")));
            fields.put("stopped", text(experiment.path("stoppedAt")));
            fields.put("version", experiment.path("version").asText());
            fields.put("updated", text(experiment.path("updatedAt")));
            printFields(out, fields);
        }

        private static String arms(JsonNode arms) {
            List<String> each = new ArrayList<>();
            arms.forEach(arm -> each.add(arm.path("variant").asText() + " " + Numbers.percent(number(arm.path("weight")))));
            return each.isEmpty() ? NONE + " (set from the flag's variants at start)" : String.join(", ", each);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts a draft: from now on its exposures and metric events count.",
            footer = {"", "The flag needs impressionData on, and to serve one split of at least two variants in",
                "the experiment's environment; that split, recorded at start, is the experiment's arms."})
    static final class Start extends OnResource {
        @Override
        JsonNode send() {
            return connection.change("POST", path(name), "/start", null);
        }

        @Override
        void print(PrintWriter out, JsonNode started) {
            out.printf("Started experiment %s at %s: arms %s, control %s (version %s).%n", name,
                    started.path("startedAt").asText(), Get.arms(started.path("arms")),
                    started.path("control").asText(), started.path("version").asText());
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops counting and freezes the results; the flag is left as it is.")
    static final class Stop extends OnResource {
        @Override
        JsonNode send() {
            return connection.change("POST", path(name), "/stop", null);
        }

        @Override
        void print(PrintWriter out, JsonNode stopped) {
            out.printf("Stopped experiment %s at %s (version %s); flag %s is left as it is.%n", name,
                    stopped.path("stoppedAt").asText(), stopped.path("version").asText(), stopped.path("flag").asText());
        }
    }

    @Command(name = "ship", mixinStandardHelpOptions = true,
            description = "Serves one variant to every unit, and stops the experiment if it runs.",
            footer = {"", "The flag becomes on in the experiment's environment with one 100%% rollout serving",
                "VARIANT. The change is audited; the flag's earlier state stays in its history, from",
                "which POST /api/v1/flags/{key}/revert restores it."})
    static final class Ship extends OnResource {
        @Parameters(index = "1", paramLabel = "VARIANT", description = "The arm to serve to everyone.")
        String variant;

        @Override
        JsonNode send() {
            return connection.change("POST", path(name), "/ship", JsonNodeFactory.instance.objectNode().put("variant", variant));
        }

        @Override
        void print(PrintWriter out, JsonNode shipped) {
            String flag = shipped.path("flag").asText();
            out.printf("Shipped %s of experiment %s (version %s): flag %s now serves %s to every unit in %s.%n",
                    shipped.path("shippedVariant").asText(), name, shipped.path("version").asText(), flag,
                    shipped.path("shippedVariant").asText(), shipped.path("environment").asText());
            out.printf("Its earlier state is in GET /api/v1/flags/%s/history; POST /api/v1/flags/%s/revert restores it.%n",
                    flag, flag);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes an experiment that is not running, with what it counted.")
    static final class Delete extends OnResource {
        @Override
        JsonNode send() {
            connection.change("DELETE", path(name), "", null);
            return JsonNodeFactory.instance.objectNode().put("deleted", name);
        }

        @Override
        void print(PrintWriter out, JsonNode deleted) {
            out.println("Deleted experiment " + name + ".");
        }
    }

    @Command(name = "results", mixinStandardHelpOptions = true,
            description = "Shows lifts per metric and arm, the sample-ratio check and a recommendation.",
            footer = {"", "The classic intervals (CI) and P hold for one look, at the planned end; SEQ REL LIFT (a",
                "confidence sequence, CS) holds at every look, and the recommendation rests on it.",
                "P is Holm-adjusted over the treatments. See docs/experiments.md."})
    static final class Results extends OnResource {
        @Override
        JsonNode send() {
            return connection.send("GET", path(name) + "/results", null);
        }

        @Override
        void print(PrintWriter out, JsonNode results) {
            ResultsReport.print(out, results);
        }
    }

    static String metric(JsonNode metric) {
        if (metric.isMissingNode() || metric.isNull()) {
            return NONE;
        }
        return metric.path("event").asText() + " (" + metric.path("kind").asText() + ", " + metric.path("goal").asText() + ")";
    }

    /** A JSON number as a double; null for null or absent (the server sends an undefined figure as null). */
    static Double number(JsonNode node) {
        return node.isNumber() ? node.doubleValue() : null;
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() || node.asText().isEmpty() ? NONE : node.asText();
    }

    private static String or(String text, String instead) {
        return text.isEmpty() ? instead : text;
    }

    static void printFields(PrintWriter out, Map<String, String> fields) {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        fields.forEach((key, value) -> out.printf("%-" + width + "s %s%n", key + ":", value));
    }

    /** The text form of {@code GET .../results}. */
    static final class ResultsReport {
        private ResultsReport() {}

        static void print(PrintWriter out, JsonNode results) {
            Map<String, String> header = new LinkedHashMap<>();
            header.put("experiment", results.path("experiment").asText());
            header.put("flag", results.path("flag").asText());
            header.put("environment", results.path("environment").asText());
            header.put("status", results.path("status").asText());
            header.put("started", text(results.path("startedAt")));
            if (!results.path("stoppedAt").isNull() && !results.path("stoppedAt").isMissingNode()) {
                header.put("stopped", text(results.path("stoppedAt")));
            }
            long several = results.path("unitsInSeveralArms").asLong();
            header.put("units", results.path("units").asText()
                    + (several > 0 ? " (" + several + " in several arms, each counted in the arm it saw first)" : ""));
            JsonNode planned = results.path("plannedUnitsPerArm");
            header.put("planned units per arm", planned.isNumber() ? planned.asText() : NONE + " (until the control has data)");
            printFields(out, header);
            out.println(sampleRatio(results.path("sampleRatio"), arms(results)));

            for (JsonNode metric : results.path("metrics")) {
                out.println();
                boolean conversion = metric.path("kind").asText().equals("conversion");
                out.printf("%s metric %s: %s, goal %s%n", capitalized(metric.path("role").asText()),
                        metric.path("event").asText(), metric.path("kind").asText(), metric.path("goal").asText());
                String classic = Numbers.level(1 - results.path("alpha").asDouble()) + " CI";
                String sequential = Numbers.level(1 - results.path("sequentialAlpha").asDouble()) + " CS";
                Table table = new Table("VARIANT", "UNITS", "MEAN", "ABS LIFT [" + classic + "]", "REL LIFT [" + classic + "]",
                        "SEQ REL LIFT [" + sequential + "]", "P", "CHANCE TO WIN", "VERDICT");
                for (JsonNode arm : metric.path("arms")) {
                    String variant = arm.path("variant").asText() + (arm.path("control").asBoolean() ? " (control)" : "");
                    Double mean = number(arm.path("mean"));
                    JsonNode comparison = arm.path("comparison");
                    table.row(variant, arm.path("units").asText(), conversion ? Numbers.percent(mean) : Numbers.plain(mean),
                            lift(comparison.path("absoluteLift"), conversion ? Numbers::points : Numbers::signed),
                            lift(comparison.path("relativeLift"), Numbers::signedPercent),
                            lift(comparison.path("sequentialRelativeLift"), Numbers::signedPercent),
                            Numbers.pValue(number(comparison.path("adjustedPValue"))),
                            Numbers.chance(number(comparison.path("chanceToWin"))),
                            text(comparison.path("verdict")));
                }
                table.print(out, Set.of(1, 2, 3, 4, 5, 6, 7));
            }
            out.println();
            out.println(recommendation(results.path("recommendation")));
        }

        /**
         * {@code Recommendation: SHIP green — <reason>}. The server's reason opens with the action ("ship green: ..."),
         * which the line already says, so that opening is left out.
         */
        static String recommendation(JsonNode recommendation) {
            String action = recommendation.path("action").asText().replace('-', ' ');
            String variant = recommendation.path("variant").asText();
            String said = action + (variant.isEmpty() ? "" : " " + variant);
            String reason = recommendation.path("reason").asText();
            if (reason.startsWith(said + ": ")) {
                reason = reason.substring(said.length() + 2);
            }
            return "Recommendation: " + action.toUpperCase(Locale.ROOT) + (variant.isEmpty() ? "" : " " + variant)
                    + " — " + reason;
        }

        /** The arms in the order the metrics show them (control first), then any others the check names. */
        private static List<String> arms(JsonNode results) {
            Set<String> arms = new LinkedHashSet<>();
            for (JsonNode metric : results.path("metrics")) {
                metric.path("arms").forEach(arm -> arms.add(arm.path("variant").asText()));
            }
            List<String> rest = new ArrayList<>();
            results.path("sampleRatio").path("expected").fieldNames().forEachRemaining(rest::add);
            rest.sort(null);
            arms.addAll(rest);
            return List.copyOf(arms);
        }

        private static String sampleRatio(JsonNode check, List<String> arms) {
            Double p = number(check.path("pValue"));
            long total = 0;
            for (String arm : arms) {
                total += check.path("observed").path(arm).asLong();
            }
            List<String> shares = new ArrayList<>();
            for (String arm : arms) {
                long observed = check.path("observed").path(arm).asLong();
                shares.add(arm + " " + (total == 0 ? NONE : Numbers.percent(observed / (double) total))
                        + " (expected " + Numbers.percent(number(check.path("expected").path(arm))) + ")");
            }
            if (p == null) {
                return "SRM: " + NONE + " (no unit exposed yet)";
            }
            return "SRM: " + (check.path("mismatch").asBoolean() ? "MISMATCH" : "OK") + " — " + String.join(", ", shares)
                    + "; p " + (p < 0.001 ? "< 0.001" : "= " + Numbers.pValue(p));
        }

        private static String lift(JsonNode lift, java.util.function.Function<Double, String> format) {
            Double estimate = number(lift.path("estimate"));
            if (estimate == null) {
                return NONE;
            }
            Double lower = number(lift.path("lower"));
            Double upper = number(lift.path("upper"));
            if (lower == null || upper == null) {
                return format.apply(estimate);
            }
            return format.apply(estimate) + " [" + format.apply(lower) + ", " + format.apply(upper) + "]";
        }

        private static String capitalized(String text) {
            return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
        }
    }

    /** How results show numbers; {@link #NONE} for null. */
    static final class Numbers {
        private Numbers() {}

        /** A share as a percentage, one decimal; two significant digits below 0.1%. */
        static String percent(Double share) {
            return share == null ? NONE : magnitude(share * 100) + "%";
        }

        static String signedPercent(Double share) {
            return share == null ? NONE : sign(share * 100, magnitude(share * 100)) + "%";
        }

        /** A difference of two shares, in percentage points. */
        static String points(Double difference) {
            return difference == null ? NONE : sign(difference * 100, magnitude(difference * 100)) + " pp";
        }

        /** A mean per unit or per event, or a difference of two: two decimals; two significant digits below 0.1. */
        static String plain(Double value) {
            if (value == null) {
                return NONE;
            }
            double abs = Math.abs(value);
            if (abs >= 0.1 || abs == 0) {
                return String.format(Locale.ROOT, "%.2f", value);
            }
            return new BigDecimal(value).round(new MathContext(2)).toPlainString();
        }

        static String signed(Double value) {
            return value == null ? NONE : sign(value, plain(value));
        }

        static String pValue(Double p) {
            if (p == null) {
                return NONE;
            }
            return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
        }

        static String chance(Double chance) {
            if (chance == null) {
                return NONE;
            }
            if (chance > 0.999) {
                return ">99.9%";
            }
            if (chance < 0.001) {
                return "<0.1%";
            }
            return String.format(Locale.ROOT, "%.1f%%", chance * 100);
        }

        /** A confidence level such as 95% or 99.5%. */
        static String level(double level) {
            return new BigDecimal(level * 100).round(new MathContext(4)).stripTrailingZeros().toPlainString() + "%";
        }

        private static String magnitude(double value) {
            double abs = Math.abs(value);
            if (abs >= 0.1 || abs == 0) {
                return String.format(Locale.ROOT, "%.1f", value);
            }
            return new BigDecimal(value).round(new MathContext(2)).toPlainString();
        }

        /** {@code formatted} with a {@code +} when {@code value} is above 0; a value that rounds to 0 loses its sign. */
        private static String sign(double value, String formatted) {
            if (formatted.matches("-?[0.]+")) {
                return formatted.replace("-", "");
            }
            return value > 0 ? "+" + formatted : formatted;
        }
    }
}
