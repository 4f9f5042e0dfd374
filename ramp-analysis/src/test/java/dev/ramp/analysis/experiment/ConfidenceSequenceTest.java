package dev.ramp.analysis.experiment;

import static dev.ramp.analysis.experiment.Near.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Confidence sequences. The radius and mixture p-value references are the formulas written in numpy; the mixing
 * variance reference uses scipy's Lambert W ({@code -lambertw(-alpha**2/e, -1) - 1}), where the Java code solves
 * {@code x - ln(1 + x) = ln(1/alpha^2)} with Brent's method. Produced by
 * {@code /usr/bin/python3 ramp-analysis/src/test/reference/experiment_reference.py confseq}.
 */
class ConfidenceSequenceTest {

    @Test
    void radius_matchesNumpyFormula() {
        near("r1", ConfidenceSequence.radius(0.01, 0.01, 0.05), 0.36563948713638483);
        near("r2", ConfidenceSequence.radius(1e-4, 0.05, 0.05), 0.034974972179387415);
        near("r3", ConfidenceSequence.radius(2.5, 0.1, 0.1), 17.374849882637527);
        near("r4", ConfidenceSequence.radius(0.04, 0.04, 0.001), 1.077354453781084);
    }

    @Test
    void radius_referenceCases_areWiderThanTheFixedSampleInterval() {
        // fixed = norm.isf(alpha/2) * sqrt(V), printed beside each radius by the script
        assertThat(ConfidenceSequence.radius(0.01, 0.01, 0.05)).isGreaterThan(0.19599639845400546);
        assertThat(ConfidenceSequence.radius(1e-4, 0.05, 0.05)).isGreaterThan(0.019599639845400547);
        assertThat(ConfidenceSequence.radius(2.5, 0.1, 0.1)).isGreaterThan(2.600741939377788);
        assertThat(ConfidenceSequence.radius(0.04, 0.04, 0.001)).isGreaterThan(0.6581053462983789);
    }

    @Test
    void mixingVariance_matchesScipyLambertW() {
        near("m1", ConfidenceSequence.mixingVariance(0.01, 0.05), 0.08211968062068253);
        near("m2", ConfidenceSequence.mixingVariance(2.0, 0.1), 13.276704135987623);
        near("m3", ConfidenceSequence.mixingVariance(1e-6, 0.001), 1.6688420790859917e-05);
    }

    @Test
    void mixingVariance_makesTheBoundaryTightestAtThePlannedVariance() {
        double planned = 0.01;
        double best = ConfidenceSequence.mixingVariance(planned, 0.05);
        double atBest = ConfidenceSequence.radius(planned, best, 0.05);
        assertThat(ConfidenceSequence.radius(planned, best * 1.01, 0.05)).isGreaterThan(atBest);
        assertThat(ConfidenceSequence.radius(planned, best * 0.99, 0.05)).isGreaterThan(atBest);
    }

    @Test
    void lift_pValue_matchesNumpyMixtureLikelihoodRatio() {
        near("p1", ConfidenceSequence.lift(0.3, 0.1, 0.01, 0.05).pValue(), 0.1490570128389961);
        assertThat(ConfidenceSequence.lift(0.05, 0.1, 0.01, 0.05).pValue()).isEqualTo(1.0);
        near("p3", ConfidenceSequence.lift(-1.2, 0.3, 0.5, 0.1).pValue(), 0.002910284070995355);
    }

    @Test
    void lift_intervalExcludesZero_exactlyWhenPValueIsBelowAlpha() {
        for (double estimate : new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}) {
            Lift lift = ConfidenceSequence.lift(estimate, 0.1, 0.01, 0.05);
            assertThat(lift.contains(0)).as("estimate %s", estimate).isEqualTo(lift.pValue() >= 0.05);
        }
    }

    @Test
    void of_fixedLift_keepsEstimateErrorAndAlphaAndWidens() {
        Lift fixed = Proportions.absoluteLift(
                dev.ramp.analysis.Counts.of(120, 1000), dev.ramp.analysis.Counts.of(150, 1000), 0.05);
        Lift anytime = ConfidenceSequence.of(fixed, 1e-4);
        assertThat(anytime.estimate()).isEqualTo(fixed.estimate());
        assertThat(anytime.standardError()).isEqualTo(fixed.standardError());
        assertThat(anytime.alpha()).isEqualTo(0.05);
        assertThat(anytime.lower()).isLessThan(fixed.lower());
        assertThat(anytime.upper()).isGreaterThan(fixed.upper());
    }

    @Test
    void lift_zeroStandardError_isThePointWithPValueZeroOrOne() {
        assertThat(ConfidenceSequence.lift(0.5, 0, 1, 0.05)).isEqualTo(new Lift(0.5, 0, 0.5, 0.5, 0, 0.05));
        assertThat(ConfidenceSequence.lift(0, 0, 1, 0.05)).isEqualTo(new Lift(0, 0, 0, 0, 1, 0.05));
    }

    @Test
    void radius_badArguments_throwNamingTheParameter() {
        assertThatThrownBy(() -> ConfidenceSequence.radius(-1, 1, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("variance")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> ConfidenceSequence.radius(1, 0, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mixingVariance");
        assertThatThrownBy(() -> ConfidenceSequence.mixingVariance(1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
        assertThatThrownBy(() -> ConfidenceSequence.mixingVariance(Double.NaN, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plannedVariance");
    }
}
