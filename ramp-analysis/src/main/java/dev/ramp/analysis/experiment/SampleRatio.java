package dev.ramp.analysis.experiment;

import dev.ramp.analysis.Split;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * The sample-ratio mismatch (SRM) check: do the units each arm got fit the weights assignment asked for? A mismatch
 * means something (a redirect, a crash, a bot filter, a caching layer) removed units from one arm more than another,
 * so the arms no longer compare like with like.
 *
 * <p><b>Method.</b> Pearson's chi-square goodness-of-fit test: with {@code N} units and weights {@code w_i}, the
 * statistic is {@code sum (o_i - N w_i)^2 / (N w_i)}, compared with the chi-square distribution with {@code k - 1}
 * degrees of freedom. The check flags a mismatch below {@link #MISMATCH_P_VALUE}.
 *
 * <p><b>References.</b> K. Pearson (1900), Philosophical Magazine 50; A. Fabijan et al. (2019), "Diagnosing Sample
 * Ratio Mismatch in Online Controlled Experiments", KDD; R. Kohavi, D. Tang, Y. Xu (2020), Trustworthy Online
 * Controlled Experiments, ch. 21.
 */
public final class SampleRatio {

    /**
     * The p-value below which the check flags a mismatch. It is deliberately strict: the check runs on every experiment
     * and often at every look, true mismatches give tiny p-values at realistic unit counts, and a false alarm stops a
     * sound experiment. 0.001 is the threshold Fabijan et al. and Kohavi et al. recommend.
     */
    public static final double MISMATCH_P_VALUE = 0.001;

    /** How far the weights' sum may be from 1, to allow for decimal weights such as 1/3. */
    static final double WEIGHT_SUM_TOLERANCE = 1e-9;

    private SampleRatio() {}

    /**
     * Checks the observed units per arm against the expected weights, in the same arm order.
     *
     * <p>With no units at all there is nothing to check: statistic 0, p-value 1, no mismatch.
     *
     * @throws IllegalArgumentException if there are fewer than two arms, the arrays differ in length, a unit count is
     *     negative, a weight is not in (0, 1), or the weights do not sum to 1 (within 1e-9)
     */
    public static SampleRatioCheck check(long[] units, double[] weights) {
        if (units.length != weights.length) {
            throw new IllegalArgumentException("units and weights need one entry per arm, got "
                    + units.length + " and " + weights.length);
        }
        if (units.length < 2) {
            throw new IllegalArgumentException("a sample-ratio check needs at least 2 arms, got " + units.length);
        }
        double weightSum = 0;
        double total = 0;
        for (int i = 0; i < units.length; i++) {
            Check.atLeast("units[" + i + "]", units[i], 0);
            Check.probability("weights[" + i + "]", weights[i]);
            weightSum += weights[i];
            total += units[i];
        }
        if (Math.abs(weightSum - 1) > WEIGHT_SUM_TOLERANCE) {
            throw new IllegalArgumentException("weights must sum to 1, got " + weightSum);
        }
        int df = units.length - 1;
        if (total == 0) {
            return new SampleRatioCheck(0, df, 1, false);
        }
        double statistic = 0;
        for (int i = 0; i < units.length; i++) {
            double expected = total * weights[i];
            double gap = units[i] - expected;
            statistic += gap * gap / expected;
        }
        double p = ChiSquaredDistribution.of(df).survivalProbability(statistic);
        return new SampleRatioCheck(statistic, df, p, p < MISMATCH_P_VALUE);
    }

    /**
     * Checks a two-arm {@link Split}: the stable arm expects {@code 1 - canaryWeight}, the canary arm
     * {@code canaryWeight}.
     *
     * @throws IllegalArgumentException if the split was not measured, or its canary weight is 0 or 1
     */
    public static SampleRatioCheck check(Split split) {
        if (!split.isMeasured()) {
            throw new IllegalArgumentException("split must be measured, got " + split);
        }
        return check(new long[] {split.stableUnits(), split.canaryUnits()},
                new double[] {1 - split.canaryWeight(), split.canaryWeight()});
    }
}
