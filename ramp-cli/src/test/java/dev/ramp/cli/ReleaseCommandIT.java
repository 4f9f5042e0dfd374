package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ramp.server.RampServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ramp release} against a real server on a free loopback port, whose release controller runs only when the
 * test calls {@code tick()}, on a clock the test moves: every decision happens where the test says.
 */
class ReleaseCommandIT {
    private static final String ADMIN = "cli-test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTE = """
            kind: Route
            name: checkout
            match: {pathPrefix: /checkout}
            arms:
              - {name: stable, upstreams: ["127.0.0.1:9101"]}
              - {name: canary, upstreams: ["127.0.0.1:9102"]}
            """;
    /** Two pauses until promoted: the release moves only when the test promotes it. It ends with setWeight 100. */
    private static final String RELEASE = """
            kind: Release
            name: checkout-v2
            target: {route: checkout}
            canary:
              steps: [{setWeight: 10}, {pause: {}}, {setWeight: 50}, {pause: {}}]
            """;

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final ExecutorService watchers = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newHttpClient();
    RampServer server;

    @BeforeEach
    void start() throws IOException {
        server = RampServer.builder().port(0).dataDirectory(directory.resolve("data")).adminToken(ADMIN).clock(clock)
                .releaseTick(Duration.ZERO).start();
        Run route = ramp("route", "apply", "-f", file("route.yaml", ROUTE).toString());
        assertThat(route.exitCode()).as(route.err()).isZero();
    }

    @AfterEach
    void stop() {
        // A watch still running fails on its next poll once the server is gone, and so ends.
        server.close();
        watchers.shutdownNow();
    }

    @Test
    void apply_sameDocumentAgain_isUnchanged_andAChangedOneWhileRunningIsRefusedWithTheServersReason() throws Exception {
        Run created = apply("release.yaml", RELEASE);
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("""
                Created release checkout-v2, version 1: progressing at step 2/5 (pause until promoted), weight 10%.
                Follow it with: ramp release watch checkout-v2
                """);
        server.releases().tick();

        Run same = apply("release.yaml", RELEASE);
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).isEqualTo(
                "Unchanged release checkout-v2, version 2: progressing at step 2/5 (pause until promoted), weight 10%.\n");

        Run changed = apply("changed.yaml", RELEASE.replace("setWeight: 50", "setWeight: 60"));
        assertThat(changed.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(changed.err()).isEqualTo("ramp: " + directory.resolve("changed.yaml") + ": the server refused (409):"
                + " release 'checkout-v2' is progressing (step 2); abort it or let it end before changing it\n");

        ramp("release", "abort", "checkout-v2");
        server.releases().tick();
        Run replaced = apply("changed.yaml", RELEASE.replace("setWeight: 50", "setWeight: 60"));
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(replaced.out()).as("an ended release given a new document starts again")
                .startsWith("Replaced release checkout-v2, version 5: progressing at step 2/5 (pause until promoted)");
        assertThat(JSON.readTree(ramp("release", "get", "checkout-v2").out()).path("steps").get(2).asText())
                .isEqualTo("setWeight 60");
    }

    @Test
    void apply_aFileOfSeveralReleases_appliesEach_andAnotherKindIsRefusedBeforeAnyIsSent() throws Exception {
        assertThat(ramp("route", "apply", "-f", file("search.yaml", ROUTE.replace("checkout", "search")).toString())
                .exitCode()).isZero();
        String two = RELEASE + "---\n" + RELEASE.replace("checkout", "search");

        Run mixed = apply("mixed.yaml", two + "---\n" + ROUTE);
        assertThat(mixed.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(mixed.err()).isEqualTo("ramp: " + directory.resolve("mixed.yaml")
                + ", document 3: kind: must be Release, got 'Route'\n");
        assertThat(JSON.readTree(ramp("release", "list", "-o", "json").out()).path("items")).isEmpty();

        Run both = apply("both.yaml", two);
        assertThat(both.exitCode()).as(both.err()).isZero();
        assertThat(both.out()).contains("Created release checkout-v2, version 1", "Created release search-v2, version 1");
        Run yaml = ramp("release", "apply", "-f", directory.resolve("both.yaml").toString(), "-o", "yaml");
        assertThat(new YAMLMapper().readValues(new YAMLMapper().createParser(yaml.out()), JsonNode.class).readAll())
                .as("a YAML document per release").extracting(release -> release.path("name").asText())
                .containsExactly("checkout-v2", "search-v2");

        Run json = apply("checkout.json", JSON.writeValueAsString(new YAMLMapper().readTree(RELEASE)));
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out()).as("the same document in JSON").startsWith("Unchanged release checkout-v2");
    }

    @Test
    void apply_badInput_exitsOneNamingTheFileTheLineAndEachField() throws Exception {
        Run missing = ramp("release", "apply", "-f", directory.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(missing.err()).isEqualTo("ramp: " + directory.resolve("nope.yaml") + ": no such file\n");

        Run syntax = apply("syntax.yaml", "kind: Release\nname: x\ncanary:\n  steps: [unclosed\n");
        assertThat(syntax.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(syntax.err()).contains("syntax.yaml: not valid YAML: ").containsPattern("\\(line [45], column \\d+\\)");

        Run fields = apply("fields.yaml", RELEASE.replace("setWeight: 10", "setWeight: 120").replace("pause: {}}, {set",
                "pause: soon}, {set"));
        assertThat(fields.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        String file = directory.resolve("fields.yaml").toString();
        assertThat(fields.err().lines().toList()).containsExactly(
                "ramp: " + file + ": canary.steps[0].setWeight: must be a percent from 0 to 100, got 120",
                "ramp: " + file + ": canary.steps[1].pause: must be a whole number and a unit (ms, s, m or h), such as 30s, got 'soon'");

        Run nowhere = apply("nowhere.yaml", RELEASE.replace("route: checkout", "route: nowhere"));
        assertThat(nowhere.err()).startsWith("ramp: " + directory.resolve("nowhere.yaml") + ": target.route: ")
                .contains("does not exist");
    }

    @Test
    void listGetAndStatus_showWhereTheReleaseIs_itsTrafficAndItsEvidence() throws Exception {
        apply("release.yaml", RELEASE.replace("canary:\n", "canary:\n  analysis: {interval: 1s, metrics: "
                + "[{name: errors, source: gateway, measure: errorRate}]}\n"));
        server.releases().tick();
        report(clock.instant(), 900, 9, 100, 2);
        clock.advance(Duration.ofSeconds(3));
        server.releases().tick();

        Run list = ramp("release", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList()).containsExactly(
                "NAME         TARGET          STRATEGY  PHASE        STEP  WEIGHT  MESSAGE",
                "checkout-v2  route checkout  canary    progressing   2/5     10%  " + message());

        JsonNode get = JSON.readTree(ramp("release", "get", "checkout-v2").out());
        assertThat(get.path("definition").path("canary").path("steps")).hasSize(4);
        assertThat(ramp("release", "get", "checkout-v2", "-o", "yaml").out()).contains("phase: \"progressing\"");

        Run status = ramp("release", "status", "checkout-v2");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("""
                release: checkout-v2
                phase:   progressing, attempt 1
                target:  route checkout (canary, from arm stable to canary)
                weight:  10%
                """, """
                Steps:
                  1  setWeight 10
                > 2  pause until promoted
                  3  setWeight 50
                  4  pause until promoted
                  5  setWeight 100
                """, """
                Analyses:
                  background (background): measurements 1 (1 passed, 0 failed, 0 inconclusive, 0 errors, 0 without data),\
                 measured until %s
                """.formatted(clock.instant().minusSeconds(2)), """
                Traffic over the last 1m:
                ARM     ROLE    REQUESTS  5XX RATE   P99 <=
                stable  stable       900      1.0%  40.0 ms
                canary  canary       100      2.0%  40.0 ms
                """, "Timeline (the last 5 of 5 entries):\n");
        List<String> lines = status.out().lines().toList();
        assertThat(lines).contains(clock.instant().minusSeconds(3) + "  started      started by bootstrap-admin: 5 steps,"
                + " canary from 0%");
        int measurement = lines.indexOf(lines.stream().filter(line -> line.contains("  measurement  ")).findFirst()
                .orElseThrow());
        assertThat(lines.get(measurement + 1)).matches("    errors: PASS, e-value=[0-9.]+ vs 100, samples stable 900"
                + " / canary 100, estimates stable 0.01 / canary 0.02");

        JsonNode json = JSON.readTree(ramp("release", "status", "checkout-v2", "-o", "json").out());
        assertThat(json.path("traffic").path("arms").get(1).path("serverErrors").asLong()).isEqualTo(2);
        assertThat(json.path("timeline")).hasSize(5);
    }

    @Test
    void commands_moveTheReleaseByHand_andOneItsPhaseRefusesExitsOneWithTheReason() throws Exception {
        apply("release.yaml", RELEASE);
        server.releases().tick();

        assertThat(command("pause")).isEqualTo("Paused release checkout-v2, version 3: paused at step 2/5"
                + " (pause until promoted), weight 10%.\n");
        Run again = ramp("release", "pause", "checkout-v2");
        assertThat(again.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(again.err()).isEqualTo("ramp: the server refused (409): cannot pause release 'checkout-v2':"
                + " only a progressing release can be paused; it is paused\n");
        assertThat(command("resume")).startsWith("Resumed release checkout-v2, version 4: progressing at step 2/5");
        assertThat(command("promote")).isEqualTo("Promoted release checkout-v2, version 5: progressing at step 4/5"
                + " (pause until promoted), weight 50%.\n");
        Run running = ramp("release", "delete", "checkout-v2");
        assertThat(running.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(running.err()).contains("(409): release 'checkout-v2' is progressing; abort it before deleting it");
        assertThat(command("abort")).startsWith("Aborted release checkout-v2, version 7: rolled-back at step 4/5");
        assertThat(command("retry")).startsWith("Retried release checkout-v2, version 9: progressing at step 2/5");
        assertThat(command("promote", "--full")).isEqualTo(
                "Fully promoted release checkout-v2, version 11: promoted after its 5 steps, weight 100%.\n");
        assertThat(command("undo")).isEqualTo(
                "Undid release checkout-v2, version 13: rolled-back after its 5 steps, weight 0%.\n");

        assertThat(weights()).containsExactly(10, 50, 0, 10, 100, 0);
        assertThat(ramp("release", "delete", "checkout-v2").out()).isEqualTo("Deleted release checkout-v2.\n");
        Run gone = ramp("release", "status", "checkout-v2");
        assertThat(gone.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(gone.err()).isEqualTo("ramp: the server refused (404): release 'checkout-v2' does not exist\n");
    }

    @Test
    void watch_promoted_printsEachDecisionAndEachWeightOnce_andExitsZero() throws Exception {
        apply("release.yaml", RELEASE);
        server.releases().tick();
        Watching watch = watch();

        await().until(() -> watch.out().contains("[#.........] 10%  step 2/5  progressing\n"));
        command("promote");
        await().until(() -> watch.out().contains("[#####.....] 50%  step 4/5  progressing\n"));
        command("promote");

        assertThat(watch.exitCode()).as(watch.err()).isZero();
        assertThat(watch.out().lines().filter(line -> line.startsWith("["))).containsExactly(
                "[#.........] 10%  step 2/5  progressing",
                "[#####.....] 50%  step 4/5  progressing",
                "[##########] 100%  step 5/5  promoted");
        assertThat(watch.out().lines().filter(line -> !line.startsWith("[")).map(line -> line.substring(22)))
                .containsExactly(
                        "started      started by bootstrap-admin: 5 steps, canary from 0%",
                        "step         step 1 of 5: setWeight 10",
                        "weight       weight 0% -> 10%",
                        "step         step 2 of 5: pause until promoted",
                        "command      promoted by bootstrap-admin: step 2 (pause until promoted) ended",
                        "step         step 3 of 5: setWeight 50",
                        "weight       weight 10% -> 50%",
                        "step         step 4 of 5: pause until promoted",
                        "command      promoted by bootstrap-admin: step 4 (pause until promoted) ended",
                        "step         step 5 of 5: setWeight 100",
                        "weight       weight 50% -> 100%",
                        "promoted     promoted: the new version has 100%");
        assertThat(watch.out()).endsWith("[##########] 100%  step 5/5  promoted\n");
    }

    @Test
    void watch_abortedMeanwhile_exitsWithRolledBack() throws Exception {
        apply("release.yaml", RELEASE);
        server.releases().tick();
        Watching watch = watch();
        await().until(() -> watch.out().contains("progressing\n"));

        command("abort");

        assertThat(watch.exitCode()).isEqualTo(Main.ROLLED_BACK);
        assertThat(watch.out()).contains("rolled-back  rolled back: aborted by bootstrap-admin\n")
                .endsWith("[..........] 0%  step 2/5  rolled-back\n");
        assertThat(watch.err()).isEqualTo("ramp: release checkout-v2 (attempt 1): rolled back: aborted by bootstrap-admin\n");

        Run ended = ramp("release", "watch", "checkout-v2");
        assertThat(ended.exitCode()).as("a release that has ended already").isEqualTo(Main.ROLLED_BACK);
        assertThat(ended.out().lines().toList()).as("its six entries and the progress line").hasSize(7);
    }

    @Test
    void watch_stillRunningAtItsTimeout_exitsWithTimedOut() throws Exception {
        apply("release.yaml", RELEASE);
        server.releases().tick();

        Run waited = ramp("release", "watch", "checkout-v2", "--interval", "10ms", "--timeout", "100ms");

        assertThat(waited.exitCode()).isEqualTo(Main.TIMED_OUT);
        assertThat(waited.out()).endsWith("[#.........] 10%  step 2/5  progressing\n");
        assertThat(waited.err()).isEqualTo("ramp: stopped waiting after 100ms: release checkout-v2 is progressing at"
                + " step 2/5 (pause until promoted), weight 10%\n");
        Run json = ramp("release", "watch", "checkout-v2", "--interval", "10ms", "--timeout", "50ms", "-o", "json");
        assertThat(json.exitCode()).isEqualTo(Main.TIMED_OUT);
        assertThat(JSON.readValues(JSON.createParser(json.out()), JsonNode.class).readAll())
                .as("each entry as JSON, and no progress line").extracting(entry -> entry.path("seq").asLong())
                .hasSize(4).isSorted();
        assertThat(ramp("release", "watch", "checkout-v2", "--interval", "soon").err())
                .isEqualTo("ramp: --interval: must be a duration above 0 such as 500ms, 10s or 1m, got 'soon'\n");
    }

    @Test
    void example_checkoutCanary_appliesToTheGatewayExamplesRoute() throws Exception {
        ObjectNode route = (ObjectNode) new YAMLMapper().readTree(Path.of("../examples/gateway/canary.yaml").toFile())
                .path("routes").get(0);
        route.put("kind", "Route");
        Run routed = ramp("route", "apply", "-f", file("canary.json", route.toString()).toString());
        assertThat(routed.exitCode()).as(routed.err()).isZero();

        Run applied = ramp("release", "apply", "-f", "../examples/releases/checkout-canary.yaml");

        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).startsWith("Created release checkout-canary, version 1: progressing at step 2/7"
                + " (analysis step-guard), weight 5%.");
        JsonNode release = JSON.readTree(ramp("release", "get", "checkout-canary").out());
        assertThat(release.path("analyses").findValuesAsText("analysis")).containsExactly("step-guard", "background-guard");
    }

    @Test
    void everySubcommand_hasHelp() {
        for (String command : List.of("apply", "list", "get", "status", "watch", "promote", "abort", "retry", "pause",
                "resume", "undo", "delete")) {
            Run help = Run.of("release", command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).contains("Usage: ramp release " + command);
        }
        assertThat(Run.of("release", "watch", "--help").out()).contains("The release's name.", "3   rolled back",
                "4   still running when --timeout was up");
    }

    // ---- helpers

    /** A {@code ramp release watch} running on its own thread, polling every 10 ms. */
    private final class Watching {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final Future<Integer> exitCode;

        Watching(String... args) {
            exitCode = watchers.submit(() -> Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
                    Run.NO_ENVIRONMENT, args));
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        int exitCode() throws Exception {
            return exitCode.get(30, TimeUnit.SECONDS);
        }
    }

    private Watching watch() {
        return new Watching("release", "watch", "checkout-v2", "--interval", "10ms", "--timeout", "30s",
                "--server", server.url(), "--token", ADMIN);
    }

    /** Gives the release a command, then lets the controller carry out what it decided; what the command printed. */
    private String command(String... command) {
        String[] args = new String[command.length + 2];
        args[0] = "release";
        args[1] = command[0];
        args[2] = "checkout-v2";
        System.arraycopy(command, 1, args, 3, command.length - 1);
        Run run = ramp(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        server.releases().tick();
        return run.out();
    }

    private String message() throws IOException {
        return JSON.readTree(ramp("release", "get", "checkout-v2").out()).path("message").asText();
    }

    /** The weights set on the route, in order, from its history. */
    private List<Integer> weights() throws Exception {
        JsonNode items = JSON.readTree(get("/api/v1/routes/checkout/history")).path("items");
        return StreamSupport.stream(items.spliterator(), false)
                .filter(item -> item.path("action").asText().equals("weight"))
                .map(item -> readTree(item.path("after").isTextual() ? item.path("after").asText() : item.path("after").toString()))
                .map(after -> after.path("weight").asInt())
                .toList();
    }

    /** Reports a second of the route's traffic from {@code from}, as a gateway would. */
    private void report(Instant from, long stable, long stableErrors, long canary, long canaryErrors) throws Exception {
        Run token = ramp("tokens", "create", "--name", "edge-1", "--scope", "gateway", "-o", "json");
        String secret = JSON.readTree(token.out()).path("secret").asText();
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/gateway/reports"))
                .header("Authorization", secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"gateway\":\"edge-1\",\"from\":\"" + from + "\",\"to\":\""
                        + from.plusSeconds(1) + "\",\"arms\":[" + arm("stable", 90, stable, stableErrors) + ","
                        + arm("canary", 10, canary, canaryErrors) + "]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    }

    private static String arm(String arm, int percent, long requests, long errors) {
        return "{\"route\":\"checkout\",\"arm\":\"" + arm + "\",\"requestedPercent\":" + percent + ",\"requests\":" + requests
                + ",\"success\":" + (requests - errors) + ",\"serverErrors\":" + errors + ",\"latencyCount\":" + requests
                + ",\"p50Millis\":10,\"p90Millis\":20,\"p99Millis\":40,\"maxMillis\":80}";
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", ADMIN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Run ramp(String... args) {
        return Run.against(server.url(), ADMIN, args);
    }

    private Run apply(String fileName, String text) throws IOException {
        return ramp("release", "apply", "-f", file(fileName, text).toString());
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text);
    }

    /** A clock the test moves by hand. */
    private static final class ManualClock implements InstantSource {
        private volatile Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }
}
