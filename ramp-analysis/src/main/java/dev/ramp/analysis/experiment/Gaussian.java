package dev.ramp.analysis.experiment;

import org.apache.commons.statistics.distribution.NormalDistribution;

/** Lifts whose interval and p-value come from the standard normal distribution. */
final class Gaussian {

    static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

    private Gaussian() {}

    /** The two-sided critical value {@code z} with {@code P(|Z| > z) = alpha}. */
    static double critical(double alpha) {
        return STANDARD.inverseSurvivalProbability(alpha / 2);
    }

    /** The two-sided p-value of a z statistic, capped at 1. */
    static double pValue(double z) {
        return Math.min(1, 2 * STANDARD.survivalProbability(Math.abs(z)));
    }

    /**
     * A Wald lift: {@code estimate ± z * standardError}, p-value from {@code estimate / testStandardError}. A test
     * standard error of 0 gives p-value 1 for an estimate of 0 and 0 otherwise; a NaN estimate or standard error gives
     * the undefined lift.
     */
    static Lift lift(double estimate, double standardError, double testStandardError, double alpha) {
        if (Double.isNaN(estimate) || Double.isNaN(standardError) || Double.isNaN(testStandardError)) {
            return Lift.undefined(alpha);
        }
        double radius = critical(alpha) * standardError;
        return new Lift(estimate, standardError, estimate - radius, estimate + radius,
                pValueOf(estimate, testStandardError), alpha);
    }

    static Lift lift(double estimate, double standardError, double alpha) {
        return lift(estimate, standardError, standardError, alpha);
    }

    /** The two-sided p-value of {@code estimate / standardError}, with the degenerate case {@code standardError = 0}. */
    static double pValueOf(double estimate, double standardError) {
        if (standardError == 0) {
            return estimate == 0 ? 1 : 0;
        }
        return pValue(estimate / standardError);
    }

    /**
     * The delta-method variance of {@code t / c - 1} for independent estimates {@code t} and {@code c} with variances
     * {@code varT} and {@code varC}: {@code varT / c^2 + t^2 varC / c^4}. NaN when {@code c = 0}.
     */
    static double relativeVariance(double t, double varT, double c, double varC) {
        if (c == 0) {
            return Double.NaN;
        }
        double c2 = c * c;
        return varT / c2 + t * t * varC / (c2 * c2);
    }
}
