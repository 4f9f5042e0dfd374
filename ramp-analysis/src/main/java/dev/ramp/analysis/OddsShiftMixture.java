package dev.ramp.analysis;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * A mixture e-process for a share: is the share of hits among trials the null share, or shifted on the log-odds
 * scale? It backs two tests.
 *
 * <ul>
 *   <li>Which arm each error came from. Given an interval's total errors, and with the error rate equal on both arms,
 *       the canary's errors are (at most as dispersed as) Binomial(total, canary's share of requests); a higher
 *       canary error rate shifts that share's odds by the rate ratio. This is the exact conditional test for two
 *       Poisson rates, and for binomial errors the central hypergeometric lies below the binomial in convex order
 *       (Hoeffding 1963), so the null stays a supermartingale.
 *   <li>The split: under the requested weight w each unit lands on the canary with probability w.
 * </ul>
 *
 * <p>The alternatives are a grid of log-odds shifts at the quantile midpoints of a half-normal prior (one-sided) or a
 * normal prior (two-sided), equally weighted. For each shift the running log likelihood ratio against the null is a
 * sum over intervals, so the null share may change from interval to interval (weights step up during a release) and
 * the product stays a test supermartingale. Their average is the e-value: by Ville's inequality the chance that it
 * ever reaches 1/α under the null is at most α, however often it is looked at.
 *
 * <p>References: Wald (1945) and Robbins (1970) on mixture sequential probability ratio tests; Lindon and Malek,
 * "Anytime-Valid Inference for Multinomial Count Data" (NeurIPS 2022) for counts and sample-ratio mismatch;
 * Ramdas et al., "Game-theoretic statistics and safe anytime-valid inference" (2023) for e-processes.
 */
final class OddsShiftMixture {

    private static final int POINTS_PER_SIDE = 32;

    private final double[] shifts;
    private final double[] oddsFactorsLessOne;

    private OddsShiftMixture(double[] shifts) {
        this.shifts = shifts;
        this.oddsFactorsLessOne = new double[shifts.length];
        for (int i = 0; i < shifts.length; i++) {
            oddsFactorsLessOne[i] = Math.expm1(shifts[i]);
        }
    }

    /** Alternatives that shift the odds up (or, with {@code up = false}, down), half-normal with the given scale. */
    static OddsShiftMixture oneSided(double scale, boolean up) {
        double[] shifts = new double[POINTS_PER_SIDE];
        for (int i = 0; i < POINTS_PER_SIDE; i++) {
            double shift = scale * halfNormalMidpoint(i);
            shifts[i] = up ? shift : -shift;
        }
        return new OddsShiftMixture(shifts);
    }

    /** Alternatives that shift the odds either way, normal with the given scale. */
    static OddsShiftMixture twoSided(double scale) {
        double[] shifts = new double[2 * POINTS_PER_SIDE];
        for (int i = 0; i < POINTS_PER_SIDE; i++) {
            double shift = scale * halfNormalMidpoint(i);
            shifts[2 * i] = shift;
            shifts[2 * i + 1] = -shift;
        }
        return new OddsShiftMixture(shifts);
    }

    private static double halfNormalMidpoint(int i) {
        double probability = 0.5 + 0.5 * (i + 0.5) / POINTS_PER_SIDE;
        return NormalDistribution.of(0, 1).inverseCumulativeProbability(probability);
    }

    /** The log likelihood ratios before any data. */
    double[] start() {
        return new double[shifts.length];
    }

    /**
     * Adds one interval's trials: {@code hits} of {@code trials} fell on the side whose null share is
     * {@code nullShare}. Returns the new log likelihood ratios; {@code logRatios} is not changed.
     */
    double[] update(double[] logRatios, double nullShare, long hits, long trials) {
        if (trials == 0 || !(nullShare > 0 && nullShare < 1)) {
            return logRatios;
        }
        double[] next = new double[shifts.length];
        for (int i = 0; i < shifts.length; i++) {
            // odds(q) = e^shift * odds(p): log(q/p) = shift - log(1 + p(e^shift - 1)), log((1-q)/(1-p)) = -log(...)
            next[i] = logRatios[i] + hits * shifts[i] - trials * Math.log1p(nullShare * oddsFactorsLessOne[i]);
        }
        return next;
    }

    /** The log of the e-value: the log of the mean likelihood ratio over the alternatives. */
    static double logEValue(double[] logRatios) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : logRatios) {
            max = Math.max(max, value);
        }
        if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double value : logRatios) {
            sum += Math.exp(value - max);
        }
        return max + Math.log(sum / logRatios.length);
    }
}
