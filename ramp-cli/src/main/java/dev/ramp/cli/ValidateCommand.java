package dev.ramp.cli;

import dev.ramp.core.flag.FlagSnapshot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks that a snapshot file is valid Unleash client JSON; the error names the JSON path and the reason. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks snapshot files (Unleash /api/client/features JSON, or delta events). Exit 1 names the first error.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to check.")
    private java.util.List<Path> files;

    @Override
    public Integer call() {
        for (Path file : files) {
            FlagSnapshot snapshot = SnapshotFile.read(file);
            spec.commandLine().getOut().printf("%s: ok, %d flags, %d segments%n",
                    file, snapshot.flags().size(), snapshot.segments().size());
        }
        return 0;
    }
}
