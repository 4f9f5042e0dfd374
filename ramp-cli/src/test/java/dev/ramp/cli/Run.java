package dev.ramp.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

/** One in-process run of the command line: its exit code and what it printed. */
record Run(int exitCode, String out, String err) {

    static Run of(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
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
