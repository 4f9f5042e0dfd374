package dev.ramp.analysis.experiment;

import static dev.ramp.analysis.experiment.Near.lift;
import static dev.ramp.analysis.experiment.Near.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Ratio-metric lifts. No library computes the delta method for ratio metrics, so the references come from simulated
 * per-user revenue and sessions in numpy: each arm's variance as gradient times the 2x2 sample covariance matrix
 * ({@code numpy.cov}) over n, not the closed form the Java code uses. Produced by
 * {@code /usr/bin/python3 ramp-analysis/src/test/reference/experiment_reference.py ratio}.
 */
class RatiosTest {

    // ratio.revenuePerSession
    private static final RatioMoments REVENUE_C =
            new RatioMoments(300, 3541.64, 857.0, 77513.4574, 3011.0, 12253.16);
    private static final RatioMoments REVENUE_T =
            new RatioMoments(320, 4655.6, 1020.0, 119209.938, 3940.0, 17700.25);

    @Test
    void ratioVariance_revenuePerSession_matchesNumpyCovarianceDeltaMethod() {
        near("control ratio", REVENUE_C.ratio(), 4.132602100350058);
        near("control variance", REVENUE_C.ratioVariance(), 0.037789097049238586);
        near("treatment ratio", REVENUE_T.ratio(), 4.564313725490196);
        near("treatment variance", REVENUE_T.ratioVariance(), 0.03829037205366651);
    }

    @Test
    void absoluteLift_revenuePerSession_matchesNumpy() {
        lift(Ratios.absoluteLift(REVENUE_C, REVENUE_T, 0.05), 0.43171162514013783, 0.2758250697505669,
                -0.10889557760422175, 0.9723188278844974, 0.11754432795197609);
    }

    @Test
    void relativeLift_revenuePerSession_matchesNumpy() {
        lift(Ratios.relativeLift(REVENUE_C, REVENUE_T, 0.05), 0.10446484192213168, 0.07029339118711443,
                -0.033307673155797884, 0.24223735700006124, 0.13724577503677607);
    }

    @Test
    void lifts_clicksPerPageViewAtTenPercent_matchNumpy() {
        // ratio.clicksPerPageView
        RatioMoments c = new RatioMoments(60, 105.08, 345.0, 433.4142, 2357.0, 793.5600000000001);
        RatioMoments t = new RatioMoments(50, 71.93, 242.0, 166.8489, 1346.0, 407.6);
        near("control variance", c.ratioVariance(), 0.0014410792061664694);
        near("treatment variance", t.ratioVariance(), 0.0007572434025050365);
        lift(Ratios.absoluteLift(c, t, 0.10), -0.007348305186249793, 0.04688627313693749,
                -0.08446936160977883, 0.06977275123727925, 0.8754606751971695);
        lift(Ratios.relativeLift(c, t, 0.10), -0.024126049574192843, 0.1515132916116201,
                -0.2733432368129224, 0.22509113766453667, 0.8734846105539501);
    }

    @Test
    void of_perUnitValues_sumsThemAndAddsUpWithPlus() {
        RatioMoments first = RatioMoments.of(new double[] {1, 2}, new double[] {3, 4});
        RatioMoments second = RatioMoments.of(new double[] {5}, new double[] {6});
        assertThat(first).isEqualTo(new RatioMoments(2, 3, 7, 5, 25, 11));
        assertThat(first.plus(second))
                .isEqualTo(RatioMoments.of(new double[] {1, 2, 5}, new double[] {3, 4, 6}));
    }

    @Test
    void ratio_constantPerUnitRatioWithoutNoise_hasZeroVarianceAndPValueByEquality() {
        RatioMoments c = RatioMoments.of(new double[] {2, 4, 6}, new double[] {1, 2, 3});
        RatioMoments t = RatioMoments.of(new double[] {3, 6}, new double[] {1, 2});
        assertThat(c.ratioVariance()).isZero();
        Lift lift = Ratios.absoluteLift(c, t, 0.05);
        assertThat(lift.estimate()).isEqualTo(1);
        assertThat(lift.pValue()).isZero();
        assertThat(Ratios.absoluteLift(c, c, 0.05).pValue()).isEqualTo(1);
    }

    @Test
    void lifts_denominatorsSummingToZero_areUndefined() {
        RatioMoments noSessions = RatioMoments.of(new double[] {0, 0}, new double[] {0, 0});
        assertThat(Ratios.absoluteLift(noSessions, REVENUE_T, 0.05).estimate()).isNaN();
        assertThat(Ratios.relativeLift(noSessions, REVENUE_T, 0.05).estimate()).isNaN();
        RatioMoments noRevenue = RatioMoments.of(new double[] {0, 0}, new double[] {1, 2});
        assertThat(Ratios.relativeLift(noRevenue, REVENUE_T, 0.05).pValue()).isNaN();
    }

    @Test
    void constructor_badSums_throwsNamingTheParameter() {
        assertThatThrownBy(() -> new RatioMoments(-1, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n").hasMessageContaining("-1");
        assertThatThrownBy(() -> new RatioMoments(3, Double.NaN, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sumNumerator")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> new RatioMoments(3, 1, 1, -2, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sumNumeratorSquares");
        assertThatThrownBy(() -> new RatioMoments(0, 1, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no units");
        assertThatThrownBy(() -> Ratios.absoluteLift(RatioMoments.of(new double[] {1}, new double[] {1}),
                        REVENUE_T, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control")
                .hasMessageContaining("n = 1");
    }
}
