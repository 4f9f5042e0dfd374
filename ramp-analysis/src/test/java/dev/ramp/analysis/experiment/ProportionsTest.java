package dev.ramp.analysis.experiment;

import static dev.ramp.analysis.experiment.Near.lift;
import static dev.ramp.analysis.experiment.Near.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.analysis.Counts;
import org.junit.jupiter.api.Test;

/**
 * Two-proportion lifts. Reference values: p-values from statsmodels' {@code proportions_ztest} (pooled), intervals from
 * {@code confint_proportions_2indep(method="wald", compare="diff")}, relative lifts from the delta method written as
 * gradient times covariance in numpy. Produced by
 * {@code /usr/bin/python3 ramp-analysis/src/test/reference/experiment_reference.py proportions}.
 */
class ProportionsTest {

    @Test
    void absoluteLift_typicalConversion_matchesStatsmodelsPooledTestAndWaldInterval() {
        // proportions.typicalConversion
        Counts c = Counts.of(120, 1000);
        Counts t = Counts.of(150, 1000);
        lift(Proportions.absoluteLift(c, t, 0.05), 0.03, 0.015267612779999369,
                7.60288212977786e-05, 0.05992397117870222, 0.04964038686536878);
        lift(Proportions.relativeLift(c, t, 0.05), 0.25, 0.14252192813739226,
                -0.02933784615649465, 0.5293378461564946, 0.07941062599894223);
    }

    @Test
    void absoluteLift_unequalTrials_matchesStatsmodels() {
        // proportions.unequalTrials
        Counts c = Counts.of(48, 2400);
        Counts t = Counts.of(35, 1100);
        lift(Proportions.absoluteLift(c, t, 0.05), 0.011818181818181814, 0.0060143100909641305,
                3.0350648036300137e-05, 0.02360601298832733, 0.0329109241829335);
        lift(Proportions.relativeLift(c, t, 0.05), 0.5909090909090906, 0.3488374443914625,
                -0.09279973655717, 1.2746179183753512, 0.09027701714094052);
    }

    @Test
    void absoluteLift_rareEventsAtOnePercent_matchesStatsmodels() {
        // proportions.rareEvents
        Counts c = Counts.of(3, 10000);
        Counts t = Counts.of(12, 10000);
        lift(Proportions.absoluteLift(c, t, 0.01), 0.0009, 0.00038710076207623255,
                -9.71054863820708e-05, 0.0018971054863820707, 0.020090045028076632);
        lift(Proportions.relativeLift(c, t, 0.01), 3.0, 2.5813691457570855,
                -3.649166288918095, 9.649166288918096, 0.245164810154601);
    }

    @Test
    void absoluteLift_tinyArms_matchesStatsmodels() {
        // proportions.tinyArms
        Counts c = Counts.of(2, 7);
        Counts t = Counts.of(5, 9);
        lift(Proportions.absoluteLift(c, t, 0.10), 0.2698412698412699, 0.23788518491090274,
                -0.12144503935745027, 0.66112757903999, 0.28042501171986034);
        lift(Proportions.relativeLift(c, t, 0.10), 0.9444444444444446, 1.2986090479946641,
                -1.1915773581415778, 3.080466247030467, 0.46705819405010507);
    }

    @Test
    void absoluteLift_pValue_matchesRPropTestWithoutContinuityCorrection() {
        // Rscript -e 'options(digits=17); prop.test(c(150, 120), c(1000, 1000), correct=FALSE)$p.value'
        //   -> 0.04964038686536882
        near("p", Proportions.absoluteLift(Counts.of(120, 1000), Counts.of(150, 1000), 0.05).pValue(),
                0.04964038686536882);
    }

    @Test
    void absoluteLift_bothArmsWithoutEvents_hasPValueOneAndIntervalAtZero() {
        assertThat(Proportions.absoluteLift(Counts.of(0, 50), Counts.of(0, 80), 0.05))
                .isEqualTo(new Lift(0, 0, 0, 0, 1, 0.05));
        assertThat(Proportions.absoluteLift(Counts.of(50, 50), Counts.of(80, 80), 0.05))
                .isEqualTo(new Lift(0, 0, 0, 0, 1, 0.05));
    }

    @Test
    void absoluteLift_allAgainstNone_hasPointIntervalAndPooledPValue() {
        Lift lift = Proportions.absoluteLift(Counts.of(0, 10), Counts.of(10, 10), 0.05);
        assertThat(lift.estimate()).isEqualTo(1);
        assertThat(lift.lower()).isEqualTo(1);
        assertThat(lift.upper()).isEqualTo(1);
        // pooled z = 1 / sqrt(0.25 * 0.2) = sqrt(20)
        near("p", lift.pValue(), 2 * Gaussian.STANDARD.survivalProbability(Math.sqrt(20)));
    }

    @Test
    void relativeLift_controlWithoutEvents_isUndefined() {
        Lift lift = Proportions.relativeLift(Counts.of(0, 100), Counts.of(3, 100), 0.05);
        assertThat(lift.estimate()).isNaN();
        assertThat(lift.pValue()).isNaN();
    }

    @Test
    void relativeLift_treatmentWithoutEvents_hasZeroDeltaErrorAsDocumented() {
        Lift lift = Proportions.relativeLift(Counts.of(5, 100), Counts.of(0, 100), 0.05);
        assertThat(lift).isEqualTo(new Lift(-1, 0, -1, -1, 0, 0.05));
    }

    @Test
    void absoluteLift_armWithoutTrials_throwsNamingTheArm() {
        assertThatThrownBy(() -> Proportions.absoluteLift(Counts.EMPTY, Counts.of(1, 2), 0.05))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control")
                .hasMessageContaining("trials = 0");
        assertThatThrownBy(() -> Proportions.relativeLift(Counts.of(1, 2), Counts.of(1, 2), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha")
                .hasMessageContaining("2.0");
    }
}
