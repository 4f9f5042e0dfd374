package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.server.RampServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ramp route} against a real server on a free loopback port. */
class RouteCommandIT {
    private static final String ADMIN = "cli-test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHECKOUT = """
            kind: Route
            name: checkout
            match:
              host: shop.example.com
              pathPrefix: /checkout
            arms:
              - name: stable
                upstreams: ["127.0.0.1:9101"]
              - name: canary
                upstreams: ["127.0.0.1:9102"]
            weight: 5
            sticky:
              by: header
              name: X-User-Id
            """;
    private static final String API = """
            kind: Route
            name: api
            strategy: blueGreen
            match:
              pathPrefix: /api
            arms:
              - name: blue
                upstreams: ["127.0.0.1:9201"]
              - name: green
                upstreams: ["127.0.0.1:9202"]
            """;

    @TempDir
    Path directory;

    RampServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = RampServer.builder().port(0).dataDirectory(directory.resolve("data")).adminToken(ADMIN).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void apply_newThenChangedFile_createsThenReplaces_andListAndGetShowIt() throws Exception {
        Run created = apply("checkout.yaml", CHECKOUT);
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("Created route checkout (canary, canary at 5%, version 1).\n");

        Run replaced = apply("checkout.yaml", CHECKOUT.replace("weight: 5", "weight: 10"));
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(replaced.out()).isEqualTo("Replaced route checkout (canary, canary at 10%, version 2).\n");

        assertThat(apply("api.yaml", API).exitCode()).isZero();
        Run list = ramp("route", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines().toList()).hasSize(3);
        assertThat(list.out()).contains("checkout  shop.example.com/checkout  stable, canary  canary, canary at 10%   2")
                .contains("api       */api");

        Run get = ramp("route", "get", "checkout");
        assertThat(get.out()).contains("split:", "canary, canary at 10%", "arm stable:", "127.0.0.1:9101 (round-robin)",
                "sticky:", "header X-User-Id", "version:");
        JsonNode json = JSON.readTree(ramp("route", "get", "checkout", "-o", "json").out());
        assertThat(json.path("weight").asInt()).isEqualTo(10);

        Run yaml = ramp("route", "get", "api", "--output", "yaml");
        assertThat(yaml.out()).startsWith("name: \"api\"").contains("strategy: \"blueGreen\"", "version: 1");
        Path exported = Files.writeString(directory.resolve("exported.yaml"), yaml.out());
        Run reapplied = ramp("route", "apply", "-f", exported.toString());
        assertThat(reapplied.exitCode()).as(reapplied.err()).isZero();
        assertThat(reapplied.out()).as("what get printed applies as it is, and changes nothing")
                .isEqualTo("Unchanged route api (blueGreen, blue active, version 1).\n");
    }

    @Test
    void weightAndSwitch_moveTheRoutes_andTheWrongOneForAStrategyExitsOne() throws Exception {
        apply("checkout.yaml", CHECKOUT);
        apply("api.yaml", API);

        Run weight = ramp("route", "weight", "checkout", "25");
        assertThat(weight.exitCode()).as(weight.err()).isZero();
        assertThat(weight.out()).isEqualTo("Route checkout: canary, canary at 25% (version 2).\n");
        Run switched = ramp("route", "switch", "api", "green");
        assertThat(switched.out()).isEqualTo("Route api: blueGreen, green active (version 2).\n");

        Run wrong = ramp("route", "switch", "checkout", "canary");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).startsWith("ramp: the server refused (409): route 'checkout' is a canary");
        Run outOfRange = ramp("route", "weight", "checkout", "150");
        assertThat(outOfRange.exitCode()).isEqualTo(1);
        assertThat(outOfRange.err()).contains("(400)", "weight: must be a percent from 0 to 100, got 150");
        assertThat(ramp("route", "weight", "checkout", "many").exitCode()).as("a usage error").isEqualTo(2);

        Run deleted = ramp("route", "delete", "api");
        assertThat(deleted.out()).isEqualTo("Deleted route api.\n");
        Run gone = ramp("route", "get", "api");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("(404)");
    }

    @Test
    void apply_badDocuments_exitOneNamingTheFileTheFieldAndTheLine() throws Exception {
        Run syntax = apply("syntax.yaml", "kind: Route\nname: x\narms: [unclosed\n");
        assertThat(syntax.exitCode()).isEqualTo(1);
        assertThat(syntax.err()).contains("syntax.yaml: not valid YAML: ").containsPattern("\\(line [34], column \\d+\\)");

        Run kind = apply("kind.yaml", CHECKOUT.replace("kind: Route", "kind: Experiment"));
        assertThat(kind.err()).isEqualTo("ramp: " + directory.resolve("kind.yaml") + ": kind: must be Route, got 'Experiment'\n");

        Run fields = apply("fields.yaml", CHECKOUT.replace("127.0.0.1:9101", "nohost").replace("weight: 5", "weight: 500"));
        assertThat(fields.exitCode()).isEqualTo(1);
        String file = directory.resolve("fields.yaml").toString();
        assertThat(fields.err().lines().toList()).hasSize(2).allMatch(line -> line.startsWith("ramp: " + file + ": "));
        assertThat(fields.err()).contains(file + ": arms[0].upstreams[0]: must be host:port", file + ": weight: must be");

        apply("checkout.yaml", CHECKOUT);
        Run same = apply("same.yaml", CHECKOUT.replace("name: checkout", "name: checkout-2"));
        assertThat(same.err()).contains("same.yaml: match: route 'checkout' already matches the same requests");
    }

    @Test
    void metrics_showWhatAGatewayReported() throws Exception {
        apply("checkout.yaml", CHECKOUT);
        Run token = ramp("tokens", "create", "--name", "edge-1", "--scope", "gateway", "-o", "json");
        assertThat(token.exitCode()).as(token.err()).isZero();
        String secret = JSON.readTree(token.out()).path("secret").asText();
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(2);
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/gateway/reports"))
                .header("Authorization", secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"gateway\":\"edge-1\",\"from\":\"" + from + "\",\"to\":\""
                        + from.plusSeconds(1) + "\",\"arms\":[" + arm("stable", 90, 100, 1) + "," + arm("canary", 10, 20, 4)
                        + "]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

        Run metrics = ramp("route", "metrics", "checkout", "--since", "1m");
        assertThat(metrics.exitCode()).as(metrics.err()).isZero();
        assertThat(metrics.out()).contains("(1 seconds with reports)");
        List<String> lines = metrics.out().lines().toList();
        assertThat(lines.get(2)).startsWith("stable").contains("100", "1.0%", "40.0 ms", "80.0 ms");
        assertThat(lines.get(3)).startsWith("canary").contains("20", "20.0%");
        JsonNode json = JSON.readTree(ramp("route", "metrics", "checkout", "-o", "json").out());
        assertThat(json.path("arms").get(1).path("serverErrors").asLong()).isEqualTo(4);

        Run bad = ramp("route", "metrics", "checkout", "--since", "2h");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("(400)", "since");
        assertThat(ramp("route", "metrics", "checkout", "--since", "soon").err())
                .contains("--since must be a duration above 0");
    }

    @Test
    void everySubcommand_hasHelp() {
        for (String command : List.of("apply", "list", "get", "delete", "weight", "switch", "metrics")) {
            Run help = Run.of("route", command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).contains("Usage: ramp route " + command);
        }
        assertThat(Run.of("route", "get", "--help").out()).contains("The route's name.");
    }

    private static String arm(String arm, int percent, long requests, long errors) {
        return "{\"route\":\"checkout\",\"arm\":\"" + arm + "\",\"requestedPercent\":" + percent + ",\"requests\":" + requests
                + ",\"success\":" + (requests - errors) + ",\"serverErrors\":" + errors + ",\"latencyCount\":" + requests
                + ",\"p50Millis\":10,\"p90Millis\":20,\"p99Millis\":40,\"maxMillis\":80}";
    }

    private Run ramp(String... args) {
        return Run.against(server.url(), ADMIN, args);
    }

    private Run apply(String fileName, String text) throws IOException {
        return ramp("route", "apply", "-f", Files.writeString(directory.resolve(fileName), text).toString());
    }
}
