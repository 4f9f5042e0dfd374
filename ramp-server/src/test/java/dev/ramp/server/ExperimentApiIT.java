package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Experiments over real HTTP, on SQLite and PostgreSQL: their life, what counts in them, and bad input. */
class ExperimentApiIT extends ServerIT {
    static final String BUTTON = """
            {"key":"button","impressionData":true,"environments":{"production":{"enabled":true,
             "strategies":[{"name":"flexibleRollout","parameters":{"rollout":"100","stickiness":"default","groupId":"button"}}],
             "variants":[{"name":"blue","weight":500},{"name":"green","weight":500,"payload":{"type":"string","value":"#0a0"}}]}}}""";
    static final String EXPERIMENT = """
            {"name":"green-button","hypothesis":"a green button sells more","flag":"button","environment":"production",
             "control":"blue","primaryMetric":{"event":"purchase","kind":"conversion","goal":"increase"},
             "guardrailMetrics":[{"event":"latency_ms","kind":"average","goal":"decrease"}],
             "minimumDetectableEffect":0.1}""";

    Api client;

    @BeforeEach
    void createFlag() {
        assertThat(admin.post("/api/v1/flags", BUTTON).status()).isEqualTo(201);
        client = admin.as(ramp.token("client", "production"));
    }

    @Test
    void experiment_createdStartedStoppedAndListed_recordsEveryStepInItsHistory() {
        Api.Reply created = admin.post("/api/v1/experiments", EXPERIMENT);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/experiments/green-button");
        assertThat(created.etag()).isEqualTo("\"1\"");
        assertThat(created.json().path("status").asText()).isEqualTo("draft");
        assertThat(created.json().path("alpha").asDouble()).isEqualTo(0.05);
        assertThat(created.json().path("startedAt").isNull()).isTrue();

        Api.Reply started = admin.post("/api/v1/experiments/green-button/start", null, "If-Match", "\"1\"");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.json().path("status").asText()).isEqualTo("running");
        assertThat(started.json().path("startedAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(started.json().path("arms").toString())
                .isEqualTo("[{\"variant\":\"blue\",\"weight\":0.5},{\"variant\":\"green\",\"weight\":0.5}]");

        assertThat(admin.get("/api/v1/experiments?status=running").json().path("items")).hasSize(1);
        assertThat(admin.get("/api/v1/experiments?status=draft").json().path("items")).isEmpty();
        assertThat(admin.get("/api/v1/experiments?environment=development").json().path("items")).isEmpty();

        ramp.clock.advance(java.time.Duration.ofHours(1));
        Api.Reply stopped = admin.post("/api/v1/experiments/green-button/stop", null, "If-Match", started.etag());
        assertThat(stopped.json().path("status").asText()).isEqualTo("stopped");
        assertThat(stopped.json().path("stoppedAt").asText()).isEqualTo("2026-12-01T11:00:00Z");
        JsonNode flag = admin.get("/api/v1/flags/button").json();
        assertThat(flag.path("version").asLong()).as("stopping leaves the flag as it was").isEqualTo(1);

        List<String> actions = StreamSupport.stream(admin.get("/api/v1/experiments/green-button/history").json()
                .path("items").spliterator(), false).map(change -> change.path("action").asText()).toList();
        assertThat(actions).containsExactly("create", "start", "stop");
        JsonNode audit = admin.get("/api/v1/audit").json().path("items");
        assertThat(audit.get(audit.size() - 1).path("resourceType").asText()).isEqualTo("experiment");
    }

    @Test
    void events_countOnlyWhileRunning_theFirstExposureDecidesTheArm_andOtherVariantsAreIgnored() {
        admin.post("/api/v1/experiments", EXPERIMENT);
        client.post("/api/client/events", batch(exposure("early", "blue"), metric("purchase", "early", 1)));
        admin.post("/api/v1/experiments/green-button/start", null, "If-Match", "*");

        List<String> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(exposure("u" + i, i % 2 == 0 ? "blue" : "green"));
        }
        events.add(exposure("u0", "green"));   // later and elsewhere: u0 stays in blue, and counts as seen in two arms
        events.add(exposure("u9", "purple"));  // not an arm
        events.add(metric("purchase", "u1", 1));
        events.add(metric("purchase", "u1", 1));
        events.add(metric("latency_ms", "u1", 100));
        events.add(metric("latency_ms", "u1", 300));
        events.add(metric("latency_ms", "u2", 50));
        events.add(metric("purchase", "not-exposed", 1));
        assertThat(client.post("/api/client/events", batch(events.toArray(String[]::new))).status()).isEqualTo(202);

        JsonNode results = admin.get("/api/v1/experiments/green-button/results").json();
        assertThat(results.path("units").asLong()).isEqualTo(6);
        assertThat(results.path("unitsInSeveralArms").asLong()).isEqualTo(1);
        assertThat(results.path("sampleRatio").path("observed").path("blue").asLong()).isEqualTo(3);
        JsonNode purchase = results.path("metrics").get(0);
        assertThat(purchase.path("role").asText()).isEqualTo("primary");
        assertThat(purchase.path("arms").get(0).path("variant").asText()).isEqualTo("blue");
        assertThat(purchase.path("arms").get(0).path("mean").asDouble()).isZero();
        assertThat(purchase.path("arms").get(1).path("mean").asDouble()).as("u1 converted, of 3 green units")
                .isEqualTo(1 / 3.0);
        JsonNode latency = results.path("metrics").get(1);
        assertThat(latency.path("arms").get(0).path("mean").asDouble()).isEqualTo(50);
        assertThat(latency.path("arms").get(1).path("mean").asDouble()).isEqualTo(200);
        assertThat(results.path("recommendation").path("action").asText()).isEqualTo("keep-running");

        admin.post("/api/v1/experiments/green-button/stop", null, "If-Match", "*");
        client.post("/api/client/events", batch(exposure("late", "green"), metric("purchase", "u0", 1)));
        JsonNode frozen = admin.get("/api/v1/experiments/green-button/results").json();
        assertThat(frozen.path("units").asLong()).isEqualTo(6);
        assertThat(frozen.path("metrics").get(0).path("arms").get(0).path("mean").asDouble()).isZero();
    }

    @Test
    void ship_servesTheVariantToEveryone_auditsBoth_andTheFlagCanBeRevertedFromItsHistory() {
        admin.post("/api/v1/experiments", EXPERIMENT);
        admin.post("/api/v1/experiments/green-button/start", null, "If-Match", "*");

        Api.Reply shipped = admin.post("/api/v1/experiments/green-button/ship", "{\"variant\":\"green\"}", "If-Match", "\"2\"");

        assertThat(shipped.status()).as(shipped.body()).isEqualTo(200);
        assertThat(shipped.json().path("status").asText()).isEqualTo("shipped");
        assertThat(shipped.json().path("shippedVariant").asText()).isEqualTo("green");
        JsonNode settings = admin.get("/api/v1/flags/button/environments/production").json();
        assertThat(settings.path("enabled").asBoolean()).isTrue();
        assertThat(settings.path("variants").toString()).contains("\"name\":\"green\"", "\"weight\":1000", "#0a0")
                .doesNotContain("blue");
        assertThat(settings.path("strategies")).singleElement().satisfies(strategy -> {
            assertThat(strategy.path("parameters").path("rollout").asText()).isEqualTo("100");
            assertThat(strategy.path("id").asText()).isNotEmpty();
        });
        JsonNode features = client.get("/api/client/features").json().path("features").get(0);
        assertThat(features.path("variants")).singleElement()
                .satisfies(variant -> assertThat(variant.path("name").asText()).isEqualTo("green"));
        JsonNode history = admin.get("/api/v1/flags/button/history").json().path("items");
        assertThat(history.get(history.size() - 1).path("action").asText()).isEqualTo("ship-experiment");

        Api.Reply reverted = admin.post("/api/v1/flags/button/revert", "{\"version\":1}", "If-Match", "*");
        assertThat(reverted.status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/flags/button/environments/production").json().path("variants")).hasSize(2);
        assertThat(admin.get("/api/v1/experiments/green-button/results").json().path("recommendation").path("action")
                .asText()).isEqualTo("ship");
    }

    @Test
    void badDefinitions_areRefusedNamingEachField() {
        Api.Reply reply = admin.post("/api/v1/experiments", """
                {"name":"bad name","flag":"nope","environment":"mars","alpha":0.9,"power":1,
                 "minimumDetectableEffect":-1,"primaryMetric":{"event":"","kind":"median","goal":"up"},
                 "guardrailMetrics":[null]}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(fields(reply)).containsExactlyInAnyOrder("name", "flag", "environment", "primaryMetric.event",
                "primaryMetric.kind", "primaryMetric.goal", "guardrailMetrics[0]", "minimumDetectableEffect", "alpha", "power");
        assertThat(admin.post("/api/v1/experiments", "{\"name\":\"x\",\"flag\":\"button\",\"environment\":\"production\"}")
                .json().path("errors").get(0).path("field").asText()).isEqualTo("primaryMetric");
        Api.Reply wrongKind = admin.post("/api/v1/experiments", EXPERIMENT.replace("{\"name\"", "{\"kind\":\"Flag\",\"name\""));
        assertThat(fields(wrongKind)).containsExactly("kind");
        Api.Reply unknownField = admin.post("/api/v1/experiments", EXPERIMENT.replace("{\"name\"", "{\"colour\":\"red\",\"name\""));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.body()).contains("colour");
        assertThat(admin.get("/api/v1/experiments").json().path("items")).isEmpty();
    }

    @Test
    void start_refusesAFlagWithoutExposuresOrVariants_andOnlyADraftStarts() {
        admin.post("/api/v1/flags", "{\"key\":\"plain\",\"environments\":{\"production\":{\"enabled\":true}}}");
        admin.post("/api/v1/experiments", EXPERIMENT.replace("\"flag\":\"button\"", "\"flag\":\"plain\"")
                .replace("green-button", "plain-test"));
        Api.Reply noExposures = admin.post("/api/v1/experiments/plain-test/start", null, "If-Match", "*");
        assertThat(noExposures.status()).isEqualTo(400);
        assertThat(noExposures.json().path("errors").get(0).path("reason").asText()).contains("impressionData");

        admin.post("/api/v1/experiments", EXPERIMENT.replace("\"control\":\"blue\"", "\"control\":\"red\""));
        Api.Reply badControl = admin.post("/api/v1/experiments/green-button/start", null, "If-Match", "*");
        assertThat(fields(badControl)).containsExactly("control");
        assertThat(badControl.json().path("errors").get(0).path("reason").asText()).contains("[blue, green]");

        assertThat(admin.put("/api/v1/experiments/green-button", EXPERIMENT, "If-Match", "*").etag()).isEqualTo("\"2\"");
        assertThat(admin.put("/api/v1/experiments/green-button", EXPERIMENT, "If-Match", "*").etag())
                .as("the same definition again is no change").isEqualTo("\"2\"");
        assertThat(admin.post("/api/v1/experiments/green-button/start", null, "If-Match", "\"1\"").status())
                .as("a stale version").isEqualTo(412);
        assertThat(admin.post("/api/v1/experiments/green-button/start", null).status()).isEqualTo(428);
        assertThat(admin.post("/api/v1/experiments/green-button/start", null, "If-Match", "*").status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/experiments/green-button/start", null, "If-Match", "*").status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/experiments/green-button/ship", "{\"variant\":\"red\"}", "If-Match", "*").status())
                .isEqualTo(400);
        assertThat(admin.post("/api/v1/experiments/nothing/start", null, "If-Match", "*").status()).isEqualTo(404);
    }

    @Test
    void runningExperiment_changesOnlyItsTexts_andIsDeletedOnlyOnceStopped() {
        admin.post("/api/v1/experiments", EXPERIMENT);
        admin.post("/api/v1/experiments/green-button/start", null, "If-Match", "*");

        Api.Reply texts = admin.put("/api/v1/experiments/green-button",
                EXPERIMENT.replace("a green button sells more", "green sells more, really"), "If-Match", "*");
        assertThat(texts.status()).as(texts.body()).isEqualTo(200);
        assertThat(texts.json().path("hypothesis").asText()).isEqualTo("green sells more, really");
        assertThat(texts.json().path("status").asText()).isEqualTo("running");
        Api.Reply metrics = admin.put("/api/v1/experiments/green-button",
                EXPERIMENT.replace("\"purchase\"", "\"signup\""), "If-Match", "*");
        assertThat(metrics.status()).isEqualTo(409);
        assertThat(metrics.json().path("detail").asText()).contains("only its description and hypothesis");

        assertThat(admin.delete("/api/v1/experiments/green-button", "If-Match", "*").status()).isEqualTo(409);
        admin.post("/api/v1/experiments/green-button/stop", null, "If-Match", "*");
        assertThat(admin.delete("/api/v1/experiments/green-button", "If-Match", "*").status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/experiments/green-button").status()).isEqualTo(404);
    }

    @Test
    void runningExperiment_keepsCountingAfterARestart() {
        org.junit.jupiter.api.Assumptions.assumeTrue(database.equals("sqlite"), "a restart reopens the SQLite file");
        admin.post("/api/v1/experiments", EXPERIMENT);
        admin.post("/api/v1/experiments/green-button/start", null, "If-Match", "*");
        client.post("/api/client/events", batch(exposure("u1", "blue")));
        ramp.close();

        ramp = TestServer.start(database, directory.resolve("server"));
        Api again = ramp.admin.as(ramp.token("client", "production"));
        again.post("/api/client/events", batch(exposure("u2", "green")));

        JsonNode results = ramp.admin.get("/api/v1/experiments/green-button/results").json();
        assertThat(results.path("status").asText()).isEqualTo("running");
        assertThat(results.path("units").asLong()).isEqualTo(2);
    }

    @Test
    void metricValues_beyondTheLimit_areRefusedNamingTheField() {
        Api.Reply reply = client.post("/api/client/events", batch(metric("purchase", "u1", 2e12)));

        assertThat(fields(reply)).containsExactly("events[0].value");
        assertThat(reply.json().path("errors").get(0).path("reason").asText()).isEqualTo("must be a number from -1e+12 to 1e+12");
    }

    private static List<String> fields(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        return StreamSupport.stream(reply.json().path("errors").spliterator(), false)
                .map(error -> error.path("field").asText()).toList();
    }

    static String batch(String... events) {
        return "{\"appName\":\"shop\",\"events\":[" + String.join(",", events) + "]}";
    }

    static String exposure(String unit, String variant) {
        return "{\"type\":\"exposure\",\"flag\":\"button\",\"variant\":\"" + variant + "\",\"unit\":\"" + unit + "\"}";
    }

    static String metric(String name, String unit, double value) {
        return "{\"type\":\"metric\",\"name\":\"" + name + "\",\"unit\":\"" + unit + "\",\"value\":" + value + "}";
    }
}
