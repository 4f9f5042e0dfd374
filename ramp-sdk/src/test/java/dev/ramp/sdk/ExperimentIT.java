package dev.ramp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.core.eval.Context;
import dev.ramp.sdk.server.LocalRampServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An A/B experiment end to end: a real server, the real SDK serving 20,000 simulated users a flag's variants and
 * tracking what they do, with a known true lift, then the results and shipping the winner.
 */
class ExperimentIT {
    private static final int USERS = 20_000;
    private static final double CONTROL_RATE = 0.10;
    private static final double TREATMENT_RATE = 0.13;
    /** The true relative lift of the conversion rate: 0.13 / 0.10 - 1. */
    private static final double TRUE_LIFT = TREATMENT_RATE / CONTROL_RATE - 1;

    @TempDir
    Path directory;
    private LocalRampServer ramp;

    @BeforeEach
    void startServer() {
        ramp = LocalRampServer.start(directory.resolve("server"));
        LocalRampServer.Reply flag = ramp.post("/api/v1/flags", """
                {"key":"checkout-button","type":"experiment","impressionData":true,"environments":{"production":{
                 "enabled":true,"strategies":[{"name":"flexibleRollout",
                  "parameters":{"rollout":"100","stickiness":"default","groupId":"checkout-button"}}],
                 "variants":[{"name":"control","weight":500},{"name":"treatment","weight":500}]}}}""");
        assertThat(flag.status()).as(flag.body()).isEqualTo(201);
        LocalRampServer.Reply experiment = ramp.post("/api/v1/experiments", """
                {"name":"checkout-button-test","flag":"checkout-button","environment":"production",
                 "hypothesis":"the treatment's button converts more","control":"control",
                 "primaryMetric":{"event":"checkout","kind":"conversion","goal":"increase"},
                 "guardrailMetrics":[{"event":"latency_ms","kind":"average","goal":"decrease"},
                                     {"event":"checkout","kind":"sum","goal":"increase"}],
                 "minimumDetectableEffect":0.1}""");
        assertThat(experiment.status()).as(experiment.body()).isEqualTo(201);
        assertThat(ramp.post("/api/v1/experiments/checkout-button-test/start", null, "If-Match", "*").status()).isEqualTo(200);
    }

    @AfterEach
    void stopServer() {
        ramp.close();
    }

    @Test
    void experiment_twentyThousandUsersWithATrueLift_detectsItAndShipsTheTreatment() {
        String token = ramp.clientToken("production");
        try (RampClient client = RampClient.builder().url(ramp.url()).token(token).appName("shop")
                .backupFile(directory.resolve("during.json")).events(100_000, 5_000, Duration.ofMillis(100), 5).build()) {
            assertThat(client.awaitReady(Duration.ofSeconds(20))).isTrue();
            SplittableRandom random = new SplittableRandom(20_261_201);
            for (int i = 0; i < USERS; i++) {
                Context user = Context.ofUser("user-" + i);
                boolean treated = client.variant("checkout-button", user).name().equals("treatment");
                if (random.nextDouble() < (treated ? TREATMENT_RATE : CONTROL_RATE)) {
                    client.track("checkout", user);
                }
                for (int page = 1 + random.nextInt(3); page > 0; page--) {
                    // The same latency on both arms: the guardrail must not fire.
                    client.track("latency_ms", user, Math.exp(5.3 + 0.4 * random.nextGaussian()));
                }
            }
            client.close();
            assertThat(client.usage().eventsDropped()).isZero();
            assertThat(client.usage().eventsSent()).isEqualTo(client.usage().eventsQueued());
        }

        JsonNode results = ramp.get("/api/v1/experiments/checkout-button-test/results").json();

        assertThat(results.path("units").asLong()).isEqualTo(USERS);
        assertThat(results.path("unitsInSeveralArms").asLong()).isZero();
        assertThat(results.path("sampleRatio").path("mismatch").asBoolean()).as(results.toPrettyString()).isFalse();
        JsonNode conversion = results.path("metrics").get(0);
        JsonNode control = conversion.path("arms").get(0);
        JsonNode treatment = conversion.path("arms").get(1);
        assertThat(control.path("variant").asText()).isEqualTo("control");
        assertThat(control.path("units").asLong() + treatment.path("units").asLong()).isEqualTo(USERS);
        JsonNode comparison = treatment.path("comparison");
        JsonNode relative = comparison.path("relativeLift");
        JsonNode sequential = comparison.path("sequentialRelativeLift");
        assertThat(relative.path("lower").asDouble()).as("the classic interval holds the true lift")
                .isLessThan(TRUE_LIFT).isGreaterThan(0);
        assertThat(relative.path("upper").asDouble()).isGreaterThan(TRUE_LIFT);
        assertThat(sequential.path("lower").asDouble()).as("so does the wider sequential one, and it excludes 0")
                .isLessThan(TRUE_LIFT).isGreaterThan(0);
        assertThat(sequential.path("upper").asDouble()).isGreaterThan(relative.path("upper").asDouble());
        assertThat(comparison.path("pValue").asDouble()).isLessThan(0.001);
        assertThat(comparison.path("chanceToWin").asDouble()).isGreaterThan(0.99);
        assertThat(comparison.path("verdict").asText()).isEqualTo("better");
        JsonNode latency = results.path("metrics").get(1).path("arms").get(1).path("comparison");
        assertThat(latency.path("verdict").asText()).as("no latency change").isEqualTo("inconclusive");
        JsonNode recommendation = results.path("recommendation");
        assertThat(recommendation.path("action").asText()).as(recommendation.path("reason").asText()).isEqualTo("ship");
        assertThat(recommendation.path("variant").asText()).isEqualTo("treatment");

        assertThat(ramp.post("/api/v1/experiments/checkout-button-test/ship", "{\"variant\":\"treatment\"}", "If-Match", "*")
                .status()).isEqualTo(200);
        try (RampClient after = RampClient.builder().url(ramp.url()).token(token).appName("shop")
                .backupFile(directory.resolve("after.json")).build()) {
            assertThat(after.awaitReady(Duration.ofSeconds(20))).isTrue();
            for (int i = 0; i < 100; i++) {
                assertThat(after.variant("checkout-button", Context.ofUser("user-" + i)).name()).isEqualTo("treatment");
            }
        }
    }
}
