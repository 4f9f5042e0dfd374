package dev.ramp.analysis.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ramp.analysis.Counts;
import dev.ramp.analysis.Moments;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

/** Properties every lift, interval and adjustment in the package keeps, over generated per-arm sums. */
class ExperimentPropertiesTest {

    @Property
    void absoluteLiftOfMeans_pValueInUnitIntervalAndIntervalHoldsEstimate(
            @ForAll("moments") Moments control, @ForAll("moments") Moments treatment, @ForAll("alphas") double alpha) {
        wellFormed(Means.absoluteLift(control, treatment, alpha));
        wellFormedOrUndefined(Means.relativeLift(control, treatment, alpha));
    }

    @Property
    void absoluteLiftOfMeans_swappingArmsMirrorsTheLift(
            @ForAll("moments") Moments control, @ForAll("moments") Moments treatment, @ForAll("alphas") double alpha) {
        mirrored(Means.absoluteLift(control, treatment, alpha), Means.absoluteLift(treatment, control, alpha));
    }

    @Property
    void relativeLiftOfMeans_swappingArmsInvertsTheRatio(
            @ForAll("positiveMoments") Moments control, @ForAll("positiveMoments") Moments treatment) {
        Lift forward = Means.relativeLift(control, treatment, 0.05);
        Lift backward = Means.relativeLift(treatment, control, 0.05);
        assertThat((1 + forward.estimate()) * (1 + backward.estimate())).isCloseTo(1, within(1e-9));
        assertThat(Math.signum(forward.estimate())).isEqualTo(-Math.signum(backward.estimate()));
    }

    @Property
    void liftsOfProportions_wellFormedAndAbsoluteLiftMirrors(
            @ForAll("counts") Counts control, @ForAll("counts") Counts treatment, @ForAll("alphas") double alpha) {
        Lift forward = Proportions.absoluteLift(control, treatment, alpha);
        wellFormed(forward);
        wellFormedOrUndefined(Proportions.relativeLift(control, treatment, alpha));
        mirrored(forward, Proportions.absoluteLift(treatment, control, alpha));
    }

    @Property
    void liftsOfRatios_wellFormedAndAbsoluteLiftMirrors(
            @ForAll("ratios") RatioMoments control, @ForAll("ratios") RatioMoments treatment) {
        Lift forward = Ratios.absoluteLift(control, treatment, 0.05);
        wellFormed(forward);
        wellFormedOrUndefined(Ratios.relativeLift(control, treatment, 0.05));
        mirrored(forward, Ratios.absoluteLift(treatment, control, 0.05));
    }

    @Property
    void cuped_wellFormedAndSwappingArmsMirrorsTheAbsoluteLift(
            @ForAll("covariates") CovariateMoments control, @ForAll("covariates") CovariateMoments treatment) {
        CupedLift forward = Cuped.lift(control, treatment, 0.05);
        CupedLift backward = Cuped.lift(treatment, control, 0.05);
        wellFormed(forward.absolute());
        wellFormedOrUndefined(forward.relative());
        assertThat(backward.theta()).isCloseTo(forward.theta(), within(1e-9 * (1 + Math.abs(forward.theta()))));
        mirrored(forward.absolute(), backward.absolute());
    }

    @Property
    void confidenceSequence_containsTheFixedSampleInterval(
            @ForAll @DoubleRange(min = -10, max = 10) double estimate,
            @ForAll("magnitudes") double standardError,
            @ForAll("magnitudes") double mixingVariance,
            @ForAll("alphas") double alpha) {
        Lift fixed = Gaussian.lift(estimate, standardError, alpha);
        Lift anytime = ConfidenceSequence.lift(estimate, standardError, mixingVariance, alpha);
        wellFormed(anytime);
        assertThat(anytime.lower()).isLessThanOrEqualTo(fixed.lower());
        assertThat(anytime.upper()).isGreaterThanOrEqualTo(fixed.upper());
        assertThat(anytime.pValue()).isGreaterThanOrEqualTo(fixed.pValue());
    }

    @Property
    void holm_isAtLeastBenjaminiHochbergWhichIsAtLeastRaw(
            @ForAll @Size(max = 30) java.util.List<@DoubleRange(min = 0, max = 1) Double> raw) {
        double[] p = raw.stream().mapToDouble(Double::doubleValue).toArray();
        double[] holm = PValues.holm(p);
        double[] bh = PValues.benjaminiHochberg(p);
        for (int i = 0; i < p.length; i++) {
            assertThat(holm[i]).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(bh[i] - 1e-15);
            assertThat(bh[i]).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(p[i]);
            for (int j = 0; j < p.length; j++) {
                if (p[i] <= p[j]) {
                    assertThat(holm[i]).isLessThanOrEqualTo(holm[j]);
                    assertThat(bh[i]).isLessThanOrEqualTo(bh[j]);
                }
            }
        }
    }

    @Property
    void sampleRatio_pValueInUnitInterval(
            @ForAll @Size(min = 2, max = 6) java.util.List<@net.jqwik.api.constraints.LongRange(min = 0, max = 1_000_000) Long> units) {
        long[] observed = units.stream().mapToLong(Long::longValue).toArray();
        double[] weights = new double[observed.length];
        java.util.Arrays.fill(weights, 1.0 / observed.length);
        SampleRatioCheck check = SampleRatio.check(observed, weights);
        assertThat(check.pValue()).isBetween(0.0, 1.0);
        assertThat(check.mismatch()).isEqualTo(check.pValue() < SampleRatio.MISMATCH_P_VALUE);
    }

    @Property
    void posterior_chanceToWinInUnitIntervalAndLossesDifferByTheMean(
            @ForAll @DoubleRange(min = -5, max = 5) double estimate,
            @ForAll("magnitudes") double standardError) {
        Posterior p = BayesianGaussian.posterior(estimate, standardError);
        assertThat(p.chanceToWin()).isBetween(0.0, 1.0);
        // E[max(0, L)] - E[max(0, -L)] = E[L]
        assertThat(p.expectedLossOfKeeping() - p.expectedLossOfShipping()).isCloseTo(estimate, within(1e-9));
    }

    private static void wellFormed(Lift lift) {
        assertThat(lift.pValue()).isBetween(0.0, 1.0);
        assertThat(lift.lower()).isLessThanOrEqualTo(lift.estimate());
        assertThat(lift.upper()).isGreaterThanOrEqualTo(lift.estimate());
    }

    private static void wellFormedOrUndefined(Lift lift) {
        if (!Double.isNaN(lift.estimate())) {
            wellFormed(lift);
        }
    }

    private static void mirrored(Lift forward, Lift backward) {
        double scale = 1e-9 * (1 + Math.abs(forward.estimate()) + forward.standardError());
        assertThat(backward.estimate()).isCloseTo(-forward.estimate(), within(scale));
        assertThat(backward.standardError()).isCloseTo(forward.standardError(), within(scale));
        assertThat(backward.lower()).isCloseTo(-forward.upper(), within(scale));
        assertThat(backward.upper()).isCloseTo(-forward.lower(), within(scale));
        assertThat(backward.pValue()).isCloseTo(forward.pValue(), within(1e-9));
    }

    @Provide
    Arbitrary<Double> alphas() {
        return Arbitraries.of(0.001, 0.01, 0.05, 0.1, 0.2);
    }

    /** Positive numbers spread evenly over orders of magnitude, from 1e-6 to 1e3. */
    @Provide
    Arbitrary<Double> magnitudes() {
        return Arbitraries.doubles().between(-6, 3).map(e -> Math.pow(10, e));
    }

    @Provide
    Arbitrary<Moments> moments() {
        return values(-100, 100).array(double[].class).ofMinSize(2).ofMaxSize(40).map(Moments::of);
    }

    @Provide
    Arbitrary<Moments> positiveMoments() {
        return values(0.5, 100).array(double[].class).ofMinSize(2).ofMaxSize(40).map(Moments::of);
    }

    @Provide
    Arbitrary<Counts> counts() {
        return Arbitraries.longs().between(1, 100_000).flatMap(trials ->
                Arbitraries.longs().between(0, trials).map(events -> Counts.of(events, trials)));
    }

    @Provide
    Arbitrary<RatioMoments> ratios() {
        return Arbitraries.integers().between(2, 30).flatMap(n -> Combinators.combine(
                        values(0, 50).array(double[].class).ofSize(n),
                        values(1, 10).array(double[].class).ofSize(n))
                .as(RatioMoments::of));
    }

    @Provide
    Arbitrary<CovariateMoments> covariates() {
        return Arbitraries.integers().between(2, 30).flatMap(n -> Combinators.combine(
                        values(-20, 20).array(double[].class).ofSize(n),
                        values(-20, 20).array(double[].class).ofSize(n))
                .as(CovariateMoments::of));
    }

    /** Values with two decimals, so that ties and exact zero variances turn up. */
    private static Arbitrary<Double> values(double min, double max) {
        return Arbitraries.integers().between((int) (min * 100), (int) (max * 100)).map(v -> v / 100.0);
    }
}
