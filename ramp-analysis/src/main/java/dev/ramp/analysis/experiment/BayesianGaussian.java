package dev.ramp.analysis.experiment;

/**
 * A Bayesian reading of a lift: the posterior of the true lift given its estimate, treating the estimate as normal with
 * known standard error (the large-sample likelihood every {@link Lift} in this package rests on).
 *
 * <p><b>Method.</b> With estimate {@code d} and standard error {@code s}, the likelihood is {@code N(d; lift, s^2)}.
 * Under the flat (improper) prior the posterior is {@code N(d, s^2)}. Under the prior {@code N(0, tau^2)}, which shrinks
 * lifts towards 0 and encodes that most changes move metrics little, the posterior is normal with variance
 * {@code v = 1 / (1/s^2 + 1/tau^2)} and mean {@code v d / s^2}. For a posterior {@code N(mu, sigma^2)}:
 * chance to win {@code P(lift > 0) = Phi(mu / sigma)}; expected loss of shipping
 * {@code E[max(0, -lift)] = sigma phi(mu/sigma) - mu Phi(-mu/sigma)}; expected loss of keeping
 * {@code E[max(0, lift)] = sigma phi(mu/sigma) + mu Phi(mu/sigma)}.
 *
 * <p><b>References.</b> A. Gelman et al. (2013), Bayesian Data Analysis, 3rd ed., §2.5 (normal with known variance);
 * C. Stucchio (2015), "Bayesian A/B Testing at VWO" (expected loss as the decision rule); A. Deng (2015), "Objective
 * Bayesian Two Sample Hypothesis Testing for Online Controlled Experiments", WWW.
 */
public final class BayesianGaussian {

    private BayesianGaussian() {}

    /**
     * The posterior under the flat prior.
     *
     * <p>A standard error of 0 gives a point mass at the estimate: chance to win 1 if it is positive and 0 otherwise,
     * and losses {@code max(0, -estimate)} and {@code max(0, estimate)}.
     *
     * @throws IllegalArgumentException if {@code estimate} is not finite or {@code standardError} is negative or not
     *     finite
     */
    public static Posterior posterior(double estimate, double standardError) {
        Check.finite("estimate", estimate);
        Check.nonNegative("standardError", standardError);
        return of(estimate, standardError);
    }

    /**
     * The posterior under the prior {@code N(0, priorVariance)}.
     *
     * @throws IllegalArgumentException if {@code estimate} is not finite, {@code standardError} is negative or not
     *     finite, or {@code priorVariance} is not positive and finite
     */
    public static Posterior posterior(double estimate, double standardError, double priorVariance) {
        Check.finite("estimate", estimate);
        Check.nonNegative("standardError", standardError);
        Check.positive("priorVariance", priorVariance);
        if (standardError == 0) {
            return of(estimate, 0);
        }
        double likelihoodVariance = standardError * standardError;
        double variance = 1 / (1 / likelihoodVariance + 1 / priorVariance);
        return of(variance * estimate / likelihoodVariance, Math.sqrt(variance));
    }

    /**
     * The posterior of a lift's estimate and standard error under the flat prior.
     *
     * @throws IllegalArgumentException if the lift is undefined (NaN)
     */
    public static Posterior posterior(Lift lift) {
        return posterior(lift.estimate(), lift.standardError());
    }

    private static Posterior of(double mean, double sd) {
        if (sd == 0) {
            return new Posterior(mean, 0, mean > 0 ? 1 : 0, Math.max(0, -mean), Math.max(0, mean));
        }
        double z = mean / sd;
        double density = Gaussian.STANDARD.density(z);
        double win = Gaussian.STANDARD.cumulativeProbability(z);
        double lose = Gaussian.STANDARD.survivalProbability(z);
        return new Posterior(mean, sd, win,
                Math.max(0, sd * density - mean * lose), Math.max(0, sd * density + mean * win));
    }
}
