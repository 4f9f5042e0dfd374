package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ramp demo} in process, in real time: the whole story and its summary, a time limit too short for it, and
 * bad options. The story's own limit is raised here so that a slow machine cannot fail it; CI runs {@code ./ramp demo}
 * with its defaults as well.
 */
class DemoCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void demo_rollsBackTheBadCanary_promotesTheHealthyOne_andRollsOutTheFlag(@TempDir Path directory) throws Exception {
        Path summaryFile = directory.resolve("out/summary.json");

        Run run = Run.of("demo", "--summary-json", summaryFile.toString(), "--time-limit", "5m");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Dashboard    http://127.0.0.1:", "Admin token  demo-admin-",
                "== 1. A canary of v2", "rolled-back", "Summary: ");
        JsonNode summary = JSON.readTree(summaryFile.toFile());
        assertThat(summary.path("asExpected").asBoolean()).isTrue();
        assertThat(summary.path("dashboard").asText()).startsWith("http://127.0.0.1:");
        assertThat(summary.path("requests").asLong()).isPositive();
        List<JsonNode> releases = new ArrayList<>();
        summary.path("releases").forEach(releases::add);
        assertThat(releases).extracting(release -> release.path("name").asText() + " " + release.path("outcome").asText())
                .containsExactly("shop-v2 rolled_back", "shop-v3 promoted", "checkout-new-flow promoted");
        assertThat(releases.get(2).path("target").path("flag").asText()).isEqualTo("checkout.new-flow");
        for (JsonNode release : releases) {
            assertThat(release.path("secondsToDecision").asDouble()).isPositive();
            assertThat(release.path("evidence")).isNotEmpty();
        }

        JsonNode failing = null;
        for (JsonNode result : releases.get(0).path("evidence")) {
            if (result.path("outcome").asText().equals("FAIL")) {
                failing = result;
            }
        }
        assertThat(failing).as("the measurement that rolled v2 back failed on a metric").isNotNull();
        assertThat(failing.path("canaryEstimate").asDouble()).isGreaterThan(failing.path("stableEstimate").asDouble());
        assertThat(failing.path("value").asDouble()).isGreaterThanOrEqualTo(failing.path("bound").asDouble());
        for (JsonNode result : releases.get(1).path("evidence")) {
            assertThat(result.path("outcome").asText()).isEqualTo("PASS");
        }
    }

    @Test
    void demo_thatCannotEndWithinItsTimeLimit_saysWhereItStoodAndExits7() {
        Run run = Run.of("demo", "--time-limit", "1s");

        assertThat(run.exitCode()).isEqualTo(Main.DEMO_FAILED);
        assertThat(run.err()).contains("ramp: demo: release shop-v2 was still", "time limit of 1 s");
    }

    @Test
    void demo_refusesARateOutOfRange_namingTheOption() {
        Run run = Run.of("demo", "--rate", "0");

        assertThat(run.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(run.err()).contains("--rate: must be 1 to 2000");
    }
}
