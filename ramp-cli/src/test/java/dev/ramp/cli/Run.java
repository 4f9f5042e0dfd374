package dev.ramp.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** One in-process run of the command line: its exit code and what it printed. */
record Run(int exitCode, String out, String err) {
    /**
     * The environment of every run that names none: only {@code RAMP_CONFIG}, at a file that does not exist, so that
     * no test reads the real environment or the real home's config file.
     */
    static final Map<String, String> NO_ENVIRONMENT = Map.of("RAMP_CONFIG",
            Path.of("target", "no-ramp-config", "config.yaml").toAbsolutePath().toString());

    static Run of(String... args) {
        return with(NO_ENVIRONMENT, args);
    }

    /** {@code args} with {@code environment} as the process environment. */
    static Run with(Map<String, String> environment, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), environment, args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** {@code args} against a running server: {@code --server} and {@code --token} follow them. */
    static Run against(String server, String token, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--server";
        all[args.length + 1] = server;
        all[args.length + 2] = "--token";
        all[args.length + 3] = token;
        return of(all);
    }
}
