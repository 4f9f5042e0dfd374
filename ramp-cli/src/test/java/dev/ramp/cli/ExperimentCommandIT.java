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
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ramp experiment} against a real server on a free loopback port. */
class ExperimentCommandIT {
    private static final String ADMIN = "cli-test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLAG = "checkout.button";
    private static final String EXPERIMENT = """
            kind: Experiment
            name: green-button
            description: The checkout button, blue or green
            hypothesis: A green button sells more
            flag: checkout.button
            environment: production
            control: blue
            primaryMetric:
              event: checkout
              kind: conversion
              goal: increase
            guardrailMetrics:
              - event: latency
                kind: average
                goal: decrease
            minimumDetectableEffect: 0.1
            alpha: 0.05
            power: 0.8
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
    void apply_newThenChangedFile_createsThenReplacesAndListAndGetShowIt() throws Exception {
        createFlag();
        Path file = write("green-button.yaml", EXPERIMENT);

        Run created = ramp("experiment", "apply", "-f", file.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created experiment green-button (draft, version 1).");

        write("green-button.yaml", EXPERIMENT.replace("A green button sells more", "A green button sells 10% more")
                .replace("alpha: 0.05", "alpha: 0.01"));
        Run replaced = ramp("experiment", "apply", "-f", file.toString());
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("Replaced experiment green-button (draft, version 2).");

        Run got = ramp("experiment", "get", "green-button");
        assertThat(got.exitCode()).as(got.err()).isZero();
        assertThat(got.out())
                .containsPattern("hypothesis:\\s+A green button sells 10% more")
                .containsPattern("alpha:\\s+0\\.01")
                .containsPattern("primary metric:\\s+checkout \\(conversion, increase\\)")
                .containsPattern("guardrail metrics:\\s+latency \\(average, decrease\\)")
                .containsPattern("version:\\s+2");
        JsonNode json = JSON.readTree(ramp("experiment", "get", "green-button", "-o", "json").out());
        assertThat(json.path("alpha").asDouble()).isEqualTo(0.01);
        assertThat(json.path("status").asText()).isEqualTo("draft");

        assertThat(ramp("experiment", "list").out())
                .containsPattern("NAME\\s+FLAG\\s+ENVIRONMENT\\s+STATUS")
                .containsPattern("green-button\\s+checkout\\.button\\s+production\\s+draft"
                        + "\\s+checkout \\(conversion, increase\\)");
        assertThat(ramp("experiment", "list", "--status", "running").out()).doesNotContain("green-button");
        assertThat(ramp("experiment", "list", "--environment", "development").out()).doesNotContain("green-button");
        assertThat(ramp("experiment", "list", "--environment", "production", "--status", "draft").out())
                .contains("green-button");
    }

    @Test
    void results_afterExposuresAndMetricEvents_showLiftsPerArmAndARecommendation() throws Exception {
        createFlag();
        // Planned to detect a lift of 100%, so that 200 units per arm are enough for the sequential interval.
        String planned = EXPERIMENT.replace("minimumDetectableEffect: 0.1", "minimumDetectableEffect: 1.0");
        assertThat(apply("green-button.yaml", planned).exitCode()).isZero();

        Run started = ramp("experiment", "start", "green-button");
        assertThat(started.exitCode()).as(started.err()).isZero();
        assertThat(started.out()).contains("Started experiment green-button", "blue 50.0%, green 50.0%", "control blue");

        // 400 units, half per arm: 40 of 200 blue units check out, 120 of 200 green ones; green pages are faster.
        // u0 is later also exposed to green: it stays in blue, the arm it saw first. A unit never exposed, and an
        // exposure to a variant that is no arm, do not count.
        Instant now = Instant.now();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String unit = "u" + i;
            boolean blue = i % 2 == 0;
            events.add(exposure(unit, blue ? "blue" : "green", now.minusSeconds(60)));
            events.add(metric("latency", unit, (blue ? 120 : 100) + 10 * (i % 5)));
            if (blue ? i < 80 : i < 240) {
                events.add(metric("checkout", unit, 1));
            }
        }
        events.add(exposure("u0", "green", now.minusSeconds(30)));
        events.add(metric("checkout", "never-exposed", 1));
        events.add(exposure("u999", "purple", now));
        postEvents(clientToken(), events);

        Run text = ramp("experiment", "results", "green-button");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out())
                .containsPattern("experiment:\\s+green-button")
                .containsPattern("flag:\\s+checkout\\.button")
                .containsPattern("environment:\\s+production")
                .containsPattern("status:\\s+running")
                .containsPattern("started:\\s+20\\d\\d-")
                .containsPattern("units:\\s+400 \\(1 in several arms")
                .containsPattern("planned units per arm:\\s+\\d+")
                .contains("SRM: OK — blue 50.0% (expected 50.0%), green 50.0% (expected 50.0%); p = 1.000")
                .contains("Primary metric checkout: conversion, goal increase")
                .containsPattern("VARIANT\\s+UNITS\\s+MEAN\\s+ABS LIFT \\[95% CI]\\s+REL LIFT \\[95% CI]"
                        + "\\s+SEQ REL LIFT \\[95% CS]\\s+P\\s+CHANCE TO WIN\\s+VERDICT")
                .containsPattern("blue \\(control\\)\\s+200\\s+20\\.0%(\\s+–){6}\n")
                .containsPattern("green\\s+200\\s+60\\.0%\\s+\\+40\\.0 pp \\[\\+\\d+\\.\\d pp, \\+\\d+\\.\\d pp]"
                        + "\\s+\\+200\\.0% \\[\\+\\d+\\.\\d%, \\+\\d+\\.\\d%]\\s+\\+200\\.0% \\[\\+\\d+\\.\\d%, \\+\\d+\\.\\d%]"
                        + "\\s+<0\\.001\\s+>99\\.9%\\s+better\n")
                .contains("Guardrail metric latency: average, goal decrease")
                .containsPattern("blue \\(control\\)\\s+200\\s+140\\.00")
                .containsPattern("green\\s+200\\s+120\\.00\\s+-20\\.00 \\[")
                .containsPattern("Recommendation: SHIP green — checkout conversion rose 200\\.0% \\(sequential interval .*\\)"
                        + " and no guardrail got worse\n");

        Run json = ramp("experiment", "results", "green-button", "--output", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode results = JSON.readTree(json.out());
        assertThat(json.out()).contains("\n  \"experiment\" : \"green-button\"");
        assertThat(results.path("units").asLong()).isEqualTo(400);
        assertThat(results.path("unitsInSeveralArms").asLong()).isEqualTo(1);
        JsonNode checkout = results.path("metrics").path(0);
        assertThat(checkout.path("event").asText()).isEqualTo("checkout");
        assertThat(checkout.path("arms").path(0).path("variant").asText()).isEqualTo("blue");
        assertThat(checkout.path("arms").path(0).path("units").asLong()).isEqualTo(200);
        assertThat(checkout.path("arms").path(0).path("mean").asDouble()).isEqualTo(0.2);
        assertThat(checkout.path("arms").path(1).path("mean").asDouble()).isEqualTo(0.6);
        assertThat(checkout.path("arms").path(1).path("comparison").path("absoluteLift").path("estimate").asDouble())
                .isCloseTo(0.4, Offset.offset(1e-12));
        assertThat(results.path("recommendation").path("action").asText()).isEqualTo("ship");
        assertThat(results.path("recommendation").path("variant").asText()).isEqualTo("green");
    }

    @Test
    void results_ofADraft_sayItHasNotStarted() throws Exception {
        createFlag();
        assertThat(apply("green-button.yaml", EXPERIMENT).exitCode()).isZero();

        Run text = ramp("experiment", "results", "green-button");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out())
                .containsPattern("status:\\s+draft")
                .containsPattern("started:\\s+–")
                .containsPattern("planned units per arm:\\s+– ")
                .contains("SRM: – (no unit exposed yet)")
                .contains("Recommendation: KEEP RUNNING — the experiment has not started");
    }

    @Test
    void stopThenShip_leavesTheFlagThenServesTheVariantToEveryone() throws Exception {
        createFlag();
        Path file = write("green-button.yaml", EXPERIMENT);
        assertThat(ramp("experiment", "apply", "-f", file.toString()).exitCode()).isZero();
        assertThat(ramp("experiment", "start", "green-button").exitCode()).isZero();

        write("green-button.yaml", EXPERIMENT.replace("kind: conversion", "kind: sum"));
        Run changedMetric = ramp("experiment", "apply", "-f", file.toString());
        assertThat(changedMetric.exitCode()).isEqualTo(1);
        assertThat(changedMetric.err())
                .contains("green-button.yaml: the server refused (409)", "only its description and hypothesis may change");

        Run stopped = ramp("experiment", "stop", "green-button");
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains("Stopped experiment green-button", "flag checkout.button is left as it is");
        JsonNode flag = admin("GET", "/api/v1/flags/" + FLAG, null).path("environments").path("production");
        assertThat(flag.path("variants").findValuesAsText("name")).containsExactly("blue", "green");

        Run unknown = ramp("experiment", "ship", "green-button", "purple");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("400", "variant", "'purple' is not an arm");

        Run shipped = ramp("experiment", "ship", "green-button", "green");
        assertThat(shipped.exitCode()).as(shipped.err()).isZero();
        assertThat(shipped.out()).contains("Shipped green of experiment green-button",
                "flag checkout.button now serves green to every unit in production");
        flag = admin("GET", "/api/v1/flags/" + FLAG, null).path("environments").path("production");
        assertThat(flag.path("enabled").asBoolean()).isTrue();
        assertThat(flag.path("variants").findValuesAsText("name")).containsExactly("green");
        assertThat(flag.path("variants").path(0).path("weight").asInt()).isEqualTo(1000);
        assertThat(ramp("experiment", "get", "green-button").out())
                .containsPattern("status:\\s+shipped")
                .containsPattern("shipped variant:\\s+green");
    }

    @Test
    void delete_aDraft_removesIt() throws Exception {
        createFlag();
        assertThat(apply("green-button.yaml", EXPERIMENT).exitCode()).isZero();

        Run deleted = ramp("experiment", "delete", "green-button");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted experiment green-button.");

        Run got = ramp("experiment", "get", "green-button");
        assertThat(got.exitCode()).isEqualTo(1);
        assertThat(got.err()).contains("the server refused (404)", "green-button");
    }

    @Test
    void apply_badDocuments_exitOneNamingTheFileAndTheField() throws Exception {
        createFlag();

        Run kind = apply("kind.yaml", EXPERIMENT.replace("kind: Experiment", "kind: Flag"));
        assertThat(kind.exitCode()).isEqualTo(1);
        assertThat(kind.err())
                .isEqualTo("ramp: " + directory.resolve("kind.yaml") + ": kind: must be Experiment, got 'Flag'\n");

        Run metric = apply("metric.yaml", EXPERIMENT.replace("kind: conversion", "kind: ratio")
                .replace("alpha: 0.05", "alpha: 2.0"));
        assertThat(metric.exitCode()).isEqualTo(1);
        String file = directory.resolve("metric.yaml").toString();
        assertThat(metric.err().lines().toList()).hasSize(2).allMatch(line -> line.startsWith("ramp: " + file + ": "));
        assertThat(metric.err())
                .contains(file + ": primaryMetric.kind: must be conversion")
                .contains(file + ": alpha: must be above 0 and at most 0.5, got 2.0");

        Run syntax = apply("syntax.yaml", "kind: Experiment\nname: x\nflag: [unclosed\n");
        assertThat(syntax.exitCode()).isEqualTo(1);
        assertThat(syntax.err()).contains("syntax.yaml: not valid YAML: ").containsPattern("\\(line [34], column \\d+\\)");

        Run duplicate = apply("duplicate.yaml", EXPERIMENT + "alpha: 0.01\n");
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.err()).contains("duplicate.yaml: not valid YAML: ", "alpha", "line 19");

        Run two = apply("two.yaml", EXPERIMENT + "---\n" + EXPERIMENT.replace("name: green-button", "name: red-button"));
        assertThat(two.exitCode()).isEqualTo(1);
        assertThat(two.err()).contains("two.yaml: holds 2 documents");

        Run list = apply("list.yaml", "- kind: Experiment\n- name: green-button\n");
        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.err()).contains("list.yaml: must be a mapping of fields", "got a list");

        Run missing = ramp("experiment", "apply", "-f", directory.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.yaml: no such file");

        Run unnamed = apply("unnamed.json", "{\"kind\": \"Experiment\", \"flag\": \"x\"}");
        assertThat(unnamed.exitCode()).isEqualTo(1);
        assertThat(unnamed.err()).contains("unnamed.json: name: is required");

        assertThat(admin("GET", "/api/v1/experiments", null).path("items")).isEmpty();
    }

    @Test
    void everySubcommand_hasHelpAndUsageErrorsExitTwo() {
        for (String command : List.of("apply", "list", "get", "start", "stop", "ship", "delete", "results")) {
            Run help = Run.of("experiment", command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: ramp experiment " + command);
        }
        assertThat(Run.of("experiment", "--help").out()).contains("apply", "list", "get", "start", "stop", "ship", "delete", "results");

        Run noVariant = ramp("experiment", "ship", "green-button");
        assertThat(noVariant.exitCode()).isEqualTo(2);
        assertThat(noVariant.err()).contains("VARIANT");
    }

    // ---- helpers

    private Run ramp(String... args) {
        return Run.against(server.url(), ADMIN, args);
    }

    private Run apply(String fileName, String text) throws IOException {
        return ramp("experiment", "apply", "-f", write(fileName, text).toString());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text);
    }

    /** A flag with impression data that serves blue and green half each to everyone in production. */
    private void createFlag() throws Exception {
        admin("POST", "/api/v1/flags", JSON.readTree("""
                {"key": "checkout.button", "impressionData": true, "environments": {"production": {
                  "enabled": true,
                  "strategies": [{"name": "flexibleRollout",
                                  "parameters": {"rollout": "100", "stickiness": "default", "groupId": "checkout.button"}}],
                  "variants": [{"name": "blue", "weight": 500}, {"name": "green", "weight": 500}]}}}
                """));
    }

    private String clientToken() throws Exception {
        Run created = ramp("tokens", "create", "--name", "shop", "--scope", "client", "--environment", "production",
                "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        return JSON.readTree(created.out()).path("secret").asText();
    }

    private static String exposure(String unit, String variant, Instant time) {
        return "{\"type\": \"exposure\", \"flag\": \"" + FLAG + "\", \"variant\": \"" + variant + "\", \"unit\": \"" + unit
                + "\", \"time\": \"" + time + "\"}";
    }

    private static String metric(String name, String unit, double value) {
        return "{\"type\": \"metric\", \"name\": \"" + name + "\", \"unit\": \"" + unit + "\", \"value\": " + value + "}";
    }

    private void postEvents(String token, List<String> events) throws Exception {
        String body = "{\"appName\": \"shop\", \"events\": [" + String.join(", ", events) + "]}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/client/events"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("accepted").asInt()).isEqualTo(events.size());
    }

    private JsonNode admin(String method, String path, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", ADMIN);
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }
}
