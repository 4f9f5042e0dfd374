package dev.ramp.analysis.experiment;

import static dev.ramp.analysis.experiment.Near.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Chance to win and expected loss. Flat-prior references: scipy's {@code norm(d, s).sf(0)} and
 * {@code norm(d, s).expect(lambda v: max(0, -v), ub=0)} (numerical integration); prior references: posterior moments
 * and probabilities by integrating likelihood times prior with {@code scipy.integrate.quad}, not the conjugate formula.
 * Produced by {@code /usr/bin/python3 ramp-analysis/src/test/reference/experiment_reference.py bayes}. Integration is
 * asked for 1e-13 relative accuracy, so the tolerance stays 1e-9.
 */
class BayesianGaussianTest {

    @Test
    void posterior_flatPriorPositiveEstimate_matchesScipyExpect() {
        Posterior p = BayesianGaussian.posterior(0.8, 0.5);
        near("chanceToWin", p.chanceToWin(), 0.945200708300442);
        near("lossShipping", p.expectedLossOfShipping(), 0.011620983980081382);
        near("lossKeeping", p.expectedLossOfKeeping(), 0.8116209839800813);
        assertThat(p.mean()).isEqualTo(0.8);
        assertThat(p.standardDeviation()).isEqualTo(0.5);
    }

    @Test
    void posterior_flatPriorNegativeEstimate_matchesScipyExpect() {
        Posterior p = BayesianGaussian.posterior(-0.02, 0.01);
        near("chanceToWin", p.chanceToWin(), 0.022750131948179195);
        near("lossShipping", p.expectedLossOfShipping(), 0.020084907026168292);
        near("lossKeeping", p.expectedLossOfKeeping(), 8.490702616829638e-05);
    }

    @Test
    void posterior_flatPriorZeroEstimate_hasEvenChanceAndEqualLosses() {
        Posterior p = BayesianGaussian.posterior(0, 1);
        assertThat(p.chanceToWin()).isEqualTo(0.5);
        near("lossShipping", p.expectedLossOfShipping(), 0.3989422804014327);
        near("lossKeeping", p.expectedLossOfKeeping(), 0.3989422804014327);
    }

    @Test
    void posterior_flatPriorFarAboveZero_hasNegligibleLossOfShipping() {
        // The loss of shipping (about 1.6e-15) is below what either side computes accurately: checked absolutely.
        Posterior p = BayesianGaussian.posterior(3, 0.4);
        near("chanceToWin", p.chanceToWin(), 0.9999999999999681);
        assertThat(p.expectedLossOfShipping()).isCloseTo(1.64607113383351e-15, within(1e-14));
        near("lossKeeping", p.expectedLossOfKeeping(), 3.0000000000000018);
    }

    @Test
    void posterior_gaussianPrior_matchesNumericalIntegrationOfLikelihoodTimesPrior() {
        Posterior p = BayesianGaussian.posterior(0.8, 0.5, 0.25);
        near("mean", p.mean(), 0.4000000000000001);
        near("chanceToWin", p.chanceToWin(), 0.8710504823538302);
        near("lossShipping", p.expectedLossOfShipping(), 0.022793416223715713);
        near("lossKeeping", p.expectedLossOfKeeping(), 0.42279341622371575);
    }

    @Test
    void posterior_tightGaussianPrior_shrinksTowardsZeroAsIntegrationSays() {
        Posterior p = BayesianGaussian.posterior(-0.02, 0.01, 0.0004);
        near("mean", p.mean(), -0.015999999999999997);
        near("chanceToWin", p.chanceToWin(), 0.036819135060151324);
        near("lossShipping", p.expectedLossOfShipping(), 0.01613131073248065);
        near("lossKeeping", p.expectedLossOfKeeping(), 0.00013131073248065208);
    }

    @Test
    void posterior_ofLift_readsItsEstimateAndStandardError() {
        Lift lift = new Lift(0.8, 0.5, -0.18, 1.78, 0.11, 0.05);
        assertThat(BayesianGaussian.posterior(lift)).isEqualTo(BayesianGaussian.posterior(0.8, 0.5));
    }

    @Test
    void posterior_zeroStandardError_isAPointMassAtTheEstimate() {
        assertThat(BayesianGaussian.posterior(0.3, 0)).isEqualTo(new Posterior(0.3, 0, 1, 0, 0.3));
        assertThat(BayesianGaussian.posterior(-0.3, 0, 1)).isEqualTo(new Posterior(-0.3, 0, 0, 0.3, 0));
        assertThat(BayesianGaussian.posterior(0, 0).chanceToWin()).isZero();
    }

    @Test
    void posterior_badArguments_throwNamingTheParameter() {
        assertThatThrownBy(() -> BayesianGaussian.posterior(Double.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimate");
        assertThatThrownBy(() -> BayesianGaussian.posterior(1, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("standardError")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> BayesianGaussian.posterior(1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priorVariance");
        assertThatThrownBy(() -> BayesianGaussian.posterior(Lift.undefined(0.05)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimate");
    }
}
