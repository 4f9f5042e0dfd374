package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A subcommand that sends one request (or, for a list read page by page, what its requests read) and prints the
 * reply: as the server sent it with {@code -o json} or {@code -o yaml}, else as text. The lists extend it as they
 * are; {@link OnResource} and {@link FlagsCommand.OnFlag} add what names the resource.
 */
abstract class OneRequest implements Callable<Integer> {
    @Mixin
    ServerConnection connection;

    @Spec
    CommandSpec spec;

    /** Sends the request; returns the reply to print. */
    abstract JsonNode send();

    /** Prints {@code reply} as text. */
    abstract void print(PrintWriter out, JsonNode reply);

    @Override
    public Integer call() {
        JsonNode reply = send();
        PrintWriter out = spec.commandLine().getOut();
        if (connection.structured()) {
            connection.print(out, reply);
        } else {
            print(out, reply);
        }
        return 0;
    }
}
