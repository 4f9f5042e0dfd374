package dev.ramp.analysis.experiment;

import static dev.ramp.analysis.experiment.Near.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.analysis.Moments;
import org.junit.jupiter.api.Test;

/**
 * CUPED. References from simulated data in numpy: {@code theta} and the absolute lift are statsmodels' OLS of
 * {@code Y ~ 1 + arm + X} (the slope of X, and the treatment coefficient); the interval and p-value are statsmodels'
 * Welch test ({@code CompareMeans(usevar="unequal")}) on the per-unit adjusted values {@code Y - theta (X - mean X)};
 * the variance reduction and the relative lift are computed from those adjusted values. Produced by
 * {@code /usr/bin/python3 ramp-analysis/src/test/reference/experiment_reference.py cuped}.
 */
class CupedTest {

    // cuped.strongCovariate
    private static final CovariateMoments STRONG_C =
            new CovariateMoments(400, 2731.193, 23292.619177, 2431.311, 19855.300897, 20509.194125);
    private static final CovariateMoments STRONG_T =
            new CovariateMoments(380, 2776.832, 24907.64378, 2263.961, 17647.430679, 20024.728917);

    @Test
    void lift_strongCovariate_matchesOlsSlopeAndTreatmentCoefficient() {
        CupedLift cuped = Cuped.lift(STRONG_C, STRONG_T, 0.05);
        near("theta", cuped.theta(), 0.8000124063520406);
        near("absolute", cuped.absolute().estimate(), 0.5758599421526842);
        near("varianceReduction", cuped.varianceReduction(), 0.6379395093960141);
    }

    @Test
    void lift_strongCovariate_matchesStatsmodelsWelchOnAdjustedValues() {
        Lift absolute = Cuped.lift(STRONG_C, STRONG_T, 0.05).absolute();
        near("lower", absolute.lower(), 0.28376836322535826);
        near("upper", absolute.upper(), 0.867951521079932);
        near("p", absolute.pValue(), 0.0001179728620135337);
        Near.lift(Cuped.lift(STRONG_C, STRONG_T, 0.05).relative(), 0.08492227669069052, 0.02282677756410008,
                0.040182614781947415, 0.12966193859943365, 0.00019899261566119463);
    }

    @Test
    void lift_smallArmsAtTenPercent_matchesStatsmodels() {
        // cuped.smallArms
        CovariateMoments c = new CovariateMoments(
                30, 219.537, 1924.7286410000002, 195.97299999999998, 1560.172039, 1669.753837);
        CovariateMoments t = new CovariateMoments(25, 178.23, 1573.138134, 122.193, 874.398879, 1123.854538);
        CupedLift cuped = Cuped.lift(c, t, 0.10);
        near("theta", cuped.theta(), 0.876538523725819);
        near("varianceReduction", cuped.varianceReduction(), 0.7024337775348399);
        Lift absolute = cuped.absolute();
        near("estimate", absolute.estimate(), 1.252954597152169);
        near("lower", absolute.lower(), 0.40119818898849013);
        near("upper", absolute.upper(), 2.104711005315852);
        near("p", absolute.pValue(), 0.017075623961666134);
        Near.lift(cuped.relative(), 0.18805783557653633, 0.08433238787827235,
                0.04934340150548161, 0.32677226964759104, 0.025750111181852674);
    }

    @Test
    void lift_covariateConstantWithinArms_isTheUnadjustedWelchTest() {
        CovariateMoments c = CovariateMoments.of(new double[] {1, 2, 4, 7}, new double[] {3, 3, 3, 3});
        CovariateMoments t = CovariateMoments.of(new double[] {2, 5, 9}, new double[] {5, 5, 5});
        CupedLift cuped = Cuped.lift(c, t, 0.05);
        assertThat(cuped.theta()).isZero();
        assertThat(cuped.varianceReduction()).isZero();
        assertThat(cuped.absolute()).isEqualTo(Means.absoluteLift(c.metric(), t.metric(), 0.05));
    }

    @Test
    void lift_metricEqualToCovariate_removesAllVariance() {
        double[] c = {1, 2, 4, 7};
        double[] t = {2, 5, 9};
        CupedLift cuped = Cuped.lift(CovariateMoments.of(c, c), CovariateMoments.of(t, t), 0.05);
        near("theta", cuped.theta(), 1);
        near("varianceReduction", cuped.varianceReduction(), 1);
        assertThat(cuped.control().variance()).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void lift_adjustedMoments_areTheMomentsOfThePerUnitAdjustedValues() {
        double[] yc = {3, 5, 4, 8, 6};
        double[] xc = {1, 2, 2, 5, 3};
        double[] yt = {7, 6, 9, 8};
        double[] xt = {2, 1, 4, 4};
        CupedLift cuped = Cuped.lift(CovariateMoments.of(yc, xc), CovariateMoments.of(yt, xt), 0.05);
        double m = (1 + 2 + 2 + 5 + 3 + 2 + 1 + 4 + 4) / 9.0;
        Moments expected = Moments.of(adjust(yc, xc, cuped.theta(), m));
        near("mean", cuped.control().mean(), expected.mean());
        near("variance", cuped.control().variance(), expected.variance());
    }

    @Test
    void lift_oneUnitOnAnArm_throwsNamingTheArm() {
        CovariateMoments one = CovariateMoments.of(new double[] {1}, new double[] {1});
        assertThatThrownBy(() -> Cuped.lift(STRONG_C, one, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("treatment")
                .hasMessageContaining("n = 1");
        assertThatThrownBy(() -> new CovariateMoments(2, 1, 1, 1, -1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sumXSquares")
                .hasMessageContaining("-1.0");
    }

    private static double[] adjust(double[] y, double[] x, double theta, double m) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i] - theta * (x[i] - m);
        }
        return out;
    }
}
