package dev.ramp.analysis.experiment;

import dev.ramp.analysis.Moments;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Lifts of a mean (revenue per user, latency per request) from each arm's {@link Moments}.
 *
 * <p><b>Method.</b> The absolute lift {@code mean_t - mean_c} uses Welch's t-test: standard error
 * {@code sqrt(s_c^2/n_c + s_t^2/n_t)} with the sample variances (divided by {@code n - 1}), and the Welch–Satterthwaite
 * degrees of freedom {@code (v_c + v_t)^2 / (v_c^2/(n_c - 1) + v_t^2/(n_t - 1))} where {@code v = s^2/n}. The relative
 * lift {@code mean_t / mean_c - 1} takes its standard error from the delta method,
 * {@code sqrt(v_t / mean_c^2 + mean_t^2 v_c / mean_c^4)}, and its interval and p-value from the standard normal
 * distribution: the delta method is itself a large-sample approximation, so a t distribution would add no accuracy, and
 * there is no exact degrees-of-freedom count for a ratio.
 *
 * <p><b>References.</b> B. L. Welch (1947), "The generalization of 'Student's' problem when several different
 * population variances are involved", Biometrika 34; F. E. Satterthwaite (1946), Biometrics Bulletin 2; the delta method
 * as in A. Deng, U. Knoblich, J. Lu (2018), "Applying the Delta Method in Metric Analytics", KDD.
 */
public final class Means {

    private Means() {}

    /**
     * Welch's t-test of {@code mean_t - mean_c}: the interval {@code estimate ± t(1 - alpha/2, df) * standardError}
     * and the two-sided p-value from the t distribution with Welch–Satterthwaite degrees of freedom.
     *
     * <p>When both arms have zero variance the standard error is 0, the interval is the estimate alone, and the
     * p-value is 1 if the means are equal and 0 otherwise.
     *
     * @throws IllegalArgumentException if an arm has fewer than two values, or {@code alpha} is not in (0, 1)
     */
    public static Lift absoluteLift(Moments control, Moments treatment, double alpha) {
        Check.alpha(alpha);
        requireVariance("control", control);
        requireVariance("treatment", treatment);
        double vc = control.variance() / control.n();
        double vt = treatment.variance() / treatment.n();
        double estimate = treatment.mean() - control.mean();
        double variance = vc + vt;
        if (variance == 0) {
            return new Lift(estimate, 0, estimate, estimate, estimate == 0 ? 1 : 0, alpha);
        }
        double se = Math.sqrt(variance);
        double df = variance * variance / (vc * vc / (control.n() - 1) + vt * vt / (treatment.n() - 1));
        TDistribution t = TDistribution.of(df);
        double radius = t.inverseSurvivalProbability(alpha / 2) * se;
        double p = Math.min(1, 2 * t.survivalProbability(Math.abs(estimate) / se));
        return new Lift(estimate, se, estimate - radius, estimate + radius, p, alpha);
    }

    /**
     * The relative lift {@code mean_t / mean_c - 1} with a delta-method standard error and a normal interval and
     * p-value.
     *
     * <p>With a control mean of 0 the relative lift is undefined and every field but {@code alpha} is NaN. When the
     * delta-method standard error is 0 (both arms without variance, or the treatment arm all zeros) the interval is the
     * estimate alone and the p-value is 1 if the means are equal and 0 otherwise; in the second case prefer the
     * p-value of {@link #absoluteLift}, which still sees the control's variance.
     *
     * @throws IllegalArgumentException if an arm has fewer than two values, or {@code alpha} is not in (0, 1)
     */
    public static Lift relativeLift(Moments control, Moments treatment, double alpha) {
        Check.alpha(alpha);
        requireVariance("control", control);
        requireVariance("treatment", treatment);
        double c = control.mean();
        double t = treatment.mean();
        if (c == 0) {
            return Lift.undefined(alpha);
        }
        double variance = Gaussian.relativeVariance(
                t, treatment.variance() / treatment.n(), c, control.variance() / control.n());
        return Gaussian.lift(t / c - 1, Math.sqrt(variance), alpha);
    }

    static void requireVariance(String arm, Moments moments) {
        if (moments.n() < 2) {
            throw new IllegalArgumentException(arm + " needs at least 2 values for a variance, got n = " + moments.n());
        }
    }
}
