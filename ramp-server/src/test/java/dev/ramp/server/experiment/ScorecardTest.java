package dev.ramp.server.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ramp.analysis.Counts;
import dev.ramp.analysis.Moments;
import dev.ramp.analysis.experiment.BayesianGaussian;
import dev.ramp.analysis.experiment.ConfidenceSequence;
import dev.ramp.analysis.experiment.Lift;
import dev.ramp.analysis.experiment.Means;
import dev.ramp.analysis.experiment.PValues;
import dev.ramp.analysis.experiment.Posterior;
import dev.ramp.analysis.experiment.Proportions;
import dev.ramp.analysis.experiment.RatioMoments;
import dev.ramp.analysis.experiment.Ratios;
import dev.ramp.analysis.experiment.SampleSize;
import dev.ramp.server.experiment.ExperimentResults.ArmResult;
import dev.ramp.server.experiment.ExperimentResults.Comparison;
import dev.ramp.server.experiment.ExperimentResults.MetricResult;
import dev.ramp.server.model.ExperimentDefinition;
import dev.ramp.server.model.MetricDefinition;
import dev.ramp.server.store.ArmTotals;
import dev.ramp.server.store.StoredExperiment;
import dev.ramp.server.store.StoredExperiment.Arm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Locale;
import java.util.function.Predicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

/**
 * The scorecard: its figures are the {@code ramp-analysis} ones for the same sums, its recommendation follows its
 * rules, and on simulated A/A experiments its tests keep to their error rates.
 */
class ScorecardTest {

    private static final Instant STARTED = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant STOPPED = Instant.parse("2026-03-16T09:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-09T09:00:00Z");

    private static final MetricDefinition CHECKOUT = new MetricDefinition("checkout", "conversion", "increase");
    private static final MetricDefinition REVENUE = new MetricDefinition("revenue", "sum", "increase");
    private static final MetricDefinition LATENCY = new MetricDefinition("latency", "average", "decrease");
    private static final MetricDefinition ERRORS = new MetricDefinition("error", "conversion", "decrease");

    /** {@code z_{0.975} + z_{0.8}}: the default plan's alpha 0.05 and power 0.8. */
    private static final double DEFAULT_Z_SUM = 1.959963984540054 + 0.8416212335729143;

    private static final Arm CONTROL_HALF = new Arm("control", 0.5);
    private static final Arm TREATMENT_HALF = new Arm("treatment", 0.5);
    private static final Arm THIRD_CONTROL = new Arm("control", 1.0 / 3);
    private static final Arm THIRD_B = new Arm("b", 1.0 / 3);
    private static final Arm THIRD_C = new Arm("c", 1.0 / 3);

    // ---- known answers: each kind's figures are the analysis classes' ones ----

    @Test
    void score_conversion_givesTheProportionsFiguresWithTheControlFirst() {
        StoredExperiment experiment = running(CHECKOUT, List.of(), TREATMENT_HALF, CONTROL_HALF);
        ExperimentResults results = Scorecard.score(experiment, Map.of("checkout",
                List.of(conversion("treatment", 1000, 130), conversion("control", 1000, 100))), 3, NOW);

        MetricResult metric = results.metrics().get(0);
        assertThat(metric.role()).isEqualTo("primary");
        assertThat(metric.arms()).extracting(ArmResult::variant).containsExactly("control", "treatment");
        assertThat(metric.arms().get(0).control()).isTrue();
        assertThat(metric.arms().get(0).comparison()).isNull();
        assertThat(metric.arms()).extracting(ArmResult::mean).containsExactly(0.1, 0.13);

        Counts control = Counts.of(100, 1000);
        Counts treatment = Counts.of(130, 1000);
        assertFigures(metric.arms().get(1).comparison(), Proportions.absoluteLift(control, treatment, 0.05),
                Proportions.relativeLift(control, treatment, 0.05), 1);
        assertThat(results.units()).isEqualTo(2000);
        assertThat(results.unitsInSeveralArms()).isEqualTo(3);
        assertThat(results.computedAt()).isEqualTo(NOW);
        assertThat(results.plannedUnitsPerArm())
                .isEqualTo(SampleSize.perArmForProportions(0.1, 0.1 * 0.05, 0.05, 0.8));
    }

    @Test
    void score_sum_givesTheMeansFigures() {
        double[] control = {0, 0, 3, 5, 1.5, 0, 8, 2, 0, 4};
        double[] treatment = {2, 0, 6, 5, 3.5, 0, 9, 1, 7, 0, 4};
        StoredExperiment experiment = running(REVENUE, List.of(), CONTROL_HALF, TREATMENT_HALF);
        ExperimentResults results = Scorecard.score(experiment, Map.of("revenue",
                List.of(perUnit("control", control), perUnit("treatment", treatment))), 0, NOW);

        MetricResult metric = results.metrics().get(0);
        Moments c = Moments.of(control);
        Moments t = Moments.of(treatment);
        assertThat(metric.arms()).extracting(ArmResult::mean).containsExactly(c.mean(), t.mean());
        assertFigures(metric.arms().get(1).comparison(), Means.absoluteLift(c, t, 0.05),
                Means.relativeLift(c, t, 0.05), 1);
        assertThat(results.plannedUnitsPerArm())
                .isEqualTo(SampleSize.perArmForMeans(Math.sqrt(c.variance()), c.mean() * 0.05, 0.05, 0.8));
    }

    @Test
    void score_average_givesTheRatiosFiguresAndTheDeltaMethodSize() {
        double[] controlLatency = {120, 0, 340, 95, 410, 0, 230, 180};
        double[] controlViews = {1, 0, 3, 1, 4, 0, 2, 2};
        double[] treatmentLatency = {100, 260, 0, 90, 300, 150, 80};
        double[] treatmentViews = {1, 3, 0, 1, 3, 2, 1};
        StoredExperiment experiment = running(LATENCY, List.of(), CONTROL_HALF, TREATMENT_HALF);
        ExperimentResults results = Scorecard.score(experiment, Map.of("latency", List.of(
                perUnit("control", controlLatency, controlViews),
                perUnit("treatment", treatmentLatency, treatmentViews))), 0, NOW);

        MetricResult metric = results.metrics().get(0);
        RatioMoments c = RatioMoments.of(controlLatency, controlViews);
        RatioMoments t = RatioMoments.of(treatmentLatency, treatmentViews);
        assertThat(metric.arms()).extracting(ArmResult::mean).containsExactly(c.ratio(), t.ratio());
        Lift relative = Ratios.relativeLift(c, t, 0.05);
        Comparison comparison = metric.arms().get(1).comparison();
        assertLift(comparison.absoluteLift(), Ratios.absoluteLift(c, t, 0.05));
        assertLift(comparison.relativeLift(), relative);
        Posterior towardsDecrease = BayesianGaussian.posterior(-relative.estimate(), relative.standardError());
        assertThat(comparison.chanceToWin()).isEqualTo(towardsDecrease.chanceToWin());
        assertThat(comparison.expectedLoss()).isEqualTo(towardsDecrease.expectedLossOfShipping());
        double deltaMethodSd = Math.sqrt(c.ratioVariance() * c.n());
        assertThat(results.plannedUnitsPerArm())
                .isEqualTo(SampleSize.perArmForMeans(deltaMethodSd, -c.ratio() * 0.05, 0.05, 0.8));
    }

    @Test
    void score_twoTreatments_adjustsPValuesWithHolmAndSplitsAlphaForTheSequentialIntervals() {
        StoredExperiment experiment = running(CHECKOUT, List.of(),
                THIRD_CONTROL, THIRD_B, THIRD_C);
        ExperimentResults results = Scorecard.score(experiment, Map.of("checkout", List.of(
                conversion("control", 2000, 200), conversion("b", 2000, 230), conversion("c", 2000, 262))), 0, NOW);

        List<ArmResult> arms = results.metrics().get(0).arms();
        Counts control = Counts.of(200, 2000);
        Lift b = Proportions.absoluteLift(control, Counts.of(230, 2000), 0.05);
        Lift c = Proportions.absoluteLift(control, Counts.of(262, 2000), 0.05);
        double[] holm = PValues.holm(b.pValue(), c.pValue());
        assertThat(arms.get(1).comparison().pValue()).isEqualTo(b.pValue());
        assertThat(arms.get(1).comparison().adjustedPValue()).isEqualTo(holm[0]);
        assertThat(arms.get(2).comparison().adjustedPValue()).isEqualTo(holm[1]);
        assertThat(arms.get(2).comparison().adjustedPValue()).isGreaterThan(c.pValue());
        assertFigures(arms.get(2).comparison(), c, Proportions.relativeLift(control, Counts.of(262, 2000), 0.05), 2);
    }

    @Test
    void score_goalDecrease_flipsChanceToWinAndVerdict() {
        List<ArmTotals> totals = List.of(conversion("control", 20_000, 2000), conversion("treatment", 20_000, 2600));
        Comparison increase = treatmentOn(running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF), totals);
        Comparison decrease = treatmentOn(running(new MetricDefinition("checkout", "conversion", "decrease"),
                List.of(), CONTROL_HALF, TREATMENT_HALF), totals);

        assertThat(increase.verdict()).isEqualTo("better");
        assertThat(decrease.verdict()).isEqualTo("worse");
        assertThat(increase.chanceToWin()).isGreaterThan(0.999);
        assertThat(decrease.chanceToWin()).isCloseTo(1 - increase.chanceToWin(), within(1e-12));
        assertThat(decrease.expectedLoss()).isGreaterThan(increase.expectedLoss());
        assertThat(decrease.relativeLift()).isEqualTo(increase.relativeLift());
    }

    @Test
    void score_controlRateOfZero_leavesTheRelativeFiguresNull() {
        StoredExperiment experiment = running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF);
        ExperimentResults results = Scorecard.score(experiment, Map.of("checkout",
                List.of(conversion("control", 1000, 0), conversion("treatment", 1000, 10))), 0, NOW);

        ArmResult control = results.metrics().get(0).arms().get(0);
        Comparison comparison = results.metrics().get(0).arms().get(1).comparison();
        assertThat(control.mean()).isEqualTo(0.0);
        assertThat(comparison.absoluteLift().estimate()).isEqualTo(0.01);
        assertThat(comparison.pValue()).isNotNull();
        assertThat(comparison.relativeLift()).isEqualTo(new ExperimentResults.Lift(null, null, null));
        assertThat(comparison.sequentialRelativeLift()).isEqualTo(new ExperimentResults.Lift(null, null, null));
        assertThat(comparison.chanceToWin()).isNull();
        assertThat(comparison.expectedLoss()).isNull();
        assertThat(comparison.verdict()).isEqualTo("inconclusive");
        assertThat(results.plannedUnitsPerArm()).isNull();
    }

    @Test
    void score_oneUnitPerArm_givesMeansButNoComparisonFigures() {
        StoredExperiment experiment = running(REVENUE, List.of(), CONTROL_HALF, TREATMENT_HALF);
        ExperimentResults results = Scorecard.score(experiment, Map.of("revenue",
                List.of(perUnit("control", 4.0), perUnit("treatment", 6.0))), 0, NOW);

        List<ArmResult> arms = results.metrics().get(0).arms();
        assertThat(arms).extracting(ArmResult::mean).containsExactly(4.0, 6.0);
        var undefined = new ExperimentResults.Lift(null, null, null);
        assertThat(arms.get(1).comparison())
                .isEqualTo(new Comparison(undefined, undefined, undefined, null, null, null, null, "inconclusive"));
        assertThat(results.plannedUnitsPerArm()).isNull();
        assertThat(results.recommendation().action()).isEqualTo("keep-running");
    }

    @Test
    void score_missingArmAndEvent_countAsNoUnits() {
        StoredExperiment experiment = running(CHECKOUT, List.of(REVENUE), CONTROL_HALF, TREATMENT_HALF);
        ExperimentResults results = Scorecard.score(experiment,
                Map.of("checkout", List.of(conversion("control", 10, 1))), 0, NOW);

        assertThat(results.metrics().get(0).arms()).extracting(ArmResult::units).containsExactly(10L, 0L);
        assertThat(results.metrics().get(0).arms().get(1).mean()).isNull();
        assertThat(results.metrics().get(1).arms()).extracting(ArmResult::units).containsExactly(0L, 0L);
        assertThat(results.metrics().get(1).role()).isEqualTo("guardrail");
        assertThat(results.sampleRatio().observed()).isEqualTo(Map.of("control", 10L, "treatment", 0L));
        assertThat(results.sampleRatio().pValue()).isNotNull();
    }

    @Test
    void score_draft_hasNoUnitsNoMetricsAndSaysItHasNotStarted() {
        StoredExperiment draft = StoredExperiment.draft(definition(CHECKOUT, List.of(REVENUE)), STARTED);
        ExperimentResults results = Scorecard.score(draft, Map.of(), 0, NOW);

        assertThat(results.status()).isEqualTo("draft");
        assertThat(results.units()).isZero();
        assertThat(results.metrics()).isEmpty();
        assertThat(results.plannedUnitsPerArm()).isNull();
        assertThat(results.sampleRatio())
                .isEqualTo(new ExperimentResults.SampleRatioResult(Map.of(), Map.of(), null, null, false));
        assertThat(results.recommendation().action()).isEqualTo("keep-running");
        assertThat(results.recommendation().reason()).contains("has not started");
    }

    // ---- the recommendation's rules, in order ----

    @Test
    void recommend_shipped_shipsTheShippedVariantWhateverTheData() {
        StoredExperiment shipped = running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF)
                .ship("treatment", STOPPED, 0);
        ExperimentResults results = Scorecard.score(shipped, Map.of("checkout",
                List.of(conversion("control", 5, 1), conversion("treatment", 900, 1))), 0, NOW);

        assertThat(results.recommendation()).isEqualTo(new ExperimentResults.Recommendation("ship", "treatment",
                "shipped treatment at 2026-03-16T09:00:00Z"));
        assertThat(results.stoppedAt()).isEqualTo(STOPPED);
    }

    @Test
    void recommend_noUnits_keepsRunning() {
        ExperimentResults results = Scorecard.score(running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF),
                Map.of(), 0, NOW);

        assertThat(results.units()).isZero();
        assertThat(results.sampleRatio().pValue()).isNull();
        assertThat(results.recommendation().action()).isEqualTo("keep-running");
        assertThat(results.recommendation().reason()).isEqualTo("keep running: no unit has been exposed yet");
    }

    @Test
    void recommend_anArmBelowTheMinimum_keepsRunningAndNamesIt() {
        ExperimentResults results = Scorecard.score(running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF),
                Map.of("checkout", List.of(conversion("control", 120, 10), conversion("treatment", 99, 40))), 0, NOW);

        assertThat(results.recommendation().action()).isEqualTo("keep-running");
        assertThat(results.recommendation().reason()).isEqualTo("keep running: arm treatment has 99 units, fewer "
                + "than the 100 each arm needs before its lifts are read");
    }

    @Test
    void recommend_sampleRatioMismatch_stopsEvenWithAClearWinner() {
        ExperimentResults results = Scorecard.score(running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF),
                Map.of("checkout", List.of(conversion("control", 20_000, 2000), conversion("treatment", 18_000, 2600))),
                0, NOW);

        assertThat(results.sampleRatio().mismatch()).isTrue();
        assertThat(results.metrics().get(0).arms().get(1).comparison().verdict()).isEqualTo("better");
        assertThat(results.recommendation().action()).isEqualTo("stop");
        assertThat(results.recommendation().reason()).startsWith("stop: sample ratio mismatch: the arms got "
                + "control 52.6% (expected 50.0%), treatment 47.4% (expected 50.0%) of the units (p = ")
                .endsWith("); the arms are not comparable: find the cause before trusting any lift");
    }

    @Test
    void recommend_everyTreatmentWorseOnAGuardrail_stopsNamingTheMetricAndLift() {
        ExperimentResults results = Scorecard.score(running(CHECKOUT, List.of(ERRORS), CONTROL_HALF, TREATMENT_HALF),
                Map.of("checkout", List.of(conversion("control", 100_000, 10_000),
                                conversion("treatment", 100_000, 10_600)),
                        "error", List.of(conversion("control", 100_000, 1000), conversion("treatment", 100_000, 2000))),
                0, NOW);

        assertThat(results.metrics().get(0).arms().get(1).comparison().verdict()).isEqualTo("better");
        assertThat(results.metrics().get(1).arms().get(1).comparison().verdict()).isEqualTo("worse");
        assertThat(results.recommendation().action()).isEqualTo("stop");
        assertThat(results.recommendation().reason())
                .startsWith("stop: every treatment made a metric worse: treatment: guardrail error conversion rose "
                        + "100.0% (sequential interval ");
    }

    @Test
    void recommend_oneTreatmentWorseOnAGuardrail_shipsTheOtherEvenIfItsLiftIsSmaller() {
        StoredExperiment experiment = running(CHECKOUT, List.of(ERRORS),
                THIRD_CONTROL, THIRD_B, THIRD_C);
        ExperimentResults results = Scorecard.score(experiment, Map.of(
                "checkout", List.of(conversion("control", 100_000, 10_000), conversion("b", 100_000, 12_000),
                        conversion("c", 100_000, 11_000)),
                "error", List.of(conversion("control", 100_000, 1000), conversion("b", 100_000, 2000),
                        conversion("c", 100_000, 1000))), 0, NOW);

        assertThat(results.recommendation().action()).isEqualTo("ship");
        assertThat(results.recommendation().variant()).isEqualTo("c");
        assertThat(results.recommendation().reason()).startsWith("ship c: checkout conversion rose 10.0% "
                + "(sequential interval ").endsWith(", which excludes 0 at every look) and no guardrail got worse");
    }

    @Test
    void recommend_treatmentsBetterOnThePrimary_shipsTheLargestLift() {
        StoredExperiment experiment = running(CHECKOUT, List.of(),
                THIRD_CONTROL, THIRD_B, THIRD_C);
        ExperimentResults results = Scorecard.score(experiment, Map.of("checkout", List.of(
                conversion("control", 30_000, 3000), conversion("b", 30_000, 3600), conversion("c", 30_000, 3900))),
                0, NOW);

        assertThat(results.metrics().get(0).arms().subList(1, 3)).extracting(arm -> arm.comparison().verdict())
                .containsExactly("better", "better");
        assertThat(results.recommendation().variant()).isEqualTo("c");
        Comparison c = results.metrics().get(0).arms().get(2).comparison();
        assertThat(results.recommendation().reason()).isEqualTo(String.format(Locale.ROOT,
                "ship c: checkout conversion rose 30.0%% (sequential interval %.1f%% to %.1f%%, which excludes 0 at "
                        + "every look)", 100 * c.sequentialRelativeLift().lower(),
                100 * c.sequentialRelativeLift().upper()));
    }

    @Test
    void recommend_stoppedExperiment_stillSaysWhatToShip() {
        StoredExperiment stopped = running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF).stop(STOPPED, 0);
        ExperimentResults results = Scorecard.score(stopped, Map.of("checkout",
                List.of(conversion("control", 20_000, 2000), conversion("treatment", 20_000, 2600))), 0, NOW);

        assertThat(results.status()).isEqualTo("stopped");
        assertThat(results.recommendation().action()).isEqualTo("ship");
        assertThat(results.recommendation().variant()).isEqualTo("treatment");
    }

    @Test
    void score_noEventOnTheTreatmentYet_isInconclusiveNotCertain() {
        // The delta method gives the relative lift -100% with a standard error of 0 here: no evidence of anything.
        Comparison comparison = treatmentOn(running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF),
                List.of(conversion("control", 150, 3), conversion("treatment", 150, 0)));

        assertThat(comparison.verdict()).isEqualTo("inconclusive");
        assertThat(comparison.sequentialRelativeLift()).isEqualTo(new ExperimentResults.Lift(null, null, null));
        assertThat(comparison.absoluteLift().estimate()).isEqualTo(-0.02);
    }

    @Test
    void recommend_stoppedWithoutConclusiveEvidence_saysToShipNothing() {
        StoredExperiment stopped = running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF).stop(STOPPED, 0);
        ExperimentResults results = Scorecard.score(stopped, Map.of("checkout",
                List.of(conversion("control", 2000, 200), conversion("treatment", 2000, 210))), 0, NOW);

        assertThat(results.recommendation().action()).isEqualTo("stop");
        assertThat(results.recommendation().reason()).startsWith("stopped before the evidence was conclusive, so ship "
                + "nothing: the sequential intervals of checkout conversion still include 0 (treatment: ");
    }

    @Test
    void recommend_intervalsShortOfTheMinimumDetectableEffect_stopsForFutility() {
        ExperimentResults results = Scorecard.score(running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF),
                Map.of("checkout", List.of(conversion("control", 200_000, 20_000),
                        conversion("treatment", 200_000, 20_100))),
                0, NOW);

        Comparison comparison = results.metrics().get(0).arms().get(1).comparison();
        assertThat(comparison.sequentialRelativeLift().lower()).isNegative();
        assertThat(comparison.sequentialRelativeLift().upper()).isLessThan(0.05);
        assertThat(results.recommendation().action()).isEqualTo("stop");
        assertThat(results.recommendation().reason()).startsWith("stop: no treatment can reach the minimum "
                + "detectable effect, a rise of 5.0% in checkout conversion: the sequential intervals (treatment: ")
                .endsWith(") lie entirely short of it");
    }

    @Test
    void recommend_intervalsStillAroundZero_keepRunningWithUnitsSoFarAndPlanned() {
        ExperimentResults results = Scorecard.score(running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF),
                Map.of("checkout", List.of(conversion("control", 2000, 200), conversion("treatment", 2000, 210))),
                0, NOW);

        assertThat(results.plannedUnitsPerArm()).isNotNull();
        assertThat(results.recommendation().action()).isEqualTo("keep-running");
        assertThat(results.recommendation().reason()).startsWith("keep running: the sequential intervals of "
                + "checkout conversion still include 0 (treatment: ").endsWith(String.format(Locale.ROOT,
                "); units so far: control 2,000, treatment 2,000, of %,d planned per arm",
                results.plannedUnitsPerArm()));
    }

    // ---- simulated experiments ----

    private static final int REPEATS = 200;
    private static final int UNITS_PER_ARM = 2000;
    private static final double BASE_RATE = 0.1;
    private static final double REVENUE_RATE = 0.3;
    /**
     * The simulations' minimum detectable effect: 30% on a 10% rate needs about 1,800 units per arm at power 0.8, so
     * the sequential intervals are tuned to the simulated size.
     */
    private static final double SIMULATED_EFFECT = 0.3;

    /**
     * The A/A test: with no true difference, the classic test of each metric rejects at about alpha, within
     * the two-sided 99.9% binomial bounds over the repeats, and the sequential interval (valid at every look) rejects
     * at most that often.
     */
    @Test
    void score_aaExperiments_rejectAtAlphaWithTheClassicTestAndAtMostAlphaWithTheSequentialInterval() {
        List<ExperimentResults> repeats = simulate(20260302L, 1, 1);
        BinomialDistribution nulls = BinomialDistribution.of(REPEATS, 0.05);
        int lower = nulls.inverseCumulativeProbability(0.0005);
        int upper = nulls.inverseCumulativeProbability(0.9995);

        for (int metric = 0; metric < 2; metric++) {
            int index = metric;
            assertThat(count(repeats, index, comparison -> comparison.pValue() < 0.05))
                    .as("classic rejections of %s", repeats.get(0).metrics().get(metric).event())
                    .isBetween(lower, upper);
            assertThat(count(repeats, index, comparison -> !comparison.verdict().equals("inconclusive")))
                    .as("sequential rejections of %s", repeats.get(0).metrics().get(metric).event())
                    .isLessThanOrEqualTo(upper);
        }
        assertThat(repeats.stream().filter(results -> results.recommendation().action().equals("ship")).count())
                .as("repeats that ship a treatment no better than the control")
                .isLessThanOrEqualTo(upper);
    }

    /**
     * The A/A test's counterpart, which shows it can fail: with true lifts (conversion by the minimum detectable
     * effect) the classic tests reject at the power the sample-size formulas give, and the sequential intervals, wider
     * as the price of peeking, less often but far more often than an A/A experiment may.
     */
    @Test
    void score_trueLifts_rejectAtThePowerTheSampleSizeFormulasGive() {
        double conversionLift = 0.03;
        double revenueScale = 1.25;
        List<ExperimentResults> repeats = simulate(20260303L, (BASE_RATE + conversionLift) / BASE_RATE, revenueScale);

        double conversionPower = SampleSize.powerForProportions(BASE_RATE, conversionLift, UNITS_PER_ARM, 0.05);
        // Revenue per unit is B * exp(N(0, 1)) with B ~ Bernoulli(q): mean q e^(1/2), variance q e^2 - (q e^(1/2))^2.
        double mean = REVENUE_RATE * Math.exp(0.5);
        double variance = REVENUE_RATE * Math.exp(2) - mean * mean;
        double pooledSd = Math.sqrt((variance + revenueScale * revenueScale * variance) / 2);
        double revenuePower = SampleSize.powerForMeans(pooledSd, (revenueScale - 1) * mean, UNITS_PER_ARM, 0.05);

        double[] powers = {conversionPower, revenuePower};
        for (int metric = 0; metric < 2; metric++) {
            BinomialDistribution rejections = BinomialDistribution.of(REPEATS, powers[metric]);
            int index = metric;
            assertThat(count(repeats, index, comparison -> comparison.pValue() < 0.05))
                    .as("classic rejections of %s at power %.3f", repeats.get(0).metrics().get(metric).event(),
                            powers[metric])
                    .isBetween(rejections.inverseCumulativeProbability(0.0005),
                            rejections.inverseCumulativeProbability(0.9995));
            int sequentialRejections = count(repeats, index, comparison -> comparison.verdict().equals("better"));
            assertThat(sequentialRejections)
                    .as("sequential rejections of %s", repeats.get(0).metrics().get(metric).event())
                    .isGreaterThan(BinomialDistribution.of(REPEATS, 0.05).inverseCumulativeProbability(0.9995))
                    .isLessThan(count(repeats, index, comparison -> comparison.pValue() < 0.05));
        }
    }

    /**
     * A 20% lift on a 10% conversion rate is detected. At 20,000 units per arm the sequential interval's radius is
     * about 0.11 against a standard error of 0.034, so it excludes 0 with a chance of about 99.5%; at 10,000 units
     * per arm that chance is only about 70%, too little for a test that must not rest on its seed.
     */
    @Test
    void score_twentyPercentLiftOverTwentyThousandUnitsPerArm_isDetectedAndShipped() {
        SplittableRandom random = new SplittableRandom(20260304L);
        StoredExperiment experiment = running(CHECKOUT, List.of(), CONTROL_HALF, TREATMENT_HALF);
        ExperimentResults results = Scorecard.score(experiment, Map.of("checkout", List.of(
                simulateConversion(random, "control", 20_000, 0.10),
                simulateConversion(random, "treatment", 20_000, 0.12))), 0, NOW);

        Comparison comparison = results.metrics().get(0).arms().get(1).comparison();
        assertThat(comparison.relativeLift().lower()).isLessThan(0.2);
        assertThat(comparison.relativeLift().upper()).isGreaterThan(0.2);
        assertThat(comparison.sequentialRelativeLift().lower()).isBetween(0.0, 0.2);
        assertThat(comparison.sequentialRelativeLift().upper()).isGreaterThan(0.2);
        assertThat(comparison.verdict()).isEqualTo("better");
        assertThat(results.recommendation().action()).isEqualTo("ship");
        assertThat(results.recommendation().variant()).isEqualTo("treatment");
    }

    /** Whatever small data arrive, scoring never throws, and an undefined figure is null rather than NaN. */
    @Property(tries = 300)
    void score_smallRandomData_neverThrowsAndHasNoNaN(@ForAll @IntRange(max = 120) int controlUnits,
                                                      @ForAll @IntRange(max = 120) int treatmentUnits,
                                                      @ForAll @IntRange(max = 100) int eventPercent,
                                                      @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double eventRate = eventPercent / 100.0;
        StoredExperiment experiment = running(CHECKOUT, List.of(REVENUE, LATENCY), CONTROL_HALF, TREATMENT_HALF);
        Map<String, List<ArmTotals>> totals = Map.of(
                "checkout", List.of(simulateConversion(random, "control", controlUnits, eventRate),
                        simulateConversion(random, "treatment", treatmentUnits, eventRate)),
                "revenue", List.of(simulateRevenue(random, "control", controlUnits, eventRate, 1),
                        simulateRevenue(random, "treatment", treatmentUnits, eventRate, 1)),
                "latency", List.of(simulateRevenue(random, "control", controlUnits, eventRate, 100),
                        simulateRevenue(random, "treatment", treatmentUnits, eventRate, 100)));

        ExperimentResults results = Scorecard.score(experiment, totals, 0, NOW);

        assertThat(results.metrics()).hasSize(3);
        assertThat(results.recommendation().reason()).isNotEmpty().doesNotContain("NaN").doesNotContain("null");
        List<Double> figures = new ArrayList<>();
        for (MetricResult metric : results.metrics()) {
            for (ArmResult arm : metric.arms()) {
                figures.add(arm.mean());
                if (arm.comparison() != null) {
                    figures.addAll(figures(arm.comparison()));
                }
            }
        }
        assertThat(figures).allMatch(figure -> figure == null || Double.isFinite(figure), "null or finite");
    }

    // ---- helpers ----

    private static ExperimentDefinition definition(MetricDefinition primary, List<MetricDefinition> guardrails) {
        return new ExperimentDefinition("new-checkout", "", "", "checkout-page", "production", "control", primary,
                guardrails, null, null, null);
    }

    private static StoredExperiment running(MetricDefinition primary, List<MetricDefinition> guardrails,
                                            Arm... arms) {
        ExperimentDefinition definition = definition(primary, guardrails);
        return StoredExperiment.draft(definition, STARTED).start(definition, List.of(arms), STARTED, 0);
    }

    private static Comparison treatmentOn(StoredExperiment experiment, List<ArmTotals> totals) {
        String event = experiment.definition().primaryMetric().event();
        return Scorecard.score(experiment, Map.of(event, totals), 0, NOW).metrics().get(0).arms().get(1).comparison();
    }

    /** Totals of a conversion event: each converted unit sent one event of value 1. */
    private static ArmTotals conversion(String variant, long units, long converted) {
        return new ArmTotals(variant, units, converted, converted, converted, converted, converted, converted);
    }

    /** Totals of units that each sent one event with the given value, or none when it is 0. */
    private static ArmTotals perUnit(String variant, double... values) {
        double[] events = Arrays.stream(values).map(value -> value == 0 ? 0 : 1).toArray();
        return perUnit(variant, values, events);
    }

    private static ArmTotals perUnit(String variant, double[] values, double[] events) {
        Totals totals = new Totals(variant);
        for (int i = 0; i < values.length; i++) {
            totals.add(values[i], events[i]);
        }
        return totals.build();
    }

    /** Sums of per-unit {@code v} and {@code c}, as the store keeps them. */
    private static final class Totals {
        private final String variant;
        private long units;
        private long converted;
        private double sum;
        private double sumOfSquares;
        private double events;
        private double eventsSquares;
        private double products;

        Totals(String variant) {
            this.variant = variant;
        }

        void add(double value, double count) {
            units++;
            converted += count > 0 ? 1 : 0;
            sum += value;
            sumOfSquares += value * value;
            events += count;
            eventsSquares += count * count;
            products += value * count;
        }

        ArmTotals build() {
            return new ArmTotals(variant, units, converted, sum, sumOfSquares, events, eventsSquares, products);
        }
    }

    private static ArmTotals simulateConversion(SplittableRandom random, String variant, int units, double rate) {
        Totals totals = new Totals(variant);
        for (int i = 0; i < units; i++) {
            boolean converts = random.nextDouble() < rate;
            totals.add(converts ? 1 : 0, converts ? 1 : 0);
        }
        return totals.build();
    }

    /** Each unit sends one event with probability {@code rate}, of value {@code scale * exp(N(0, 1))}. */
    private static ArmTotals simulateRevenue(SplittableRandom random, String variant, int units, double rate,
                                             double scale) {
        Totals totals = new Totals(variant);
        for (int i = 0; i < units; i++) {
            boolean sends = random.nextDouble() < rate;
            totals.add(sends ? scale * Math.exp(random.nextGaussian()) : 0, sends ? 1 : 0);
        }
        return totals.build();
    }

    /**
     * {@link #REPEATS} experiments of {@link #UNITS_PER_ARM} units per arm on checkout conversion (primary, 10% on
     * the control) and revenue per unit (guardrail), the treatment's rate and revenue multiplied by the factors given.
     */
    private static List<ExperimentResults> simulate(long seed, double conversionFactor, double revenueFactor) {
        SplittableRandom random = new SplittableRandom(seed);
        ExperimentDefinition plan = new ExperimentDefinition("new-checkout", "", "", "checkout-page", "production",
                "control", CHECKOUT, List.of(REVENUE), SIMULATED_EFFECT, null, null);
        StoredExperiment experiment = StoredExperiment.draft(plan, STARTED)
                .start(plan, List.of(CONTROL_HALF, TREATMENT_HALF), STARTED, 0);
        List<ExperimentResults> results = new ArrayList<>();
        for (int repeat = 0; repeat < REPEATS; repeat++) {
            Map<String, List<ArmTotals>> totals = Map.of(
                    "checkout", List.of(simulateConversion(random, "control", UNITS_PER_ARM, BASE_RATE),
                            simulateConversion(random, "treatment", UNITS_PER_ARM, BASE_RATE * conversionFactor)),
                    "revenue", List.of(simulateRevenue(random, "control", UNITS_PER_ARM, REVENUE_RATE, 1),
                            simulateRevenue(random, "treatment", UNITS_PER_ARM, REVENUE_RATE, revenueFactor)));
            results.add(Scorecard.score(experiment, totals, 0, NOW));
        }
        return results;
    }

    /** How many repeats the treatment's comparison on metric {@code index} passes {@code test} in. */
    private static int count(List<ExperimentResults> repeats, int index, Predicate<Comparison> test) {
        return (int) repeats.stream()
                .map(results -> results.metrics().get(index).arms().get(1).comparison())
                .filter(test)
                .count();
    }

    private static List<Double> figures(Comparison comparison) {
        List<Double> figures = new ArrayList<>();
        for (ExperimentResults.Lift lift : List.of(comparison.absoluteLift(), comparison.relativeLift(),
                comparison.sequentialRelativeLift())) {
            figures.addAll(Arrays.asList(lift.estimate(), lift.lower(), lift.upper()));
        }
        figures.addAll(Arrays.asList(comparison.pValue(), comparison.adjustedPValue(), comparison.chanceToWin(),
                comparison.expectedLoss()));
        return figures;
    }

    /**
     * The comparison's figures are the analysis classes' for the same sums: the lifts, the classic p-value, the
     * sequential interval at {@code alpha / treatments} with the mixing variance of the default plan, and the
     * posterior's chance to win and expected loss towards an increase.
     */
    private static void assertFigures(Comparison comparison, Lift absolute, Lift relative, int treatments) {
        assertLift(comparison.absoluteLift(), absolute);
        assertLift(comparison.relativeLift(), relative);
        assertThat(comparison.pValue()).isEqualTo(absolute.pValue());
        if (treatments == 1) {
            assertThat(comparison.adjustedPValue()).isEqualTo(absolute.pValue());
        }
        double sequentialAlpha = 0.05 / treatments;
        double plannedStandardError = 0.05 / DEFAULT_Z_SUM;
        double mixingVariance = ConfidenceSequence.mixingVariance(plannedStandardError * plannedStandardError,
                sequentialAlpha);
        Lift sequential = ConfidenceSequence.lift(relative.estimate(), relative.standardError(), mixingVariance,
                sequentialAlpha);
        assertThat(comparison.sequentialRelativeLift().estimate()).isEqualTo(relative.estimate());
        assertThat(comparison.sequentialRelativeLift().lower()).isCloseTo(sequential.lower(), within(1e-12));
        assertThat(comparison.sequentialRelativeLift().upper()).isCloseTo(sequential.upper(), within(1e-12));
        assertThat(comparison.sequentialRelativeLift().lower()).isLessThan(relative.lower());
        Posterior posterior = BayesianGaussian.posterior(relative);
        assertThat(comparison.chanceToWin()).isEqualTo(posterior.chanceToWin());
        assertThat(comparison.expectedLoss()).isEqualTo(posterior.expectedLossOfShipping());
    }

    private static void assertLift(ExperimentResults.Lift actual, Lift expected) {
        assertThat(actual).isEqualTo(new ExperimentResults.Lift(expected.estimate(), expected.lower(),
                expected.upper()));
    }
}
