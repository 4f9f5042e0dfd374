package dev.ramp.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdJudgeTest {

    private final ThresholdJudge judge = ThresholdJudge.builder().failAbove("errors", 0.02).minSamples(50).build();

    @Test
    void look_canaryWithinTheLimit_passes() {
        Look look = judge.look(judge.start(), errors(1000, 50, 100, 2));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.PASS);
        Evidence evidence = look.verdict().evidence().get(0);
        assertThat(evidence.statistic()).isEqualTo("canary value");
        assertThat(evidence.value()).isEqualTo(0.02);
        assertThat(evidence.bound()).isEqualTo(0.02);
    }

    @Test
    void look_firstCrossing_failsAsArgoDoesByDefault() {
        Look look = judge.look(judge.start(), errors(1000, 0, 100, 3));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.FAIL);
        assertThat(look.verdict().reason()).isEqualTo(
                "errors: 1 failed measurements (fails on > 0.0200000) since interval 1, more than the 0 allowed");
    }

    @Test
    void look_ignoresStable_evenWhenItIsWorse() {
        Look look = judge.look(judge.start(), errors(100, 50, 100, 3));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void look_failureLimitTwo_failsOnTheThirdCrossingAndStaysFailed() {
        ThresholdJudge lenient = ThresholdJudge.builder().failAbove("errors", 0.02).failureLimit(2).build();
        JudgeState state = lenient.start();
        Outcome[] outcomes = new Outcome[5];
        Interval[] intervals = {errors(100, 0, 100, 5), errors(100, 0, 100, 1), errors(100, 0, 100, 5),
                errors(100, 0, 100, 5), errors(100, 0, 100, 0)};
        for (int i = 0; i < intervals.length; i++) {
            Look look = lenient.look(state, intervals[i]);
            state = look.state();
            outcomes[i] = look.verdict().outcome();
        }

        assertThat(outcomes).containsExactly(
                Outcome.INCONCLUSIVE, Outcome.PASS, Outcome.INCONCLUSIVE, Outcome.FAIL, Outcome.FAIL);
        assertThat(((ThresholdJudge.State) state).failedAt()).containsExactly(4L);
    }

    @Test
    void look_tooFewCanarySamples_isInconclusive() {
        Look look = judge.look(judge.start(), errors(1000, 0, 10, 10));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(look.verdict().reason()).isEqualTo("errors: 10 canary samples in the interval, 50 needed");
    }

    @Test
    void look_failBelow_failsWhenTheCanaryDrops() {
        ThresholdJudge success = ThresholdJudge.builder().failBelow("success", 0.99).build();
        Interval low = Interval.of(Map.of("success", Arms.of(Counts.of(100, 100), Counts.of(97, 100))));

        assertThat(success.look(success.start(), low).verdict().outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void look_stateOfAnotherJudge_isRefused() {
        JudgeState foreign = SequentialGuardrail.builder().proportion("errors").build().start();

        assertThatThrownBy(() -> judge.look(foreign, errors(1, 0, 1, 0)))
                .hasMessageContaining("does not belong to this threshold judge");
    }

    @Test
    void build_badSettings_reportsEveryOneAtOnce() {
        assertThatThrownBy(() -> ThresholdJudge.builder().failAbove("errors", 0.1).failBelow("errors", 0.0)
                        .failAbove("latency", Double.NaN).minSamples(0).failureLimit(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid threshold judge: metric errors has two limits; metric latency: limit must be "
                        + "finite, got NaN; minSamples must be at least 1, got 0; failureLimit must be >= 0, got -1");
    }

    private static Interval errors(long stableRequests, long stableErrors, long canaryRequests, long canaryErrors) {
        return Interval.of(Map.of("errors",
                Arms.of(Counts.of(stableErrors, stableRequests), Counts.of(canaryErrors, canaryRequests))));
    }
}
