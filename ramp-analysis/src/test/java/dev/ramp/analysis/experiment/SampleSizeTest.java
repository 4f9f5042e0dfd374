package dev.ramp.analysis.experiment;

import static dev.ramp.analysis.experiment.Near.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Sample size and power. Means against statsmodels' {@code NormalIndPower} (two-sided, both tails, ratio 1);
 * proportions against R's {@code power.prop.test(strict = TRUE)}. Both references solve for a fractional n; the Java
 * code returns the next whole number.
 */
class SampleSizeTest {

    @Test
    void powerForMeans_matchesStatsmodelsNormalIndPower() {
        // /usr/bin/python3 -c "from statsmodels.stats.power import NormalIndPower as P; print(repr(P().power(effect_size=0.5/2.0, nobs1=100, alpha=0.05, ratio=1)))"
        //   -> 0.42389054125442516
        near("p1", SampleSize.powerForMeans(2.0, 0.5, 100, 0.05), 0.42389054125442516);
        // ... effect_size=0.1/1.0, nobs1=1000, alpha=0.05 -> 0.6087794846454566
        near("p2", SampleSize.powerForMeans(1.0, 0.1, 1000, 0.05), 0.6087794846454566);
        // ... effect_size=1.0/10.0, nobs1=50, alpha=0.01 -> 0.020004460473822212 (the far tail counts here)
        near("p3", SampleSize.powerForMeans(10.0, 1.0, 50, 0.01), 0.020004460473822212);
        // ... effect_size=0.4/3.0, nobs1=2000, alpha=0.1 -> 0.9949372940499328 (a negative effect, same power)
        near("p4", SampleSize.powerForMeans(3.0, -0.4, 2000, 0.1), 0.9949372940499328);
    }

    @Test
    void perArmForMeans_isTheCeilingOfStatsmodelsSolvePower() {
        // /usr/bin/python3 -c "from statsmodels.stats.power import NormalIndPower as P; print(repr(P().solve_power(effect_size=0.5/2.0, alpha=0.05, power=0.8, ratio=1)))"
        //   -> 251.16353630180953
        assertThat(SampleSize.perArmForMeans(2.0, 0.5, 0.05, 0.8)).isEqualTo(252);
        // ... effect_size=0.1, alpha=0.05, power=0.9 -> 2101.483881928466
        assertThat(SampleSize.perArmForMeans(1.0, 0.1, 0.05, 0.9)).isEqualTo(2102);
        // ... effect_size=0.1, alpha=0.01, power=0.8 -> 2335.7936297142637
        assertThat(SampleSize.perArmForMeans(10.0, 1.0, 0.01, 0.8)).isEqualTo(2336);
        // ... effect_size=1.0, alpha=0.05, power=0.8 -> 15.697721018567242
        assertThat(SampleSize.perArmForMeans(1.0, 1.0, 0.05, 0.8)).isEqualTo(16);
    }

    @Test
    void powerForProportions_matchesRPowerPropTestStrict() {
        // Rscript -e 'options(digits=17); print(power.prop.test(n=1000, p1=0.10, p2=0.12, sig.level=0.05, strict=TRUE)$power)'
        //   -> 0.29808032538146001
        near("p1", SampleSize.powerForProportions(0.10, 0.02, 1000, 0.05), 0.29808032538146001);
        // ... n=5000, p1=0.02, p2=0.025, sig.level=0.05 -> 0.392074001147035
        near("p2", SampleSize.powerForProportions(0.02, 0.005, 5000, 0.05), 0.392074001147035);
        // ... n=200, p1=0.5, p2=0.4, sig.level=0.01 -> 0.28480468572815187
        near("p3", SampleSize.powerForProportions(0.5, -0.1, 200, 0.01), 0.28480468572815187);
    }

    @Test
    void perArmForProportions_isTheCeilingOfRPowerPropTestStrict() {
        // Rscript -e 'options(digits=17); print(power.prop.test(p1=0.10, p2=0.12, sig.level=0.05, power=0.8, strict=TRUE)$n)'
        //   -> 3840.8381709803703
        assertThat(SampleSize.perArmForProportions(0.10, 0.02, 0.05, 0.8)).isEqualTo(3841);
        // ... p1=0.02, p2=0.025, sig.level=0.05, power=0.9 -> 18485.727301462721
        assertThat(SampleSize.perArmForProportions(0.02, 0.005, 0.05, 0.9)).isEqualTo(18486);
        // ... p1=0.5, p2=0.4, sig.level=0.01, power=0.8 -> 576.6680763451443
        assertThat(SampleSize.perArmForProportions(0.5, -0.1, 0.01, 0.8)).isEqualTo(577);
    }

    @Test
    void perArm_isTheSmallestSizeReachingThePower() {
        long n = SampleSize.perArmForProportions(0.10, 0.02, 0.05, 0.8);
        assertThat(SampleSize.powerForProportions(0.10, 0.02, n, 0.05)).isGreaterThanOrEqualTo(0.8);
        assertThat(SampleSize.powerForProportions(0.10, 0.02, n - 1, 0.05)).isLessThan(0.8);
        long m = SampleSize.perArmForMeans(2.0, 0.5, 0.05, 0.8);
        assertThat(SampleSize.powerForMeans(2.0, 0.5, m, 0.05)).isGreaterThanOrEqualTo(0.8);
        assertThat(SampleSize.powerForMeans(2.0, 0.5, m - 1, 0.05)).isLessThan(0.8);
    }

    @Test
    void sampleSize_badArguments_throwNamingTheParameter() {
        assertThatThrownBy(() -> SampleSize.perArmForMeans(0, 1, 0.05, 0.8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("standardDeviation");
        assertThatThrownBy(() -> SampleSize.perArmForMeans(1, 0, 0.05, 0.8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumDetectableEffect");
        assertThatThrownBy(() -> SampleSize.perArmForMeans(1, 1, 0.05, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power")
                .hasMessageContaining("1.0");
        assertThatThrownBy(() -> SampleSize.powerForMeans(1, 1, 0, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perArm");
        assertThatThrownBy(() -> SampleSize.perArmForProportions(0.95, 0.1, 0.05, 0.8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baselineRate + minimumDetectableEffect")
                .hasMessageContaining("1.05");
        assertThatThrownBy(() -> SampleSize.powerForProportions(0, 0.1, 10, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baselineRate");
    }
}
