package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.cli.DocumentFile.Document;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that applies documents from files ({@code ramp apply}, and {@code ramp route|release|experiment apply}
 * on one kind): every file is read and every document checked before anything is sent, then each document is
 * applied in {@link Kind} order by a {@link Reconciler}, and a line printed for it. The first refusal stops it;
 * what was applied before stays applied.
 */
abstract class ApplyFiles implements Callable<Integer> {
    @Mixin
    ServerConnection connection;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE|DIR",
            description = "Documents: a YAML file (documents apart by ---), a JSON file (.json), or a directory of them,"
                    + " read at any depth in the order of their paths. Repeatable.")
    List<Path> files;

    /** The kinds the command takes; with one, documents may leave {@code kind:} out. */
    abstract List<Kind> kinds();

    /** Whether a file may hold several documents. */
    boolean several() {
        return true;
    }

    /** Prints, as text, what applying one document did; {@code resource} is the server's after it. */
    abstract void print(PrintWriter out, Reconciler.Change change, JsonNode resource);

    /** Every document of the files, checked, in the order they are applied. */
    List<Document> documents() {
        List<Document> documents = Reconciler.ordered(DocumentFile.readAll(files, kinds(), several()));
        documents.forEach(Reconciler::check);
        return documents;
    }

    @Override
    public Integer call() {
        List<Document> documents = documents();
        Reconciler reconciler = new Reconciler(connection);
        reconciler.checkSegments(documents);
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < documents.size(); i++) {
            Reconciler.Change change = reconciler.plan(documents.get(i), Set.of());
            JsonNode resource = reconciler.carryOut(change);
            if (connection.structured()) {
                connection.printInStream(out, resource, i == 0);
            } else {
                print(out, change, resource);
            }
            out.flush();
        }
        return 0;
    }
}
