package dev.ramp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ramp}: progressive delivery for the JVM. */
@Command(
        name = "ramp",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Progressive delivery for the JVM: feature flags, canaries, blue/green and experiments.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the input was rejected, by ramp or by the server (4xx): the message says why",
            "2:the command line was wrong (an unknown option, a missing or bad argument)",
            "3:ramp release watch: the release was rolled back",
            "4:ramp release watch: the release still ran when --timeout was up",
            "5:ramp diff: applying the documents would change something",
            "6:the server could not be reached, or failed (5xx)",
            "7:ramp demo: a release did not end as the story expects, or the story could not be told"},
        footer = {"", "Commands that talk to a server take --server and --token, else RAMP_SERVER and RAMP_TOKEN,"
            + " else the config file (ramp config --help). See docs/cli.md."},
        subcommands = {DemoCommand.class, ServerCommand.class, GatewayCommand.class, ApplyCommand.class, DiffCommand.class,
            FlagsCommand.class, ReleaseCommand.class, RouteCommand.class, ExperimentCommand.class, TokensCommand.class,
            EvalCommand.class, ValidateCommand.class, BucketCommand.class, ConfigCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class Main extends CommandGroup {
    /** The input was rejected, by ramp or by the server (a 4xx): the message names the file or field and why. */
    static final int INPUT_REJECTED = 1;
    /** The command line was wrong: picocli's usage error. */
    static final int USAGE = CommandLine.ExitCode.USAGE;
    /** {@code ramp release watch}: the release was rolled back. */
    static final int ROLLED_BACK = 3;
    /** {@code ramp release watch}: the release still ran when {@code --timeout} was up. */
    static final int TIMED_OUT = 4;
    /** {@code ramp diff}: applying the documents would change something on the server. */
    static final int CHANGES = 5;
    /** The server could not be reached, or failed (a 5xx): trying again later may work. */
    static final int UNAVAILABLE = 6;
    /** {@code ramp demo}: a release did not end as the story expects, or the story could not be told. */
    static final int DEMO_FAILED = 7;


    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv(), args));
    }

    /**
     * Runs the command line with {@code environment} as the process environment and returns its exit code; used by
     * {@link #main} and by tests, which so never depend on the real environment.
     */
    static int run(PrintWriter out, PrintWriter err, Map<String, String> environment, String... args) {
        return commandLine(out, err, environment).execute(args);
    }

    /** The whole command line, printing to {@code out} and {@code err}, with {@code environment} as the environment. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new Main(), new WithEnvironment(Map.copyOf(environment)));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        versionEverywhere(commandLine);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof Failed failed) {
                for (String problem : failed.getMessage().split("\n", -1)) {
                    line.getErr().println("ramp: " + problem);
                }
                return failed.exitCode();
            }
            throw exception;
        });
        return commandLine;
    }


    /** A command that could not do its work: the message, one problem a line, each printed after {@code ramp: }. */
    abstract static class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }

        abstract int exitCode();
    }

    /** Input that cannot be used: the message names the file or field and the reason. Exit code 1. */
    static class InputRejected extends Failed {
        private static final long serialVersionUID = 1L;

        InputRejected(String message) {
            super(message);
        }

        @Override
        int exitCode() {
            return INPUT_REJECTED;
        }
    }

    /** The server did not answer, or failed (5xx). Exit code 6. */
    static final class Unavailable extends Failed {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }

        @Override
        int exitCode() {
            return UNAVAILABLE;
        }
    }

    /**
     * Creates each command and mixin, handing the environment to those that take one ({@code Map<String, String>}
     * constructor), so that no command reads {@link System#getenv()} itself.
     */
    private record WithEnvironment(Map<String, String> environment) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                Class<?>[] parameters = constructor.getParameterTypes();
                if (parameters.length == 1 && parameters[0] == Map.class) {
                    constructor.setAccessible(true);
                    return type.cast(constructor.newInstance(environment));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /** Every subcommand's {@code -V} prints the version, as {@code ramp -V} does (picocli gives only the root one). */
    private static void versionEverywhere(CommandLine command) {
        command.getCommandSpec().versionProvider(new Version());
        command.getSubcommands().values().forEach(Main::versionEverywhere);
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
