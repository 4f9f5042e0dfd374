package dev.ramp.analysis.experiment;

import dev.ramp.analysis.Moments;

/**
 * CUPED (Controlled-experiment Using Pre-Experiment Data): a variance reduction that subtracts from each unit's metric
 * the part a pre-period covariate predicts.
 *
 * <p><b>Method.</b> Each unit's metric becomes {@code Y' = Y - theta (X - m)}, where {@code m} is the covariate's mean
 * over both arms and {@code theta = sum_arms S_xy / sum_arms S_xx} is the pooled within-arm least-squares slope of
 * {@code Y} on {@code X} ({@code S} are the arms' centred sums of squares and products). Pooling within arms, rather than
 * over the union of both arms, keeps the treatment's shift of {@code Y} out of the slope; the resulting absolute lift
 * equals the treatment coefficient of the ANCOVA regression {@code Y ~ arm + X}. The adjusted values keep each arm's
 * expected mean (the covariate is independent of assignment), and their sums are exact functions of the
 * {@link CovariateMoments}, so the adjusted arms are ordinary {@link Moments} and go through {@link Means}' Welch test
 * and delta-method relative lift. As in Deng et al., {@code theta} is treated as known: its estimation error is of
 * smaller order and is ignored.
 *
 * <p><b>References.</b> A. Deng, Y. Xu, R. Kohavi, T. Walker (2013), "Improving the Sensitivity of Online Controlled
 * Experiments by Utilizing Pre-Experiment Data", WSDM; W. Lin (2013), "Agnostic notes on regression adjustments to
 * experimental data", Annals of Applied Statistics 7.
 */
public final class Cuped {

    private Cuped() {}

    /**
     * The covariate-adjusted lifts of the metric {@code Y} (see the class note).
     *
     * <p>When {@code X} is constant within both arms {@code theta} is 0 and the result is the unadjusted analysis. The
     * lifts' own degenerate cases are those of {@link Means}.
     *
     * @throws IllegalArgumentException if an arm has fewer than two units, or {@code alpha} is not in (0, 1)
     */
    public static CupedLift lift(CovariateMoments control, CovariateMoments treatment, double alpha) {
        Check.alpha(alpha);
        Means.requireVariance("control", control.metric());
        Means.requireVariance("treatment", treatment.metric());
        double sxx = control.centredXSquares() + treatment.centredXSquares();
        double theta = sxx == 0 ? 0 : (control.centredProducts() + treatment.centredProducts()) / sxx;
        double m = (control.sumX() + treatment.sumX()) / (control.n() + treatment.n());
        Moments adjustedControl = theta == 0 ? control.metric() : adjusted(control, theta, m);
        Moments adjustedTreatment = theta == 0 ? treatment.metric() : adjusted(treatment, theta, m);
        double before = control.metric().variance() / control.n() + treatment.metric().variance() / treatment.n();
        double after = adjustedControl.variance() / control.n() + adjustedTreatment.variance() / treatment.n();
        return new CupedLift(
                Means.absoluteLift(adjustedControl, adjustedTreatment, alpha),
                Means.relativeLift(adjustedControl, adjustedTreatment, alpha),
                theta,
                before == 0 ? Double.NaN : 1 - after / before,
                adjustedControl,
                adjustedTreatment);
    }

    /** The moments of {@code Y - theta (X - m)} on one arm. */
    private static Moments adjusted(CovariateMoments arm, double theta, double m) {
        long n = arm.n();
        double sum = arm.sumY() - theta * (arm.sumX() - n * m);
        double centred = Math.max(0,
                arm.centredYSquares() - 2 * theta * arm.centredProducts() + theta * theta * arm.centredXSquares());
        return new Moments(n, sum, centred + sum * sum / n);
    }
}
