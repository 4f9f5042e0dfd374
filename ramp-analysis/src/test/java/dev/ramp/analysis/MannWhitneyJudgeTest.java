package dev.ramp.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MannWhitneyJudgeTest {

    /** Ten intervals of a stable error rate around 1 %. */
    private static final double[] STABLE_ERRORS =
            {0.0102, 0.0098, 0.0101, 0.0099, 0.0100, 0.0103, 0.0097, 0.0100, 0.0101, 0.0099};
    private static final double[] SAME_ERRORS_SHUFFLED =
            {0.0099, 0.0101, 0.0100, 0.0097, 0.0103, 0.0100, 0.0099, 0.0101, 0.0098, 0.0102};
    private static final double[] STABLE_LATENCY = {100, 102, 98, 101, 99, 103, 97, 100, 101, 99};
    private static final double[] CANARY_LATENCY = {101, 99, 100, 102, 98, 100, 101, 99, 102, 98};
    private static final double[] NO_DATA = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};

    @Test
    void look_identicalSeries_passes() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();

        Verdict verdict = run(judge, Map.of("errors", arms(STABLE_ERRORS, SAME_ERRORS_SHUFFLED)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.PASS);
        assertThat(verdict.evidence().get(0).reason()).contains("Pass", "identical");
        assertThat(score(verdict).value()).isEqualTo(100);
    }

    @Test
    void look_canaryErrorsJumpHundredfold_fails() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();

        Verdict verdict = run(judge, Map.of("errors", arms(STABLE_ERRORS, times(STABLE_ERRORS, 100))));

        Evidence errors = verdict.evidence().get(0);
        assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(errors.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(errors.reason()).startsWith("errors: High");
        assertThat(errors.value()).isGreaterThan(errors.bound());
        assertThat(errors.canaryEstimate() / errors.stableEstimate()).isCloseTo(100, within(1e-9));
    }

    /**
     * Kayenta issue 780, reproduced for parity: the canary's rate jumps a hundredfold on 7 of its 10 intervals, yet
     * the metric passes, because the lower bound (about 6e-5, as R gives it) must clear a quarter of the estimated
     * shift itself (about 0.24), not a quarter of the stable level.
     */
    @Test
    void look_hundredfoldJumpOnSevenOfTenPoints_passesAsInKayenta() {
        double[] canary = {1.01, 0.98, 1.03, 0.99, 1.02, 0.97, 1.00, 0.0101, 0.0099, 0.0100};
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();

        Verdict verdict = run(judge, Map.of("errors", arms(STABLE_ERRORS, canary)));

        Evidence errors = verdict.evidence().get(0);
        assertThat(verdict.outcome()).isEqualTo(Outcome.PASS);
        // Rscript -e 'r <- wilcox.test(c(1.01, 0.98, 1.03, 0.99, 1.02, 0.97, 1.00, 0.0101, 0.0099, 0.0100), c(0.0102, 0.0098, 0.0101, 0.0099, 0.0100, 0.0103, 0.0097, 0.0100, 0.0101, 0.0099), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        // prints 9.75235693327276e-01 6.27634094633327e-05 1.00978681978873e+00 8.79812738450622e-03
        assertThat(errors.value()).isCloseTo(6.27634094633327e-05, within(1e-9));
        assertThat(errors.bound()).isCloseTo(0.25 * 9.75235693327276e-01, within(1e-9));
        assertThat(errors.reason()).contains("p = 0.0088");
    }

    @Test
    void look_lowerIsWorseMetricFalls_isLow() {
        double[] stable = {0.991, 0.989, 0.990, 0.992, 0.988, 0.990, 0.991, 0.989};
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("success", Direction.LOWER_IS_WORSE).build();

        Verdict verdict = run(judge, Map.of("success", arms(stable, plus(stable, -0.09))));

        Evidence success = verdict.evidence().get(0);
        assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(success.reason()).startsWith("success: Low");
        assertThat(success.statistic()).isEqualTo("Mann-Whitney upper bound");
        assertThat(success.value()).isLessThan(success.bound());
    }

    @Test
    void look_higherIsWorseMetricFalls_passes() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();

        Verdict verdict = run(judge, Map.of("errors", arms(STABLE_ERRORS, times(STABLE_ERRORS, 0.01))));

        assertThat(verdict.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void look_riseBelowAllowedIncrease_passes() {
        MannWhitneyJudge.Metric lenient = MannWhitneyJudge.Metric.builder("errors", Direction.HIGHER_IS_WORSE)
                .allowedIncrease(2.0)
                .build();
        Map<String, Points> data = Map.of("errors", arms(STABLE_ERRORS, times(STABLE_ERRORS, 1.5)));

        Verdict strict = run(MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build(), data);
        Verdict allowing = run(MannWhitneyJudge.builder().metric(lenient).build(), data);

        assertThat(strict.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(allowing.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void look_criticalMetricHigh_scoresZero() {
        MannWhitneyJudge.Builder builder = fourPassingMetrics();
        builder.metric(MannWhitneyJudge.Metric.builder("errors", Direction.HIGHER_IS_WORSE).critical().build());

        Verdict verdict = run(builder.build(), withPassingMetrics("errors", arms(STABLE_ERRORS, times(STABLE_ERRORS, 100))));

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(score(verdict).value()).isZero();
        assertThat(verdict.reason()).contains("critical errors High");
    }

    @Test
    void look_criticalMetricHighBelowCriticalIncrease_countsAsOrdinaryHigh() {
        MannWhitneyJudge.Builder builder = fourPassingMetrics();
        builder.metric(MannWhitneyJudge.Metric.builder("errors", Direction.HIGHER_IS_WORSE)
                .critical()
                .criticalIncrease(1000)
                .build());

        Verdict verdict = run(builder.build(), withPassingMetrics("errors", arms(STABLE_ERRORS, times(STABLE_ERRORS, 100))));

        assertThat(score(verdict).value()).isEqualTo(80);
        assertThat(verdict.outcome()).as("Kayenta's Marginal").isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void look_metricWithoutData_isNodataAndLeftOutOfScore() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder()
                .metric("errors", Direction.HIGHER_IS_WORSE)
                .metric("latency", Direction.HIGHER_IS_WORSE)
                .metric("saturation", Direction.HIGHER_IS_WORSE)
                .build();

        Verdict verdict = run(judge, Map.of(
                "errors", arms(STABLE_ERRORS, SAME_ERRORS_SHUFFLED),
                "latency", arms(STABLE_LATENCY, CANARY_LATENCY)));

        assertThat(verdict.evidence().get(2).outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(verdict.evidence().get(2).reason()).startsWith("saturation: Nodata");
        assertThat(score(verdict).value()).isEqualTo(100);
        assertThat(verdict.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void look_halfTheMetricsWithoutData_scoresZero() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder()
                .metric("errors", Direction.HIGHER_IS_WORSE)
                .metric("latency", Direction.HIGHER_IS_WORSE)
                .build();

        Verdict verdict = run(judge, Map.of(
                "errors", arms(STABLE_ERRORS, SAME_ERRORS_SHUFFLED),
                "latency", arms(STABLE_LATENCY, NO_DATA)));

        assertThat(score(verdict).value()).isZero();
        assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(verdict.reason()).contains("1 of 2 metrics have no data");
    }

    @Test
    void look_noDataOnAnyMetric_isInconclusive() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();

        Verdict verdict = run(judge, Map.of("errors", arms(NO_DATA, NO_DATA)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(verdict.reason()).contains("no metric could be scored yet: errors Nodata");
    }

    @Test
    void look_mustHaveDataMetricWithoutData_countsAgainstTheScore() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder()
                .metric("errors", Direction.HIGHER_IS_WORSE)
                .metric("latency", Direction.HIGHER_IS_WORSE)
                .metric(MannWhitneyJudge.Metric.builder("saturation", Direction.HIGHER_IS_WORSE).mustHaveData().build())
                .build();

        Verdict verdict = run(judge, Map.of(
                "errors", arms(STABLE_ERRORS, SAME_ERRORS_SHUFFLED),
                "latency", arms(STABLE_LATENCY, CANARY_LATENCY)));

        assertThat(verdict.evidence().get(2).reason()).startsWith("saturation: NodataFailMetric");
        assertThat(score(verdict).value()).isEqualTo(66.67);
        assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void look_criticalMetricWithoutData_scoresZero() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder()
                .metric("errors", Direction.HIGHER_IS_WORSE)
                .metric("latency", Direction.HIGHER_IS_WORSE)
                .metric(MannWhitneyJudge.Metric.builder("saturation", Direction.HIGHER_IS_WORSE)
                        .critical()
                        .mustHaveData()
                        .build())
                .build();

        Verdict verdict = run(judge, Map.of(
                "errors", arms(STABLE_ERRORS, SAME_ERRORS_SHUFFLED),
                "latency", arms(STABLE_LATENCY, CANARY_LATENCY)));

        assertThat(verdict.evidence().get(2).reason()).startsWith("saturation: Nodata:");
        assertThat(score(verdict).value()).isZero();
        assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void look_intervalWithoutDataOnOneArm_dropsThatPoint() {
        double[] canary = STABLE_ERRORS.clone();
        canary[3] = Double.NaN;
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();

        Verdict verdict = run(judge, Map.of("errors", arms(STABLE_ERRORS, canary)));

        assertThat(verdict.evidence().get(0).stableSamples()).isEqualTo(10);
        assertThat(verdict.evidence().get(0).canarySamples()).isEqualTo(9);
    }

    @Test
    void look_oneValueAcrossBothArms_passes() {
        double[] stable = {0.01, 0.01, 0.01, 0.01};
        double[] canary = {0.01, Double.NaN, 0.01, Double.NaN};
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();

        Verdict verdict = run(judge, Map.of("errors", arms(stable, canary)));

        assertThat(verdict.outcome()).isEqualTo(Outcome.PASS);
        assertThat(verdict.evidence().get(0).reason()).contains("one value across both arms");
    }

    @Test
    void look_eachArmOneValue_breaksTiesWithNoiseFromTheSeed() {
        double[] stable = {0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01};
        double[] canary = {0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02};
        Map<String, Points> data = Map.of("errors", arms(stable, canary));

        Verdict first = run(MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).seed(7).build(), data);
        Verdict again = run(MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).seed(7).build(), data);
        Verdict otherSeed =
                run(MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).seed(8).build(), data);

        assertThat(first.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(again).isEqualTo(first);
        assertThat(otherSeed.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(otherSeed.evidence().get(0).value()).isNotEqualTo(first.evidence().get(0).value());
    }

    @Test
    void look_firstIntervalOnePointPerArm_isErrorAndInconclusive() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();

        Verdict verdict = run(judge, Map.of("errors", arms(new double[] {0.01}, new double[] {0.5})));

        assertThat(verdict.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(verdict.evidence().get(0).reason()).startsWith("errors: Error");
        assertThat(verdict.reason()).contains("no metric could be scored yet: errors Error");
    }

    @Test
    void look_scoreEvidence_comesLastWithTheMarginalThresholdAsBound() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder()
                .metric("errors", Direction.HIGHER_IS_WORSE)
                .scoreThresholds(90, 60)
                .build();

        Verdict verdict = run(judge, Map.of("errors", arms(STABLE_ERRORS, SAME_ERRORS_SHUFFLED)));

        Evidence score = score(verdict);
        assertThat(score.metric()).isEqualTo("score");
        assertThat(score.statistic()).isEqualTo("score");
        assertThat(score.bound()).isEqualTo(60);
        assertThat(verdict.evidence()).hasSize(2);
    }

    @Test
    void look_everyLook_keepsEveryPointSoFar() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();
        Interval first = Interval.of(Map.of("errors", Arms.of(Counts.of(1, 100), Counts.of(2, 100))));
        Interval second = Interval.of(Map.of("errors", Arms.of(Counts.of(3, 100), Counts.EMPTY)));

        Look look = judge.look(judge.look(judge.start(), first).state(), second);

        MannWhitneyJudge.State state = (MannWhitneyJudge.State) look.state();
        assertThat(state.intervals()).isEqualTo(2);
        assertThat(state.series().get("errors")).isEqualTo(new MannWhitneyJudge.Series(
                MannWhitneyJudge.SummaryKind.COUNTS, List.of(0.01, 0.03), List.of(0.02)));
    }

    @Test
    void look_stateFromAnotherJudge_isRefused() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();
        JudgeState foreign = ThresholdJudge.builder().failAbove("errors", 0.1).build().start();

        assertThatThrownBy(() -> judge.look(foreign, Interval.of(Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs its own state");
    }

    @Test
    void look_stateStartedWithAnotherSeed_isRefused() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).seed(1).build();
        JudgeState otherSeed = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).seed(2).build().start();

        assertThatThrownBy(() -> judge.look(otherSeed, Interval.of(Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed 2");
    }

    @Test
    void look_summaryKindChanges_isRefusedNamingTheMetric() {
        MannWhitneyJudge judge = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE).build();
        Look first = judge.look(judge.start(),
                Interval.of(Map.of("errors", Arms.of(Counts.of(1, 100), Counts.of(2, 100)))));

        assertThatThrownBy(() -> judge.look(first.state(),
                        Interval.of(Map.of("errors", Arms.of(Moments.of(0.01), Moments.of(0.02))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric errors had COUNTS summaries");
    }

    @Test
    void builder_badSettings_areRefusedNamingTheValue() {
        MannWhitneyJudge.Builder builder = MannWhitneyJudge.builder().metric("errors", Direction.HIGHER_IS_WORSE);

        assertThatThrownBy(() -> builder.confidence(1.0)).hasMessageContaining("got 1.0");
        assertThatThrownBy(() -> builder.tolerance(-0.1)).hasMessageContaining("got -0.1");
        assertThatThrownBy(() -> builder.scoreThresholds(70, 80)).hasMessageContaining("pass 70.0 and marginal 80.0");
        assertThatThrownBy(() -> builder.metric("errors", Direction.LOWER_IS_WORSE))
                .hasMessageContaining("metric errors is already configured");
        assertThatThrownBy(() -> MannWhitneyJudge.Metric.builder("errors", Direction.HIGHER_IS_WORSE)
                        .allowedDecrease(0.9))
                .hasMessageContaining("allowedDecrease has no effect on metric errors");
        assertThatThrownBy(() -> MannWhitneyJudge.Metric.builder("errors", Direction.HIGHER_IS_WORSE)
                        .allowedIncrease(0))
                .hasMessageContaining("allowedIncrease of metric errors must be a finite ratio above 0, got 0.0");
        assertThatThrownBy(() -> MannWhitneyJudge.builder().build()).hasMessageContaining("at least one metric");
    }

    private static MannWhitneyJudge.Builder fourPassingMetrics() {
        MannWhitneyJudge.Builder builder = MannWhitneyJudge.builder();
        for (int i = 1; i <= 4; i++) {
            builder.metric("passing" + i, Direction.HIGHER_IS_WORSE);
        }
        return builder;
    }

    private static Map<String, Points> withPassingMetrics(String name, Points data) {
        Map<String, Points> all = new LinkedHashMap<>();
        for (int i = 1; i <= 4; i++) {
            all.put("passing" + i, arms(STABLE_ERRORS, SAME_ERRORS_SHUFFLED));
        }
        all.put(name, data);
        return all;
    }

    /**
     * Feeds the judge one interval per point: point i of each metric's arms becomes that arm's mean in interval i,
     * and a NaN point an arm without data.
     */
    private static Verdict run(MannWhitneyJudge judge, Map<String, Points> points) {
        int intervals = points.values().iterator().next().stable().length;
        JudgeState state = judge.start();
        Verdict verdict = null;
        for (int i = 0; i < intervals; i++) {
            Map<String, Arms<?>> metrics = new LinkedHashMap<>();
            for (Map.Entry<String, Points> metric : points.entrySet()) {
                metrics.put(metric.getKey(), Arms.of(
                        point(metric.getValue().stable()[i]), point(metric.getValue().canary()[i])));
            }
            Look look = judge.look(state, Interval.of(metrics));
            state = look.state();
            verdict = look.verdict();
        }
        return verdict;
    }

    private static Moments point(double value) {
        return Double.isNaN(value) ? Moments.EMPTY : Moments.of(value);
    }

    /** Each arm's point per interval. */
    private record Points(double[] stable, double[] canary) {
    }

    private static Points arms(double[] stable, double[] canary) {
        return new Points(stable, canary);
    }

    private static Evidence score(Verdict verdict) {
        return verdict.evidence().get(verdict.evidence().size() - 1);
    }

    private static double[] times(double[] values, double factor) {
        double[] scaled = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scaled[i] = values[i] * factor;
        }
        return scaled;
    }

    private static double[] plus(double[] values, double shift) {
        double[] shifted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            shifted[i] = values[i] + shift;
        }
        return shifted;
    }
}
