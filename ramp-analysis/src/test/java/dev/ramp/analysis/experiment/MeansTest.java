package dev.ramp.analysis.experiment;

import static dev.ramp.analysis.experiment.Near.lift;
import static dev.ramp.analysis.experiment.Near.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.analysis.Moments;
import org.junit.jupiter.api.Test;

/**
 * Welch and delta-method lifts of means. Reference values: absolute lifts from statsmodels'
 * {@code CompareMeans.ttest_ind / tconfint_diff(usevar="unequal")} (checked against scipy's
 * {@code ttest_ind(equal_var=False)}) on simulated raw data; relative lifts from the delta method written as gradient
 * times covariance in numpy. Produced by
 * {@code /usr/bin/python3 ramp-analysis/src/test/reference/experiment_reference.py welch}.
 */
class MeansTest {

    // welch.unequalVariances
    private static final Moments UNEQUAL_C = new Moments(40, 402.25688953062036, 4199.319571128853);
    private static final Moments UNEQUAL_T = new Moments(25, 301.4838148027712, 4138.95956033114);

    @Test
    void absoluteLift_unequalVariances_matchesStatsmodelsWelch() {
        lift(Means.absoluteLift(UNEQUAL_C, UNEQUAL_T, 0.05), 2.00293035384534, 0.9682558590735768,
                0.024735838260603993, 3.9811248694300616, 0.047377683285013204);
    }

    @Test
    void relativeLift_unequalVariances_matchesNumpyDeltaMethod() {
        lift(Means.relativeLift(UNEQUAL_C, UNEQUAL_T, 0.05), 0.19916927774015147, 0.0984783894979943,
                0.0061551810685751, 0.39218337441172785, 0.04312814541910292);
    }

    @Test
    void absoluteLift_unequalSizes_matchesStatsmodelsWelch() {
        // welch.unequalSizes
        Moments c = new Moments(500, 1524.226269375935, 5131.00143686312);
        Moments t = new Moments(80, 237.87244944010314, 817.8165462644293);
        lift(Means.absoluteLift(c, t, 0.05), -0.07504692075058106, 0.1393913158867191,
                -0.35168835278497823, 0.2015945112838161, 0.5915368779022105);
        lift(Means.relativeLift(c, t, 0.05), -0.024618038101819173, 0.04561402417286375,
                -0.11401988267057156, 0.06478380646693321, 0.5894016830353594);
    }

    @Test
    void absoluteLift_fiveAndFourValues_matchesStatsmodelsWelchWithFractionalDegreesOfFreedom() {
        // welch.smallSamples (df = 4.984425965112839)
        Moments c = new Moments(5, 502.72176350726807, 51201.477514588165);
        Moments t = new Moments(4, 352.76576728597036, 32249.785147659284);
        lift(Means.absoluteLift(c, t, 0.10), -12.35291087996103, 11.299887291968961,
                -35.1384556552632, 10.43263389534114, 0.3243065253573218);
        lift(Means.relativeLift(c, t, 0.10), -0.12286031535396658, 0.10900908557914475,
                -0.30216430513948633, 0.056443674431553154, 0.25971503754516456);
    }

    @Test
    void absoluteLift_noEffectAtOnePercent_matchesStatsmodelsWelch() {
        // welch.noEffect: negative means, so the relative lift's sign is the ratio's, not the difference's
        Moments c = new Moments(1000, -1999.255365236104, 4243.749822065358);
        Moments t = new Moments(1000, -2012.7626611307282, 4311.272627238466);
        lift(Means.absoluteLift(c, t, 0.01), -0.013507295894624516, 0.022523192447662956,
                -0.07157870691007788, 0.044564115120829736, 0.5487701705526953);
        lift(Means.relativeLift(c, t, 0.01), 0.006756163384375569, 0.011302910356208095,
                -0.02235820432653159, 0.03587053109528272, 0.5500156895620858);
    }

    @Test
    void absoluteLift_fromSummaryStatistics_matchesScipyTtestIndFromStats() {
        // /usr/bin/python3 -c "import scipy.stats as st; print(st.ttest_ind_from_stats(5.3, 1.7, 30, 4.1, 0.9, 45, equal_var=False))"
        //   -> statistic=3.5489085909035367, pvalue=0.0010073385521418544
        Lift lift = Means.absoluteLift(fromStats(4.1, 0.9, 45), fromStats(5.3, 1.7, 30), 0.05);
        near("t", lift.estimate() / lift.standardError(), 3.5489085909035367);
        near("p", lift.pValue(), 0.0010073385521418544);
    }

    @Test
    void absoluteLift_bothArmsWithoutVariance_hasZeroErrorAndPValueZeroOrOne() {
        Moments fives = Moments.of(5, 5, 5);
        Moments sixes = Moments.of(6, 6, 6, 6);
        assertThat(Means.absoluteLift(fives, sixes, 0.05)).isEqualTo(new Lift(1, 0, 1, 1, 0, 0.05));
        assertThat(Means.absoluteLift(fives, fives, 0.05)).isEqualTo(new Lift(0, 0, 0, 0, 1, 0.05));
    }

    @Test
    void relativeLift_controlMeanZero_isUndefined() {
        Lift lift = Means.relativeLift(Moments.of(-1, 1), Moments.of(1, 2, 3), 0.05);
        assertThat(lift.estimate()).isNaN();
        assertThat(lift.standardError()).isNaN();
        assertThat(lift.lower()).isNaN();
        assertThat(lift.upper()).isNaN();
        assertThat(lift.pValue()).isNaN();
        assertThat(lift.alpha()).isEqualTo(0.05);
    }

    @Test
    void absoluteLift_oneValueOnAnArm_throwsNamingTheArmAndN() {
        assertThatThrownBy(() -> Means.absoluteLift(Moments.of(1), Moments.of(1, 2), 0.05))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control")
                .hasMessageContaining("n = 1");
        assertThatThrownBy(() -> Means.relativeLift(Moments.of(1, 2), Moments.EMPTY, 0.05))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("treatment")
                .hasMessageContaining("n = 0");
    }

    @Test
    void absoluteLift_alphaOutsideUnitInterval_throwsNamingAlpha() {
        for (double alpha : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> Means.absoluteLift(UNEQUAL_C, UNEQUAL_T, alpha))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("alpha")
                    .hasMessageContaining(String.valueOf(alpha));
        }
    }

    /** Moments with exactly the given mean and sample standard deviation. */
    static Moments fromStats(double mean, double sd, long n) {
        double sum = mean * n;
        return new Moments(n, sum, sd * sd * (n - 1) + sum * sum / n);
    }
}
