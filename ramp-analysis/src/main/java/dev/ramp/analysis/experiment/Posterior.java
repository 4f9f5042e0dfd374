package dev.ramp.analysis.experiment;

/**
 * What {@link BayesianGaussian} believes about a lift after the data: a normal posterior, and the decision figures
 * derived from it. All figures assume a positive lift is good; for a metric where lower is better, pass the negated
 * estimate.
 *
 * @param mean the posterior mean of the lift
 * @param standardDeviation the posterior standard deviation, at least 0
 * @param chanceToWin {@code P(lift > 0)}, in [0, 1]
 * @param expectedLossOfShipping {@code E[max(0, -lift)]}: what shipping the treatment costs on average, in the lift's
 *     unit, counting only the cases where it is worse
 * @param expectedLossOfKeeping {@code E[max(0, lift)]}: what keeping the control costs on average, counting only the
 *     cases where the treatment is better
 */
public record Posterior(
        double mean,
        double standardDeviation,
        double chanceToWin,
        double expectedLossOfShipping,
        double expectedLossOfKeeping) {

    public Posterior {
        Check.finite("mean", mean);
        Check.nonNegative("standardDeviation", standardDeviation);
        if (!(chanceToWin >= 0 && chanceToWin <= 1)) {
            throw new IllegalArgumentException("chanceToWin must lie in [0, 1], got " + chanceToWin);
        }
        Check.nonNegative("expectedLossOfShipping", expectedLossOfShipping);
        Check.nonNegative("expectedLossOfKeeping", expectedLossOfKeeping);
    }
}
