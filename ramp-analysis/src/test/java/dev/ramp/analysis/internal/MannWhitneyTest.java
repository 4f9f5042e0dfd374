package dev.ramp.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers from R 4.2.2's {@code wilcox.test}, the oracle Kayenta's port was checked against. Each case names
 * the command that printed its estimate, interval bounds and p-value; the x side is the canary, the y side the
 * stable arm. The roots agree far within R's root tolerance (1e-4), because the port takes the same root-finding steps,
 * and the p-value to rounding.
 */
class MannWhitneyTest {

    /** R's root tolerance is 1e-4; the port takes R's very steps, so its roots agree far closer than that. */
    private static final double ROOT_TOLERANCE = 1e-9;
    private static final double P_VALUE_TOLERANCE = 1e-12;

    record Case(String name, double[] x, double[] y, double estimate, double lower, double upper, double pValue) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> referenceCases() {
        return Stream.of(
        // Rscript -e 'r <- wilcox.test(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30), c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("noTies",
                new double[] {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30},
                new double[] {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29},
                0.560056160835873, -0.559951695263184, 1.232960408303311, 0.132919458185319),
        // Rscript -e 'r <- wilcox.test(c(1, 2, 2, 3, 3, 3, 4), c(2, 3, 3, 4, 4, 5), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("ties",
                new double[] {1, 2, 2, 3, 3, 3, 4},
                new double[] {2, 3, 3, 4, 4, 5},
                -1.000000000000000, -2.999993643472215, 0.999917173007399, 0.157785410517965),
        // Rscript -e 'r <- wilcox.test(c(1.1, 2.3, 3.7), c(0.4, 1.9, 2.2, 5.0), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("threeVersusFour",
                new double[] {1.1, 2.3, 3.7},
                new double[] {0.4, 1.9, 2.2, 5.0},
                0.211442251814386, -3.900000000000000, 3.300000000000000, 0.859683795198666),
        // Rscript -e 'r <- wilcox.test(c(0.21, 0.35, 0.18, 0.40, 0.29), c(0.11, 0.25, 0.19, 0.14, 0.22, 0.17, 0.30, 0.12, 0.16, 0.20, 0.13, 0.24), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("unequalSizes",
                new double[] {0.21, 0.35, 0.18, 0.40, 0.29},
                new double[] {0.11, 0.25, 0.19, 0.14, 0.22, 0.17, 0.30, 0.12, 0.16, 0.20, 0.13, 0.24},
                0.0999640882789168, -0.0200546721252952, 0.2299389618133926, 0.0511676305134324),
        // Rscript -e 'r <- wilcox.test(c(101, 104, 99, 107, 102, 100, 105), c(1, 4, 2, 6, 3, 5, 2), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("largeShift",
                new double[] {101, 104, 99, 107, 102, 100, 105},
                new double[] {1, 4, 2, 6, 3, 5, 2},
                9.90000035110174e+01, 9.50000374192985e+01, 1.03000064062005e+02, 2.14070973158512e-03),
        // Rscript -e 'r <- wilcox.test(c(10, 11, 12), c(1, 2, 3), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("separatedSmall",
                new double[] {10, 11, 12},
                new double[] {1, 2, 3},
                9.0000000000000000, 7.0000000000000000, 11.0000000000000000, 0.0808555983700523),
        // Rscript -e 'r <- wilcox.test(c(1, 5, 9), c(3, 5, 7), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("identicalMedians",
                new double[] {1, 5, 9},
                new double[] {3, 5, 7},
                0, -6, 6, 1),
        // Rscript -e 'r <- wilcox.test(c(0, 0, 0.01, 0, 0.02, 0, 0, 0.01, 0, 0), c(0, 0, 0, 0, 0.01, 0, 0, 0, 0, 0), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("sparseErrorRates",
                new double[] {0, 0, 0.01, 0, 0.02, 0, 0, 0.01, 0, 0},
                new double[] {0, 0, 0, 0, 0.01, 0, 0, 0, 0, 0},
                1.26603897376550e-06, -4.09185660980409e-05, 9.91440738864449e-03, 2.78075686620885e-01),
        // Rscript -e 'r <- wilcox.test(c(1.01, 0.98, 1.03, 0.99, 1.02, 0.97, 1.00, 0.0101, 0.0099, 0.0100), c(0.0102, 0.0098, 0.0101, 0.0099, 0.0100, 0.0103, 0.0097, 0.0100, 0.0101, 0.0099), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("hundredfoldOnSeven",
                new double[] {1.01, 0.98, 1.03, 0.99, 1.02, 0.97, 1.00, 0.0101, 0.0099, 0.0100},
                new double[] {0.0102, 0.0098, 0.0101, 0.0099, 0.0100, 0.0103, 0.0097, 0.0100, 0.0101, 0.0099},
                9.75235693327276e-01, 6.27634094633327e-05, 1.00978681978873e+00, 8.79812738450622e-03),
        // Rscript -e 'r <- wilcox.test(c(3, 3, 4, 4, 4, 5, 6), c(6, 7, 7, 8, 8, 9, 9, 10), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("negativeShiftWithTies",
                new double[] {3, 3, 4, 4, 4, 5, 6},
                new double[] {6, 7, 7, 8, 8, 9, 9, 10},
                -3.99995741760309631, -5.99995934093583561, -2.00004073119176429, 0.00163237864973728),
        // Rscript -e 'r <- wilcox.test(c(5, 5, 5, 6), c(5, 5, 5, 5), conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
        new Case("oneSeriesTied",
                new double[] {5, 5, 5, 6},
                new double[] {5, 5, 5, 5},
                0.000000000000000, 0.000000000000000, 1.000000000000000, 0.453254704753736),
        // Rscript -e 'r <- wilcox.test(sin(1:30) * 3 + 1, cos(1:30) * 2, conf.int=TRUE, conf.level=0.98, exact=FALSE, correct=TRUE); print(c(r$estimate, r$conf.int, r$p.value), digits=15)'
                // x = sin(1:30) * 3 + 1, y = cos(1:30) * 2
        new Case("thirtyEach",
                new double[] {3.5244129544236893, 3.7278922804770449, 1.4233600241796016, -1.2704074859237844, -1.8767728239894153, 0.16175350540322242, 2.9709597961563672, 3.9680747398701453, 2.2363554557252696, -0.63206333266810932, -1.9999706196521103, -0.60971875400130493, 2.2605011104799226, 3.9718220670846112, 2.9508635204713505, 0.1362900500048041, -1.8841924756386703, -1.2529617403150279, 1.4496316289888571, 3.738835752182883, 3.5099669156081683, 0.97344607212878842, -1.5386612125255121, -1.7167350860198716, 0.60294474970668088, 3.287675351438808, 3.8691277852135091, 1.812717364923607, -0.99090165263890251, -1.9640948722785856},
                new double[] {1.0806046117362795, -0.83229367309428481, -1.9799849932008908, -1.3072872417272239, 0.56732437092645249, 1.9203405733007319, 1.5078045086866092, -0.29100006761722708, -1.8222605237693539, -1.6781430581529049, 0.0088513959761015708, 1.6877079174649843, 1.8148935629003924, 0.27347443641566721, -1.5193758257176426, -1.9153189606467693, -0.55032667610319386, 1.3206334164881603, 1.9774092363733384, 0.81616412362678392, -1.0954585204485368, -1.9999216527892743, -1.065666040666795, 0.84835801467399397, 1.9824056237269472, 1.2938386446572807, -0.58427761746767237, -1.9252117326271332, -1.4961150593780006, 0.30850289977516809},
                1.1532636016953042, -0.1697176005950297, 2.4450363142956855, 0.0555456931343456));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void test_referenceCase_agreesWithR(Case reference) {
        MannWhitney.Result result = MannWhitney.test(reference.x(), reference.y(), 0.98);

        assertThat(result.estimate()).as("estimate").isCloseTo(reference.estimate(), within(ROOT_TOLERANCE));
        assertThat(result.lower()).as("lower bound").isCloseTo(reference.lower(), within(ROOT_TOLERANCE));
        assertThat(result.upper()).as("upper bound").isCloseTo(reference.upper(), within(ROOT_TOLERANCE));
        assertThat(result.pValue()).as("p-value").isCloseTo(reference.pValue(), within(P_VALUE_TOLERANCE));
    }

    @Test
    void test_threeVersusFour_hasRsStatistic() {
        // Rscript -e 'print(wilcox.test(c(1.1, 2.3, 3.7), c(0.4, 1.9, 2.2, 5.0), exact=FALSE)$statistic)' prints W 7
        assertThat(MannWhitney.test(new double[] {1.1, 2.3, 3.7}, new double[] {0.4, 1.9, 2.2, 5.0}, 0.98).statistic())
                .isEqualTo(7);
    }

    @Test
    void test_eachSampleOneValue_isRefused() {
        assertThatThrownBy(() -> MannWhitney.test(new double[] {2, 2}, new double[] {3, 3, 3}, 0.98))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("each sample holds a single value")
                .hasMessageContaining("got 2.0 and 3.0");
    }

    @Test
    void test_emptySample_isRefused() {
        assertThatThrownBy(() -> MannWhitney.test(new double[] {}, new double[] {1, 2}, 0.98))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x needs at least one value");
    }

    @Test
    void test_nanValue_isRefused() {
        assertThatThrownBy(() -> MannWhitney.test(new double[] {1, 2}, new double[] {1, Double.NaN}, 0.98))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("y must hold finite values only")
                .hasMessageContaining("NaN");
    }

    @Test
    void test_confidenceLevelOfOne_isRefused() {
        assertThatThrownBy(() -> MannWhitney.test(new double[] {1, 2}, new double[] {3, 4}, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1.0");
    }
}
