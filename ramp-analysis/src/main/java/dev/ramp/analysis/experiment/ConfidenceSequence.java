package dev.ramp.analysis.experiment;

import org.apache.commons.numbers.rootfinder.BrentSolver;

/**
 * Anytime-valid intervals for a lift: a confidence sequence covers the true lift at every look at once with
 * probability at least {@code 1 - alpha}, so the experiment may be looked at after every unit and stopped at any time
 * without inflating the error rate the way repeated fixed-sample tests do.
 *
 * <p><b>Method.</b> The two-sided normal-mixture boundary: for an estimate with variance {@code V} (shrinking as data
 * arrive) and a mixing variance {@code tau^2}, the radius is
 * {@code sqrt(2 V (V + tau^2) / tau^2 * ln(sqrt((V + tau^2) / V) / alpha))}. It is the set of lifts {@code l} whose
 * mixture likelihood ratio {@code Lambda(l) = sqrt(V / (V + tau^2)) exp(tau^2 (d - l)^2 / (2 V (V + tau^2)))} stays below
 * {@code 1 / alpha}; by Ville's inequality that ratio, a nonnegative martingale under {@code l}, ever reaches
 * {@code 1/alpha} with probability at most {@code alpha}. The matching p-value at one look is {@code min(1, 1/Lambda(0))};
 * the anytime-valid p-value is the running minimum over looks, which the caller keeps (this class holds no state). The
 * guarantee is exact for Gaussian estimates and asymptotic otherwise, as for every {@link Lift} here. The radius always
 * exceeds the fixed-sample one at the same alpha: that is the price of peeking.
 *
 * <p>{@code tau^2} only moves where the boundary is tightest: it is tightest when {@code V = tau^2 / x*}, with
 * {@code x*} the positive root of {@code x - ln(1 + x) = ln(1/alpha^2)}, that is {@code x* = -W_{-1}(-alpha^2/e) - 1}
 * (Lambert's W, lower branch). {@link #mixingVariance(double, double)} picks {@code tau^2} so that the boundary is
 * tightest at the planned end of the experiment. Choose it before looking at the data.
 *
 * <p><b>References.</b> S. R. Howard, A. Ramdas, J. McAuliffe, J. Sekhon (2021), "Time-uniform, nonparametric,
 * nonasymptotic confidence sequences", Annals of Statistics 49 (the normal mixture boundary, and the rule for the
 * mixing variance that minimises it at one time); R. Johari, L. Pekelis, D. Walsh (2017), "Peeking at A/B tests: why it
 * matters, and what to do about it", KDD (the mSPRT and its always-valid p-value).
 */
public final class ConfidenceSequence {

    private static final BrentSolver SOLVER = new BrentSolver(1e-15, 1e-15, 1e-15);

    private ConfidenceSequence() {}

    /**
     * The boundary's radius for an estimate with variance {@code variance}; 0 when the variance is 0.
     *
     * @throws IllegalArgumentException if {@code variance} is negative or not finite, {@code mixingVariance} not
     *     positive and finite, or {@code alpha} not in (0, 1)
     */
    public static double radius(double variance, double mixingVariance, double alpha) {
        Check.nonNegative("variance", variance);
        Check.positive("mixingVariance", mixingVariance);
        Check.alpha(alpha);
        if (variance == 0) {
            return 0;
        }
        double sum = variance + mixingVariance;
        double log = 0.5 * Math.log(sum / variance) - Math.log(alpha);
        return Math.sqrt(2 * variance * sum / mixingVariance * log);
    }

    /**
     * The mixing variance whose boundary is tightest when the estimate's variance reaches {@code plannedVariance}:
     * {@code plannedVariance * x*}, with {@code x*} as in the class note. For a difference of means planned at
     * {@code n} units per arm, {@code plannedVariance = s_c^2/n + s_t^2/n} with the expected standard deviations.
     *
     * @throws IllegalArgumentException if {@code plannedVariance} is not positive and finite, or {@code alpha} not in
     *     (0, 1)
     */
    public static double mixingVariance(double plannedVariance, double alpha) {
        Check.positive("plannedVariance", plannedVariance);
        Check.alpha(alpha);
        double c = -2 * Math.log(alpha);
        // x - ln(1 + x) - c is increasing for x > 0, negative at 0, and positive at c + ln(1 + 2c) + 1.
        double x = SOLVER.findRoot(v -> v - Math.log1p(v) - c, 0, c + Math.log1p(2 * c) + 1);
        return plannedVariance * x;
    }

    /**
     * The anytime-valid lift: {@code estimate ± radius(standardError^2, mixingVariance, alpha)}, with the mixture
     * p-value at this look ({@code min(1, 1/Lambda(0))}, see the class note).
     *
     * <p>A standard error of 0 gives the estimate alone as interval, and p-value 1 if it is 0 and 0 otherwise.
     *
     * @throws IllegalArgumentException if {@code estimate} is not finite, {@code standardError} negative or not finite,
     *     {@code mixingVariance} not positive and finite, or {@code alpha} not in (0, 1)
     */
    public static Lift lift(double estimate, double standardError, double mixingVariance, double alpha) {
        Check.finite("estimate", estimate);
        Check.nonNegative("standardError", standardError);
        double variance = standardError * standardError;
        double r = radius(variance, mixingVariance, alpha);
        double p;
        if (variance == 0) {
            p = estimate == 0 ? 1 : 0;
        } else {
            double sum = variance + mixingVariance;
            double logLambda = 0.5 * Math.log(variance / sum)
                    + mixingVariance * estimate * estimate / (2 * variance * sum);
            p = Math.exp(Math.min(0, -logLambda));
        }
        return new Lift(estimate, standardError, estimate - r, estimate + r, p, alpha);
    }

    /**
     * The anytime-valid counterpart of a fixed-sample lift: same estimate, standard error and alpha.
     *
     * @throws IllegalArgumentException if the lift is undefined (NaN), or {@code mixingVariance} is not positive and
     *     finite
     */
    public static Lift of(Lift fixed, double mixingVariance) {
        return lift(fixed.estimate(), fixed.standardError(), mixingVariance, fixed.alpha());
    }
}
