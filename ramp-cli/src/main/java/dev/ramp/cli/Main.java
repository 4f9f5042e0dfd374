package dev.ramp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ramp}: progressive delivery for the JVM. */
@Command(
        name = "ramp",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Progressive delivery for the JVM: feature flags, canaries, blue/green and experiments.",
        subcommands = {DemoCommand.class, ServerCommand.class, GatewayCommand.class, TokensCommand.class, ExperimentCommand.class,
            RouteCommand.class, ReleaseCommand.class, EvalCommand.class,
            ValidateCommand.class, BucketCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final int INPUT_REJECTED = 1;
    /** {@code ramp release watch}: the release was rolled back. */
    static final int ROLLED_BACK = 3;
    /** {@code ramp release watch}: the release still ran when {@code --timeout} was up. */
    static final int TIMED_OUT = 4;
    /** {@code ramp demo}: a release did not end as the story expects, or the story could not be told. */
    static final int DEMO_FAILED = 5;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line and returns its exit code; used by {@link #main} and by tests. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof InputRejected rejected) {
                for (String problem : rejected.getMessage().split("\n", -1)) {
                    line.getErr().println("ramp: " + problem);
                }
                return INPUT_REJECTED;
            }
            throw exception;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Input that cannot be used: the message names the file or field and the reason; one problem a line, each printed
     * after {@code ramp: }.
     */
    static class InputRejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InputRejected(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            var properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/ramp-version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"ramp " + properties.getProperty("version", "unknown")
                    + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
