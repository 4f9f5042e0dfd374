package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ramp.cli.demo.Demo;
import dev.ramp.cli.demo.Narrator;
import dev.ramp.cli.demo.Summary;
import dev.ramp.cli.demo.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ramp demo}: the whole of Ramp in one process, telling its story in three releases; see {@link Demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a server, a gateway, three versions of a shop service and a load of simulated users, all"
                + " on 127.0.0.1, and tells Ramp's story in three releases: a bad canary rolled back on evidence, a"
                + " healthy one promoted, and a flag rolled out from 0% to 100% in analysed steps.",
            "Prints the dashboard's URL and admin token first, then each release's progress and decisions, then a"
                + " summary. Exits 0 when every release ended as the story expects, 7 otherwise."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keep-running",
            description = "Once the story is told, keep everything running (and the load going) until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--summary-json", paramLabel = "FILE",
            description = "Also write the summary as JSON: each release's target, outcome, seconds to decide and evidence.")
    Path summaryJson;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "200",
            description = "Requests a second the simulated users send (1 to 2000; default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seeds the services' failures and latencies and the users' choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "2m",
            description = "The longest the story may take (default: ${DEFAULT-VALUE}).")
    String timeLimit;

    @Override
    public Integer call() throws Exception {
        Duration limit = GatewayCommand.duration("--time-limit", timeLimit);
        if (rate < 1 || rate > 2_000) {
            throw new Main.InputRejected("--rate: must be 1 to 2000 requests a second, not " + rate);
        }
        // The parts log to stderr; only their warnings would add to what the demo shows.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long maxRequests = keepRunning ? Long.MAX_VALUE : rate * Math.max(1, limit.toSeconds());
        Demo demo;
        try {
            demo = Demo.start(new Demo.Settings(rate, maxRequests, seed, limit));
        } catch (Demo.Failed | IOException e) {
            err.println("ramp: demo: could not start: " + e.getMessage());
            return Main.DEMO_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "ramp-demo-stop");
        Runtime.getRuntime().addShutdownHook(closer);
        boolean waiting = false; // on Ctrl-C, with everything left running for the user
        try {
            Summary summary = demo.tell(new Terminal(out));
            print(out, summary);
            if (summaryJson != null) {
                write(summaryJson, summary);
                out.println("Summary written to " + summaryJson + ".");
            }
            if (!summary.asExpected()) {
                err.println("ramp: demo: not every release ended as the story expects (see OUTCOME and EXPECTED above)");
                return Main.DEMO_FAILED;
            }
            if (keepRunning) {
                out.println();
                out.println("Everything keeps running: the dashboard at " + demo.dashboard() + ", the gateway at "
                        + demo.gatewayUrl() + ". Ctrl-C stops it.");
                out.flush();
                waiting = true;
                stopped.await();
            }
            return 0;
        } catch (Demo.Failed e) {
            err.println("ramp: demo: " + e.getMessage());
            return Main.DEMO_FAILED;
        } finally {
            if (!waiting) {
                demo.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(closer);
                } catch (IllegalStateException e) {
                    // The JVM is already stopping (Ctrl-C during the story): the hook runs, and finds it closed.
                }
            }
        }
    }

    private static void print(PrintWriter out, Summary summary) {
        out.println();
        out.printf(Locale.ROOT, "Summary: %d requests through the gateway, %d failed; the story took %.0f s.%n",
                summary.requests(), summary.failed(), summary.seconds());
        Table table = new Table("RELEASE", "TARGET", "OUTCOME", "EXPECTED", "DECIDED IN", "EVIDENCE");
        for (Verdict verdict : summary.releases()) {
            table.row(verdict.name(), target(verdict.target()), verdict.outcome(), verdict.expected(),
                    String.format(Locale.ROOT, "%.1f s", verdict.secondsToDecision()), verdict.evidenceText());
        }
        table.print(out, Set.of(4));
        out.flush();
    }

    private static String target(JsonNode target) {
        return target.has("route") ? "route " + target.path("route").asText()
                : "flag " + target.path("flag").asText() + " in " + target.path("environment").asText();
    }

    private static void write(Path file, Summary summary) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary);
        } catch (IOException e) {
            throw new Main.InputRejected("--summary-json: cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The demo on a terminal (or in a file): a heading per chapter, the timeline, and a redrawn progress line. */
    private static final class Terminal implements Narrator {
        private final PrintWriter out;
        private final boolean terminal = System.console() != null;
        private ReleaseCommand.Progress progress;

        Terminal(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void started(String dashboard, String adminToken, String gateway) {
            out.println("Ramp demo: a server, a gateway, three versions of a shop and simulated users, all on this machine.");
            out.println();
            Table where = new Table("Dashboard", dashboard + "  (sign in with the admin token)");
            where.row("Admin token", adminToken);
            where.row("Gateway", gateway + "checkout");
            where.row("CLI", "./ramp release list --server " + dashboard.replaceAll("/$", "") + " --token " + adminToken);
            where.print(out, Set.of());
            out.flush();
        }

        @Override
        public void chapter(String title, String story) {
            out.println();
            out.println("== " + title);
            out.println(story);
            out.println();
            out.flush();
            progress = new ReleaseCommand.Progress(out, terminal);
        }

        @Override
        public void progress(JsonNode release, List<JsonNode> entries) {
            for (JsonNode entry : entries) {
                progress.above(ReleaseCommand.entry(entry));
            }
            progress.show(ReleaseCommand.bar(release));
        }

        @Override
        public void ended(Verdict verdict) {
            progress.end();
            out.printf(Locale.ROOT, "=> %s %s after %.1f s: %s%n", verdict.name(), verdict.outcome().replace('_', ' '),
                    verdict.secondsToDecision(), verdict.decision());
            out.println("   evidence: " + verdict.evidenceText());
            out.flush();
        }
    }
}
