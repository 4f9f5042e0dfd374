package dev.ramp.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SequentialGuardrailTest {

    private final SequentialGuardrail guardrail =
            SequentialGuardrail.builder().alpha(0.01).minSamples(100).proportion("errors").mean("latency").build();

    @Test
    void look_belowMinimumSamples_isInconclusiveAndSaysHowManyAreNeeded() {
        Look look = guardrail.look(guardrail.start(), interval(50, 0, 50, 0, 0.5));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(look.verdict().reason()).contains("errors", "50 stable and 50 canary samples", "100 per arm needed");
    }

    @Test
    void look_equalArmsWithEnoughSamples_passesWithEvidenceBelowTheBound() {
        Look look = run(guardrail, 30, () -> interval(1000, 10, 1000, 10, 0.5));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.PASS);
        Evidence errors = look.verdict().evidence().get(0);
        assertThat(errors.metric()).isEqualTo("errors");
        assertThat(errors.statistic()).isEqualTo("e-value");
        assertThat(errors.value()).isLessThan(1);
        assertThat(errors.bound()).isEqualTo(200.0);
        assertThat(errors.stableSamples()).isEqualTo(30_000);
        assertThat(errors.canarySamples()).isEqualTo(30_000);
    }

    @Test
    void look_canaryErrorRateDoubled_failsAndNamesTheMetric() {
        JudgeState state = guardrail.start();
        Look look = null;
        int interval = 0;
        while (interval < 100) {
            interval++;
            look = guardrail.look(state, interval(1000, 10, 1000, 20, 0.5));
            state = look.state();
            if (look.verdict().outcome() == Outcome.FAIL) {
                break;
            }
        }

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.FAIL);
        assertThat(look.verdict().reason()).startsWith("errors: canary worse than stable").contains("at interval " + interval);
        Evidence errors = look.verdict().evidence().get(0);
        assertThat(errors.value()).isGreaterThanOrEqualTo(errors.bound());
        assertThat(errors.canaryEstimate()).isEqualTo(0.02);
        assertThat(errors.stableEstimate()).isEqualTo(0.01);
    }

    @Test
    void look_afterFailing_staysFailedWhenTheCanaryRecovers() {
        Look failed = run(guardrail, 20, () -> interval(1000, 10, 1000, 60, 0.5));
        assertThat(failed.verdict().outcome()).isEqualTo(Outcome.FAIL);

        Look later = run(guardrail, failed.state(), 200, () -> interval(1000, 10, 1000, 5, 0.5));

        assertThat(later.verdict().outcome()).isEqualTo(Outcome.FAIL);
        assertThat(((SequentialGuardrail.State) later.state()).metrics().get(0).failedAt())
                .isEqualTo(((SequentialGuardrail.State) failed.state()).metrics().get(0).failedAt());
    }

    @Test
    void look_canaryFewerErrors_neverFailsAHigherIsWorseMetric() {
        Look look = run(guardrail, 200, () -> interval(1000, 20, 1000, 2, 0.5));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void look_weightRaisedDuringAnIncidentOnBothArms_doesNotBlameTheCanary() {
        // 10% weight at a 1% error rate on both arms, then 50% weight while both arms fail 10% of requests. Pooled over
        // the release the canary looks twice as bad (8.5% against 4.2%); each interval on its own says the arms agree.
        JudgeState state = guardrail.start();
        Counts stablePooled = Counts.EMPTY;
        Counts canaryPooled = Counts.EMPTY;
        Look look = null;
        for (int round = 0; round < 50; round++) {
            for (Interval interval : new Interval[] {interval(900, 9, 100, 1, 0.1), interval(500, 50, 500, 50, 0.5)}) {
                look = guardrail.look(state, interval);
                state = look.state();
                Arms<?> errors = interval.metrics().get("errors");
                stablePooled = stablePooled.plus((Counts) errors.stable());
                canaryPooled = canaryPooled.plus((Counts) errors.canary());
            }
        }

        assertThat(canaryPooled.value() / stablePooled.value()).isGreaterThan(2);
        assertThat(look.verdict().outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void look_canarySlower_failsOnLatency() {
        Look look = run(guardrail, 10, () -> interval(200, 0, 200, 0, 0.5, 0.0, Math.log(1.2)));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.FAIL);
        assertThat(look.verdict().reason()).startsWith("latency: canary worse than stable");
    }

    @Test
    void look_armsWithoutSpread_failTheSlowerCanaryWithAFiniteEValue() {
        Moments stable = new Moments(200, 0, 0);
        Moments canary = new Moments(200, 200 * Math.log(1.5), 200 * Math.log(1.5) * Math.log(1.5));
        SequentialGuardrail latency = SequentialGuardrail.builder().mean("latency").build();

        Look look = latency.look(latency.start(), Interval.of(Map.of("latency", Arms.of(stable, canary))));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.FAIL);
        Evidence evidence = look.verdict().evidence().get(0);
        assertThat(evidence.value()).as("a number JSON can carry").isFinite().isGreaterThanOrEqualTo(evidence.bound());
    }

    @Test
    void look_slowdownWithinTheTolerance_passes() {
        SequentialGuardrail tolerant = SequentialGuardrail.builder()
                .mean("latency", Direction.HIGHER_IS_WORSE, Math.log(1.05)).build();

        Look look = run(tolerant, 100, () -> interval(500, 0, 500, 0, 0.5, 0.0, Math.log(1.02)));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void look_lowerIsWorse_failsWhenTheCanaryDrops() {
        SequentialGuardrail success = SequentialGuardrail.builder()
                .proportion("errors", Direction.LOWER_IS_WORSE, 0).build();

        assertThat(run(success, 50, () -> interval(1000, 500, 1000, 400, 0.5)).verdict().outcome())
                .isEqualTo(Outcome.FAIL);
        assertThat(run(success, 50, () -> interval(1000, 400, 1000, 500, 0.5)).verdict().outcome())
                .isEqualTo(Outcome.PASS);
    }

    @Test
    void look_splitFarFromTheRequestedWeight_isInconclusiveWithTheObservedShare() {
        Look look = run(guardrail, 20, () -> interval(600, 6, 400, 4, 0.5));

        assertThat(look.verdict().outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(look.verdict().reason()).contains("sample ratio mismatch", "40.00%", "requested 50.00%");
        Evidence split = look.verdict().evidence().get(2);
        assertThat(split.metric()).isEqualTo("split");
        assertThat(split.value()).isGreaterThanOrEqualTo(SequentialGuardrail.SPLIT_BOUND);
    }

    @Test
    void look_metricMissingFromAnInterval_keepsWhatItHad() {
        Look first = guardrail.look(guardrail.start(), interval(500, 5, 500, 5, 0.5));

        Look second = guardrail.look(first.state(), Interval.of(Map.of()));

        assertThat(second.state().intervals()).isEqualTo(2);
        assertThat(((SequentialGuardrail.State) second.state()).metrics())
                .isEqualTo(((SequentialGuardrail.State) first.state()).metrics());
    }

    @Test
    void look_sameStateAndInterval_givesAnEqualLook() {
        JudgeState state = run(guardrail, 5, () -> interval(500, 5, 500, 7, 0.5)).state();
        Interval next = interval(500, 4, 500, 9, 0.5);

        assertThat(guardrail.look(state, next)).isEqualTo(guardrail.look(state, next));
    }

    @Test
    void look_stateOfAnotherJudge_isRefused() {
        JudgeState foreign = ThresholdJudge.builder().failAbove("errors", 0.1).build().start();

        assertThatThrownBy(() -> guardrail.look(foreign, interval(1, 0, 1, 0, 0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to this sequential guardrail");
    }

    @Test
    void look_stateOfAGuardrailOnOtherMetrics_isRefused() {
        SequentialGuardrail other = SequentialGuardrail.builder().proportion("timeouts").mean("latency").build();

        assertThatThrownBy(() -> guardrail.look(other.start(), interval(1, 0, 1, 0, 0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to this sequential guardrail");
    }

    @Test
    void look_momentsWhereCountsAreExpected_isRefusedNamingTheMetric() {
        Interval wrong = Interval.of(Map.of("errors", Arms.of(Moments.of(1, 2), Moments.of(3, 4))));

        assertThatThrownBy(() -> guardrail.look(guardrail.start(), wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric errors is judged on Counts but the interval has Moments");
    }

    @Test
    void build_badSettings_reportsEveryOneAtOnce() {
        assertThatThrownBy(() -> SequentialGuardrail.builder()
                        .alpha(1.5).minSamples(1).proportion("errors").proportion("errors")
                        .mean("split").mean(" ").proportion("rate", Direction.LOWER_IS_WORSE, 1.0)
                        .mean("latency", Direction.HIGHER_IS_WORSE, -0.1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric errors is configured twice")
                .hasMessageContaining("'split' is taken")
                .hasMessageContaining("must not be blank, got ' '")
                .hasMessageContaining("tolerance must be below 1 when lower is worse, got 1.0")
                .hasMessageContaining("latency: tolerance must be finite and >= 0, got -0.1")
                .hasMessageContaining("alpha must lie in (0, 1), got 1.5")
                .hasMessageContaining("minSamples must be at least 2, got 1");
    }

    @Test
    void build_noMetric_isRefused() {
        assertThatThrownBy(() -> SequentialGuardrail.builder().build())
                .hasMessageContaining("needs at least one metric");
    }

    /** An interval with the given requests and errors per arm; latency logs spread ±0.5 around the given means. */
    static Interval interval(long stableRequests, long stableErrors, long canaryRequests, long canaryErrors, double weight) {
        return interval(stableRequests, stableErrors, canaryRequests, canaryErrors, weight, 0, 0);
    }

    static Interval interval(long stableRequests, long stableErrors, long canaryRequests, long canaryErrors,
            double weight, double stableLogMean, double canaryLogMean) {
        return Interval.of(Map.of(
                        "errors", Arms.of(Counts.of(stableErrors, stableRequests), Counts.of(canaryErrors, canaryRequests)),
                        "latency", Arms.of(spread(stableRequests, stableLogMean), spread(canaryRequests, canaryLogMean))),
                Split.of(weight, stableRequests, canaryRequests));
    }

    /** n values, half at mean - 0.5 and half at mean + 0.5 (n even), or none. */
    private static Moments spread(long n, double mean) {
        double low = mean - 0.5;
        double high = mean + 0.5;
        return new Moments(n, n * mean, n / 2.0 * (low * low + high * high));
    }

    private static Look run(Judge judge, int intervals, java.util.function.Supplier<Interval> next) {
        return run(judge, judge.start(), intervals, next);
    }

    private static Look run(Judge judge, JudgeState state, int intervals, java.util.function.Supplier<Interval> next) {
        Look look = null;
        for (int i = 0; i < intervals; i++) {
            look = judge.look(state, next.get());
            state = look.state();
        }
        return look;
    }
}
