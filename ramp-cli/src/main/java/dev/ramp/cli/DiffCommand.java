package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.cli.DocumentFile.Document;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;

/**
 * {@code ramp diff -f FILE|DIR}: what {@code ramp apply} of the same files would change, sending nothing but reads.
 * Exits {@link Main#CHANGES} when something would change.
 */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = "Shows what ramp apply of the same documents would change, without changing anything.",
        footer = {"", "A line a document (would create, would update, unchanged), each change followed by a unified"
            + " diff of the resource's YAML as the server's model has it (defaults filled in, version and dates left"
            + " out): --- the server's, +++ the document's. -o json or -o yaml prints, per document, its kind, name,"
            + " action and both versions instead."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:nothing would change", "1:the input was rejected", "2:the command line was wrong",
            Main.CHANGES + ":applying would change something", Main.UNAVAILABLE + ":the server could not be reached"})
final class DiffCommand extends ApplyFiles {
    @Override
    List<Kind> kinds() {
        return List.of(Kind.values());
    }

    @Override
    void print(PrintWriter out, Reconciler.Change change, JsonNode resource) {
        Document document = change.document();
        switch (change.action()) {
            case CREATE:
                out.println("would create " + document.id());
                break;
            case UPDATE:
                out.println("would update " + document.id());
                break;
            default:
                out.println("unchanged " + document.id());
                return;
        }
        List<String> before = change.current().isMissingNode() ? List.of() : Format.yaml(change.current()).lines().toList();
        String from = change.current().isMissingNode() ? "/dev/null"
                : document.id() + " on the server (version " + change.resource().path("version").asText() + ")";
        UnifiedDiff.of(from, before, document.id() + " in " + document.where(), Format.yaml(change.desired()).lines().toList())
                .forEach(out::println);
    }

    @Override
    public Integer call() {
        List<Document> documents = documents();
        Reconciler reconciler = new Reconciler(connection);
        reconciler.checkSegments(documents);
        PrintWriter out = spec.commandLine().getOut();
        Set<String> segments = new HashSet<>();
        Map<Reconciler.Action, Integer> counts = new EnumMap<>(Reconciler.Action.class);
        for (int i = 0; i < documents.size(); i++) {
            Document document = documents.get(i);
            Reconciler.Change change = reconciler.plan(document, segments);
            if (document.kind() == Kind.SEGMENT) {
                segments.add(document.key());
            }
            counts.merge(change.action(), 1, Integer::sum);
            if (connection.structured()) {
                ObjectNode planned = JsonNodeFactory.instance.objectNode().put("kind", document.kind().kind())
                        .put("name", document.key()).put("where", document.where())
                        .put("action", change.action().name().toLowerCase(java.util.Locale.ROOT));
                planned.set("current", change.current().isMissingNode() ? null : change.current());
                planned.set("desired", change.desired());
                connection.printInStream(out, planned, i == 0);
            } else {
                print(out, change, change.resource());
            }
        }
        int changes = counts.getOrDefault(Reconciler.Action.CREATE, 0) + counts.getOrDefault(Reconciler.Action.UPDATE, 0);
        if (!connection.structured()) {
            out.printf("%d to create, %d to update, %d unchanged%n", counts.getOrDefault(Reconciler.Action.CREATE, 0),
                    counts.getOrDefault(Reconciler.Action.UPDATE, 0), counts.getOrDefault(Reconciler.Action.UNCHANGED, 0));
        }
        out.flush();
        return changes == 0 ? 0 : Main.CHANGES;
    }
}
