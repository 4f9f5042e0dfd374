package dev.ramp.analysis.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Holm and Benjamini–Hochberg, against R's {@code p.adjust} and statsmodels' {@code multipletests}. */
class PValuesTest {

    private static final double[] WITH_TIES = {0.01, 0.04, 0.03, 0.005, 0.5, 0.04};
    private static final double[] UNSORTED = {0.2, 0.001, 0.9, 0.049};

    @Test
    void holm_withTies_matchesRPAdjust() {
        // Rscript -e 'options(digits=17); print(p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04), "holm"))'
        //   -> 0.05 0.12 0.12 0.03 0.5 0.12 (statsmodels multipletests(method="holm") agrees)
        assertThat(PValues.holm(WITH_TIES)).containsExactly(new double[] {0.05, 0.12, 0.12, 0.03, 0.5, 0.12},
                within(1e-15));
    }

    @Test
    void benjaminiHochberg_withTies_matchesRPAdjust() {
        // Rscript -e 'options(digits=17); print(p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04), "BH"))'
        //   -> 0.03 0.048 0.048 0.03 0.5 0.048 (statsmodels multipletests(method="fdr_bh") agrees)
        assertThat(PValues.benjaminiHochberg(WITH_TIES))
                .containsExactly(new double[] {0.03, 0.048, 0.048, 0.03, 0.5, 0.048}, within(1e-15));
    }

    @Test
    void holm_unsorted_matchesRPAdjustAndCapsAtOne() {
        // Rscript -e 'options(digits=17); print(p.adjust(c(0.2, 0.001, 0.9, 0.049), "holm"))'
        //   -> 0.4 0.004 0.9 0.147
        assertThat(PValues.holm(UNSORTED)).containsExactly(new double[] {0.4, 0.004, 0.9, 0.147}, within(1e-15));
        assertThat(PValues.holm(0.5, 0.6)).containsExactly(1, 1);
    }

    @Test
    void benjaminiHochberg_unsorted_matchesRPAdjust() {
        // Rscript -e 'options(digits=17); print(p.adjust(c(0.2, 0.001, 0.9, 0.049), "BH"))'
        //   -> 0.2666666666666666630 0.004 0.9 0.098
        assertThat(PValues.benjaminiHochberg(UNSORTED))
                .containsExactly(new double[] {0.2666666666666666630, 0.004, 0.9, 0.098}, within(1e-15));
    }

    @Test
    void adjustments_noPValues_returnNone() {
        assertThat(PValues.holm()).isEmpty();
        assertThat(PValues.benjaminiHochberg()).isEmpty();
    }

    @Test
    void adjustments_pValueOutsideUnitInterval_throwsNamingIndexAndValue() {
        assertThatThrownBy(() -> PValues.holm(0.1, 1.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pValues[1]")
                .hasMessageContaining("1.2");
        assertThatThrownBy(() -> PValues.benjaminiHochberg(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pValues[0]")
                .hasMessageContaining("NaN");
    }
}
