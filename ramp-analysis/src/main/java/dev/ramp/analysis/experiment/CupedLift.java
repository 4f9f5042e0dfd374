package dev.ramp.analysis.experiment;

import dev.ramp.analysis.Moments;
import java.util.Objects;

/**
 * The result of {@link Cuped#lift}: the lifts of the covariate-adjusted metric, and how the adjustment was made.
 *
 * @param absolute the absolute lift of the adjusted means (Welch, as {@link Means#absoluteLift})
 * @param relative the relative lift of the adjusted means (delta method, as {@link Means#relativeLift})
 * @param theta the pooled within-arm regression slope of {@code Y} on {@code X}; 0 when {@code X} does not vary within
 *     the arms
 * @param varianceReduction {@code 1 - Var(adjusted lift) / Var(unadjusted lift)} for the absolute lift: 0.3 means the
 *     adjusted estimate's variance is 30% smaller, as if the experiment had {@code 1/0.7} times the units. Usually in
 *     [0, 1); it can be slightly negative when the covariate does not predict the metric. NaN when the unadjusted
 *     variance is 0.
 * @param control the control arm's adjusted metric {@code Y - theta (X - mean X)}, as moments
 * @param treatment the treatment arm's adjusted metric, as moments
 */
public record CupedLift(
        Lift absolute, Lift relative, double theta, double varianceReduction, Moments control, Moments treatment) {

    public CupedLift {
        Objects.requireNonNull(absolute, "absolute");
        Objects.requireNonNull(relative, "relative");
        Check.finite("theta", theta);
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(treatment, "treatment");
    }
}
