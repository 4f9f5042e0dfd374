package dev.ramp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluation;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.eval.VariantResult;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Evaluates flags from a snapshot file for one context, and says why each answer is what it is. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
                "Evaluates flags of a snapshot file (Unleash /api/client/features JSON, or delta events) for a context.",
                "Prints each flag's state, served variant and reason."},
        footer = {"", "Example:", "  ramp eval -f examples/flags.json -c userId=42 -c plan=pro checkout.v2"})
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--features"}, required = true, paramLabel = "FILE", description = "The snapshot file.")
    private Path file;

    @Option(names = {"-c", "--context"}, paramLabel = "NAME=VALUE",
            description = "A context field: userId, sessionId, remoteAddress, environment, appName, currentTime "
                    + "(ISO-8601), or any property. Repeatable.")
    private Map<String, String> context = Map.of();

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", converter = Format.Converter.class,
            description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
    private Format output;

    @Parameters(paramLabel = "FLAG", arity = "0..*", description = "Flags to evaluate (default: all).")
    private List<String> flags = List.of();

    @Override
    public Integer call() {
        FlagSnapshot snapshot = SnapshotFile.read(file);
        Context given = contextOf(context);
        Evaluator evaluator = Evaluator.of(snapshot, Clock.systemUTC(), ThreadLocalRandom.current());
        List<String> names = flags.isEmpty() ? snapshot.flags().stream().map(Flag::name).toList() : flags;
        var rows = new ArrayList<Row>();
        for (String name : names) {
            rows.add(new Row(name, evaluator.evaluateVariant(name, given)));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.structured()) {
            output.write(out, json(rows));
        } else {
            printTable(out, rows);
        }
        return 0;
    }

    /** One flag's answer, from a single evaluation so that state, variant and reason always agree. */
    private record Row(String flag, Evaluation<VariantResult> evaluation) {
        boolean enabled() {
            return evaluation.value().featureEnabled();
        }

        VariantResult variant() {
            return evaluation.value();
        }

        String reason() {
            return evaluation.errorMessage().isEmpty()
                    ? evaluation.reason().name()
                    : evaluation.reason() + " (" + evaluation.errorMessage() + ")";
        }
    }

    static Context contextOf(Map<String, String> fields) {
        Context.Builder builder = Context.builder();
        fields.forEach((name, value) -> {
            try {
                builder.set(name, value);
            } catch (IllegalArgumentException e) {
                throw new Main.InputRejected("--context " + name + ": " + e.getMessage());
            }
        });
        return builder.build();
    }

    private static void printTable(PrintWriter out, List<Row> rows) {
        int width = Math.max(4, rows.stream().mapToInt(row -> row.flag().length()).max().orElse(0));
        String format = "%-" + width + "s  %-7s  %-14s  %s%n";
        out.printf(format, "FLAG", "ENABLED", "VARIANT", "REASON");
        for (Row row : rows) {
            String variant = row.variant().enabled() ? row.variant().name() : "-";
            out.printf(format, row.flag(), row.enabled() ? "yes" : "no", variant, row.reason());
        }
    }

    private static ArrayNode json(List<Row> rows) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Row row : rows) {
            ObjectNode node = array.addObject();
            node.put("flag", row.flag());
            node.put("enabled", row.enabled());
            node.put("reason", row.evaluation().reason().name());
            node.put("errorCode", row.evaluation().errorCode().name());
            ObjectNode variant = node.putObject("variant");
            variant.put("name", row.variant().name());
            variant.put("enabled", row.variant().enabled());
            if (row.variant().payload().isPresent()) {
                variant.putObject("payload").put("type", row.variant().payload().type()).put("value", row.variant().payload().value());
            }
        }
        return array;
    }
}
