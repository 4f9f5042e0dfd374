package dev.ramp.analysis.experiment;

import static dev.ramp.analysis.experiment.Near.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.analysis.Split;
import org.junit.jupiter.api.Test;

/** The sample-ratio check, against scipy's {@code chisquare} and R's {@code chisq.test}. */
class SampleRatioTest {

    @Test
    void check_fiftyFiftyWithSmallGap_matchesScipyAndFindsNoMismatch() {
        // /usr/bin/python3 -c "from scipy.stats import chisquare; print(chisquare([5050, 4950], [5000, 5000]))"
        //   -> statistic=1.0, pvalue=0.31731050786291115
        SampleRatioCheck check = SampleRatio.check(new long[] {5050, 4950}, new double[] {0.5, 0.5});
        near("statistic", check.statistic(), 1.0);
        near("p", check.pValue(), 0.31731050786291115);
        assertThat(check.degreesOfFreedom()).isEqualTo(1);
        assertThat(check.mismatch()).isFalse();
    }

    @Test
    void check_fiftyFiftyWithLargeGap_matchesRChisqTestAndFlagsMismatch() {
        // Rscript -e 'options(digits=17); r <- chisq.test(c(10321,9679), p=c(.5,.5)); print(c(r$statistic, r$p.value))'
        //   -> 20.6082, 5.6354220907242798e-06 (scipy: 5.635422090724276e-06)
        SampleRatioCheck check = SampleRatio.check(new long[] {10321, 9679}, new double[] {0.5, 0.5});
        near("statistic", check.statistic(), 20.6082);
        near("p", check.pValue(), 5.6354220907242798e-06);
        assertThat(check.mismatch()).isTrue();
    }

    @Test
    void check_threeArms_matchesRChisqTestJustAboveTheThreshold() {
        // Rscript -e 'options(digits=17); r <- chisq.test(c(901,2050,1049), p=c(.25,.5,.25)); print(c(r$statistic, r$p.value))'
        //   -> 13.452, 0.0011993206589918425
        SampleRatioCheck check = SampleRatio.check(new long[] {901, 2050, 1049}, new double[] {0.25, 0.5, 0.25});
        near("statistic", check.statistic(), 13.452);
        near("p", check.pValue(), 0.0011993206589918425);
        assertThat(check.degreesOfFreedom()).isEqualTo(2);
        assertThat(check.mismatch()).isFalse();
    }

    @Test
    void check_unequalWeightsAndFourArms_matchScipy() {
        // /usr/bin/python3 -c "from scipy.stats import chisquare; print(chisquare([1000, 9300], [1030, 9270]))"
        //   -> statistic=0.9708737864077669, pvalue=0.3244623557511027
        SampleRatioCheck two = SampleRatio.check(new long[] {1000, 9300}, new double[] {0.1, 0.9});
        near("statistic", two.statistic(), 0.9708737864077669);
        near("p", two.pValue(), 0.3244623557511027);
        // /usr/bin/python3 -c "from scipy.stats import chisquare; print(chisquare([334, 333, 290, 343], [325]*4))"
        //   -> statistic=5.212307692307692, pvalue=0.15689489833288708
        SampleRatioCheck four = SampleRatio.check(new long[] {334, 333, 290, 343}, new double[] {.25, .25, .25, .25});
        near("statistic", four.statistic(), 5.212307692307692);
        near("p", four.pValue(), 0.15689489833288708);
    }

    @Test
    void check_split_usesTheCanaryWeightAndTheStableRest() {
        // The stable weight is 1 - 0.9, which is 0.09999999999999998 in floating point: equal to 1e-9, not exactly.
        SampleRatioCheck fromSplit = SampleRatio.check(Split.of(0.9, 1000, 9300));
        near("statistic", fromSplit.statistic(), 0.9708737864077669);
        near("p", fromSplit.pValue(), 0.3244623557511027);
    }

    @Test
    void check_noUnits_findsNothingToCheck() {
        assertThat(SampleRatio.check(new long[] {0, 0}, new double[] {0.5, 0.5}))
                .isEqualTo(new SampleRatioCheck(0, 1, 1, false));
    }

    @Test
    void mismatchThreshold_isOnePerMille() {
        assertThat(SampleRatio.MISMATCH_P_VALUE).isEqualTo(0.001);
    }

    @Test
    void check_badArguments_throwNamingTheValue() {
        assertThatThrownBy(() -> SampleRatio.check(new long[] {10, 10}, new double[] {0.5, 0.6}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to 1")
                .hasMessageContaining("1.1");
        assertThatThrownBy(() -> SampleRatio.check(new long[] {10, -1}, new double[] {0.5, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("units[1]")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> SampleRatio.check(new long[] {10}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 arms");
        assertThatThrownBy(() -> SampleRatio.check(new long[] {10, 10}, new double[] {Double.NaN, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights[0]")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> SampleRatio.check(new long[] {10, 10, 1}, new double[] {0.5, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one entry per arm");
        assertThatThrownBy(() -> SampleRatio.check(Split.NOT_MEASURED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("measured");
        assertThatThrownBy(() -> SampleRatio.check(Split.of(1, 0, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights[0]");
    }
}
