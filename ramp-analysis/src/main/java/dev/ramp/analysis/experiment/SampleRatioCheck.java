package dev.ramp.analysis.experiment;

/**
 * The result of {@link SampleRatio#check}: whether the units each arm got fit the weights assignment asked for.
 *
 * @param statistic Pearson's chi-square statistic, at least 0
 * @param degreesOfFreedom the number of arms minus one
 * @param pValue the probability of a statistic at least this large if assignment worked, in [0, 1]
 * @param mismatch whether {@code pValue < }{@link SampleRatio#MISMATCH_P_VALUE}: the arms are then not comparable and
 *     the experiment's lifts should not be trusted
 */
public record SampleRatioCheck(double statistic, int degreesOfFreedom, double pValue, boolean mismatch) {

    public SampleRatioCheck {
        Check.nonNegative("statistic", statistic);
        Check.atLeast("degreesOfFreedom", degreesOfFreedom, 1);
        if (!(pValue >= 0 && pValue <= 1)) {
            throw new IllegalArgumentException("pValue must lie in [0, 1], got " + pValue);
        }
    }
}
