package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code ramp apply -f FILE|DIR}: creates or updates the segments, flags, routes, experiments and releases of files. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = "Creates or updates the segments, flags, routes, experiments and releases that YAML or JSON"
                + " documents describe; sends nothing for those the server has as described.",
        footer = {"", "Documents are applied segments first, then flags, routes, experiments and releases, each"
            + " compared with the server's (its own fields, such as version and updatedAt, left out): an unchanged one"
            + " sends nothing, a new one is created, a changed one replaced with the version read (If-Match). A line a"
            + " document: created flag/checkout.v2, updated route/checkout, unchanged segment/pro-users. Nothing is"
            + " deleted. Preview with ramp diff; see docs/cli.md.",
            "", "Example:", "  ramp apply -f examples/shop"})
final class ApplyCommand extends ApplyFiles {
    @Override
    List<Kind> kinds() {
        return List.of(Kind.values());
    }

    @Override
    void print(PrintWriter out, Reconciler.Change change, JsonNode resource) {
        out.println(change.action().done() + " " + change.document().id());
    }
}
