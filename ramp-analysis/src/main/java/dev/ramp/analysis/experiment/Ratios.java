package dev.ramp.analysis.experiment;

/**
 * Lifts of a ratio metric (revenue per session, errors per page view) when units (users) are assigned to arms but the
 * metric divides two per-unit sums, from each arm's {@link RatioMoments}.
 *
 * <p><b>Method.</b> Each arm's ratio {@code R = sum(a) / sum(b)} is a ratio of two means over the same units, so the
 * naive per-session variance is wrong (sessions of one user are not independent). The delta method gives
 * {@code Var(R) ≈ (s_aa - 2 R s_ab + R^2 s_bb) / (n b̄^2)} (see {@link RatioMoments#ratioVariance()}). The absolute lift
 * {@code R_t - R_c} has variance {@code Var(R_t) + Var(R_c)}; the relative lift {@code R_t / R_c - 1} has
 * {@code Var(R_t) / R_c^2 + R_t^2 Var(R_c) / R_c^4}. Both intervals and p-values use the standard normal distribution,
 * as the method is asymptotic.
 *
 * <p><b>References.</b> A. Deng, U. Knoblich, J. Lu (2018), "Applying the Delta Method in Metric Analytics: A Practical
 * Guide with Novel Ideas", KDD; R. Kohavi, D. Tang, Y. Xu (2020), Trustworthy Online Controlled Experiments, ch. 18.
 */
public final class Ratios {

    private Ratios() {}

    /**
     * The absolute lift {@code R_t - R_c} with a normal interval and p-value.
     *
     * <p>When an arm's denominators sum to 0 every field but {@code alpha} is NaN. When both ratios have zero variance
     * the p-value is 1 if they are equal and 0 otherwise.
     *
     * @throws IllegalArgumentException if an arm has fewer than two units, or {@code alpha} is not in (0, 1)
     */
    public static Lift absoluteLift(RatioMoments control, RatioMoments treatment, double alpha) {
        Check.alpha(alpha);
        requireUnits("control", control);
        requireUnits("treatment", treatment);
        double variance = control.ratioVariance() + treatment.ratioVariance();
        return Gaussian.lift(treatment.ratio() - control.ratio(), Math.sqrt(variance), alpha);
    }

    /**
     * The relative lift {@code R_t / R_c - 1} with a delta-method standard error and a normal interval and p-value.
     *
     * <p>When an arm's denominators sum to 0, or the control ratio is 0, every field but {@code alpha} is NaN.
     *
     * @throws IllegalArgumentException if an arm has fewer than two units, or {@code alpha} is not in (0, 1)
     */
    public static Lift relativeLift(RatioMoments control, RatioMoments treatment, double alpha) {
        Check.alpha(alpha);
        requireUnits("control", control);
        requireUnits("treatment", treatment);
        double c = control.ratio();
        double t = treatment.ratio();
        if (c == 0 || Double.isNaN(c) || Double.isNaN(t)) {
            return Lift.undefined(alpha);
        }
        double variance = Gaussian.relativeVariance(t, treatment.ratioVariance(), c, control.ratioVariance());
        return Gaussian.lift(t / c - 1, Math.sqrt(variance), alpha);
    }

    private static void requireUnits(String arm, RatioMoments moments) {
        if (moments.n() < 2) {
            throw new IllegalArgumentException(arm + " needs at least 2 units for a variance, got n = " + moments.n());
        }
    }
}
