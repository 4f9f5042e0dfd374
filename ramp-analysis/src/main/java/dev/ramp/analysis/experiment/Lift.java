package dev.ramp.analysis.experiment;

/**
 * The difference a treatment made to a metric, against its control: an estimate, its standard error, a two-sided
 * {@code 1 - alpha} interval and the two-sided p-value of "no difference".
 *
 * <p>Absolute lifts are in the metric's unit ({@code treatment - control}); relative lifts are fractions
 * ({@code treatment / control - 1}, so 0.05 is five percent). Each method that returns a lift says which reference
 * distribution its interval and p-value come from, and when its fields are NaN.
 *
 * @param estimate the point estimate; NaN when undefined (for example a relative lift over a control mean of 0)
 * @param standardError the estimate's standard error, at least 0; NaN with the estimate
 * @param lower the interval's lower end, at most {@code upper}
 * @param upper the interval's upper end
 * @param pValue the two-sided p-value of {@code lift = 0}, in [0, 1]; NaN with the estimate
 * @param alpha the level the interval was computed at, in (0, 1): the interval covers with probability
 *     {@code 1 - alpha}
 */
public record Lift(double estimate, double standardError, double lower, double upper, double pValue, double alpha) {

    public Lift {
        Check.alpha(alpha);
        if (standardError < 0) {
            throw new IllegalArgumentException("standardError must be non-negative or NaN, got " + standardError);
        }
        if (pValue < 0 || pValue > 1) {
            throw new IllegalArgumentException("pValue must lie in [0, 1] or be NaN, got " + pValue);
        }
        if (lower > upper) {
            throw new IllegalArgumentException("lower must not exceed upper, got " + lower + " > " + upper);
        }
    }

    /** A lift whose every field is undefined, computed at {@code alpha}. */
    static Lift undefined(double alpha) {
        return new Lift(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, alpha);
    }

    /** Whether the interval holds {@code value}; false when the interval is undefined. */
    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }
}
