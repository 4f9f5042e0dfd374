package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The whole command tree: every command's help, and the completion script that knows them all. */
class CommandTreeTest {

    @Test
    void everyCommand_hasHelp_thatExitsZeroAndNamesItsUsage() {
        List<List<String>> paths = new ArrayList<>();
        walk(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Run.NO_ENVIRONMENT), new ArrayList<>(), paths);
        assertThat(paths).as("the tree as walked").hasSizeGreaterThan(50)
                .contains(List.of("apply"), List.of("diff"), List.of("flags", "rollout"), List.of("config", "view"),
                        List.of("completion"), List.of("release", "watch"));

        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run help = Run.of(args.toArray(String[]::new));
            assertThat(help.exitCode()).as("ramp %s --help: %s", String.join(" ", path), help.err()).isZero();
            assertThat(help.out()).as("ramp %s --help", String.join(" ", path))
                    .contains("Usage: ramp " + String.join(" ", path), "-h, --help");

            if (!path.equals(List.of("help"))) { // picocli's help command takes no options but -h
                args.set(args.size() - 1, "--version");
                Run version = Run.of(args.toArray(String[]::new));
                assertThat(version.out()).as("ramp %s --version", String.join(" ", path)).startsWith("ramp ");
            }
        }
    }

    @Test
    void help_ofTheRoot_listsEveryExitCode() {
        Run help = Run.of("--help");
        assertThat(help.out()).contains("Exit codes:", "0   success", "1   the input was rejected", "2   the command line",
                "3   ramp release watch", "4   ramp release watch", "5   ramp diff", "6   the server could not be reached",
                "7   ramp demo");
    }

    @Test
    void completion_printsABashAndZshScript_thatKnowsTheCommandsAndTheirOptions() {
        Run completion = Run.of("completion");

        assertThat(completion.exitCode()).as(completion.err()).isZero();
        assertThat(completion.out()).startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_ramp", "bashcompinit")
                .contains("apply", "diff", "flags", "config", "completion", "release", "route", "experiment", "tokens")
                .contains("rollout", "set-server", "--output", "--environment");
    }

    @Test
    void output_unknownFormat_isAUsageErrorNamingTheFormats() {
        Run run = Run.of("tokens", "list", "-o", "xml");

        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("--output", "must be table, json or yaml, got 'xml'");
    }

    /** Adds the path of every command under {@code line} (aliases once, by their name) to {@code paths}. */
    private static void walk(CommandLine line, List<String> path, List<List<String>> paths) {
        for (CommandLine sub : new java.util.LinkedHashSet<>(line.getSubcommands().values())) {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getCommandName());
            paths.add(subPath);
            walk(sub, subPath, paths);
        }
    }
}
