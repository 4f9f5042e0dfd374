package dev.ramp.analysis.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.analysis.SequentialGuardrail;
import dev.ramp.analysis.ThresholdJudge;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CanarySimulatorTest {

    private final SequentialGuardrail guardrail = SequentialGuardrail.builder()
            .alpha(0.01).proportion(CanarySimulator.ERRORS).mean(CanarySimulator.LATENCY).build();
    /** Limits a healthy canary at 50 req/s crosses about 5% of the seconds each (2 errors of ~25, +1.65 sd). */
    private final ThresholdJudge threshold = ThresholdJudge.builder()
            .failAbove(CanarySimulator.ERRORS, 1.5 / 25).failAbove(CanarySimulator.LATENCY, Math.log(100) + 1.65 * 0.5 / 5)
            .build();
    private final List<Watch> watches =
            List.of(new Watch("guardrail", guardrail, 1, 1), new Watch("threshold", threshold, 1, 1));

    @Test
    void firstFailures_sameSeed_sameResult() {
        Scenario scenario = Scenario.healthy(100).withCanaryErrorRate(0.02);

        int[] first = CanarySimulator.firstFailures(scenario, watches, 300, new SplittableRandom(7));
        int[] second = CanarySimulator.firstFailures(scenario, watches, 300, new SplittableRandom(7));

        assertThat(first).containsExactly(second);
    }

    @Test
    void firstFailures_healthyCanariesWatchedEverySecond_guardrailStaysWithinAlphaWhileThresholdsDoNot() {
        int guardrailFailures = 0;
        int thresholdFailures = 0;
        for (int canary = 0; canary < 200; canary++) {
            int[] failedAt = CanarySimulator.firstFailures(
                    Scenario.healthy(50), watches, 300, new SplittableRandom(1_000 + canary));
            guardrailFailures += failedAt[0] >= 0 ? 1 : 0;
            thresholdFailures += failedAt[1] >= 0 ? 1 : 0;
        }

        // At α = 1% the expected count is at most 2 of 200; 7 or more has a chance below 0.005% (binomial).
        assertThat(guardrailFailures).isLessThanOrEqualTo(6);
        assertThat(thresholdFailures).isGreaterThan(190);
    }

    @Test
    void firstFailures_incidentOnBothArms_failsFixedLimitsButNotTheGuardrail() {
        Scenario incident = Scenario.healthy(50).withIncident(new Scenario.Incident(61, 90, 0.2));
        int guardrailFailures = 0;
        int thresholdFailures = 0;
        for (int canary = 0; canary < 50; canary++) {
            int[] failedAt = CanarySimulator.firstFailures(incident, watches, 120, new SplittableRandom(canary));
            guardrailFailures += failedAt[0] >= 0 ? 1 : 0;
            thresholdFailures += failedAt[1] >= 0 ? 1 : 0;
        }

        assertThat(guardrailFailures).isLessThanOrEqualTo(2);
        assertThat(thresholdFailures).isEqualTo(50);
    }

    @Test
    void weightAt_steps_holdsEachForItsSecondsAndTheLastToTheEnd() {
        Scenario stepped = Scenario.healthy(100).withWeights(Scenario.Weights.steps(10, 0.05, 0.5));

        assertThat(stepped.weightAt(1)).isEqualTo(0.05);
        assertThat(stepped.weightAt(10)).isEqualTo(0.05);
        assertThat(stepped.weightAt(11)).isEqualTo(0.5);
        assertThat(stepped.weightAt(1_000)).isEqualTo(0.5);
    }

    @Test
    void firstFailures_canaryWithFiveTimesTheErrors_isCaughtByTheGuardrail() {
        Scenario broken = Scenario.healthy(100).withCanaryErrorRate(0.05);

        for (int canary = 0; canary < 20; canary++) {
            int[] failedAt = CanarySimulator.firstFailures(
                    broken, List.of(watches.get(0)), 600, new SplittableRandom(canary));
            assertThat(failedAt[0]).isBetween(1, 600);
        }
    }
}
