package dev.ramp.analysis.experiment;

import dev.ramp.analysis.Counts;

/**
 * Lifts of a rate (conversions among units, errors among requests) from each arm's {@link Counts}.
 *
 * <p><b>Method.</b> The absolute lift {@code p_t - p_c} is tested with the two-proportion z test. Its p-value uses the
 * <em>pooled</em> standard error {@code sqrt(p(1 - p)(1/n_c + 1/n_t))}, with {@code p} the rate of both arms together,
 * because under the null hypothesis both arms share one rate; this is the classic test, equal to Pearson's chi-square
 * test of the 2x2 table without continuity correction (R's {@code prop.test(correct = FALSE)}, statsmodels'
 * {@code proportions_ztest}). Its interval uses the <em>unpooled</em> (Wald) standard error
 * {@code sqrt(p_c(1 - p_c)/n_c + p_t(1 - p_t)/n_t)}, because an interval is about every value of the lift, not only 0
 * (statsmodels' {@code confint_proportions_2indep(method = "wald")}). The lift's {@code standardError} is the unpooled
 * one. The two can disagree at the margin: an interval just excluding 0 with a p-value just above alpha, or the other way.
 *
 * <p>The relative lift {@code p_t / p_c - 1} takes the delta-method standard error
 * {@code sqrt(v_t / p_c^2 + p_t^2 v_c / p_c^4)}, {@code v = p(1 - p)/n}, for both its normal interval and its p-value.
 *
 * <p><b>References.</b> A. Agresti (2013), Categorical Data Analysis, 3rd ed., §3.1; R. G. Newcombe (1998), "Interval
 * estimation for the difference between independent proportions", Statistics in Medicine 17; A. Deng, U. Knoblich, J. Lu
 * (2018), "Applying the Delta Method in Metric Analytics", KDD.
 */
public final class Proportions {

    private Proportions() {}

    /**
     * The two-proportion z test of {@code p_t - p_c}: pooled p-value, unpooled interval (see the class note).
     *
     * <p>When both arms have the same rate of 0 or 1 the p-value is 1 and the interval is {@code [0, 0]}; when the
     * unpooled standard error is 0 but the pooled one is not (one arm all events, the other none) the interval is the
     * estimate alone.
     *
     * @throws IllegalArgumentException if an arm has no trials, or {@code alpha} is not in (0, 1)
     */
    public static Lift absoluteLift(Counts control, Counts treatment, double alpha) {
        Check.alpha(alpha);
        requireTrials("control", control);
        requireTrials("treatment", treatment);
        double pc = control.value();
        double pt = treatment.value();
        double nc = control.trials();
        double nt = treatment.trials();
        double pooled = (double) (control.events() + treatment.events()) / (nc + nt);
        double pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt));
        double unpooledSe = Math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt);
        return Gaussian.lift(pt - pc, unpooledSe, pooledSe, alpha);
    }

    /**
     * The relative lift {@code p_t / p_c - 1} with a delta-method standard error and a normal interval and p-value.
     *
     * <p>With a control rate of 0 the relative lift is undefined and every field but {@code alpha} is NaN. When both
     * rates are 1 the standard error is 0, the interval is {@code [0, 0]} and the p-value 1. When the treatment has no
     * events the delta-method standard error is 0 too, so the lift is -1 with p-value 0: the delta method breaks down
     * there, and the p-value of {@link #absoluteLift} (which is the test of the same hypothesis, equal rates) should be
     * read instead.
     *
     * @throws IllegalArgumentException if an arm has no trials, or {@code alpha} is not in (0, 1)
     */
    public static Lift relativeLift(Counts control, Counts treatment, double alpha) {
        Check.alpha(alpha);
        requireTrials("control", control);
        requireTrials("treatment", treatment);
        double pc = control.value();
        double pt = treatment.value();
        if (pc == 0) {
            return Lift.undefined(alpha);
        }
        double variance = Gaussian.relativeVariance(
                pt, pt * (1 - pt) / treatment.trials(), pc, pc * (1 - pc) / control.trials());
        return Gaussian.lift(pt / pc - 1, Math.sqrt(variance), alpha);
    }

    private static void requireTrials(String arm, Counts counts) {
        if (counts.trials() < 1) {
            throw new IllegalArgumentException(arm + " needs at least 1 trial, got trials = " + counts.trials());
        }
    }
}
