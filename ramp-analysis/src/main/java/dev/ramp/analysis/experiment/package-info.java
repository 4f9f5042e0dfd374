/**
 * Experiment statistics over per-arm sufficient statistics: what a treatment did to a metric, against its control.
 *
 * <p>Every function reads sums that add up across intervals and shards ({@link dev.ramp.analysis.Moments},
 * {@link dev.ramp.analysis.Counts}, {@link dev.ramp.analysis.experiment.RatioMoments},
 * {@link dev.ramp.analysis.experiment.CovariateMoments}) and returns an immutable result, most often a
 * {@link dev.ramp.analysis.experiment.Lift}:
 *
 * <ul>
 *   <li>{@link dev.ramp.analysis.experiment.Means}, {@link dev.ramp.analysis.experiment.Proportions},
 *       {@link dev.ramp.analysis.experiment.Ratios}: absolute and relative lifts of means (Welch), rates (z test) and
 *       ratio metrics (delta method);
 *   <li>{@link dev.ramp.analysis.experiment.Cuped}: the same with variance reduced by a pre-period covariate;
 *   <li>{@link dev.ramp.analysis.experiment.BayesianGaussian}: chance to win and expected loss of a lift;
 *   <li>{@link dev.ramp.analysis.experiment.ConfidenceSequence}: anytime-valid intervals, safe to look at any time;
 *   <li>{@link dev.ramp.analysis.experiment.SampleRatio}: the sample-ratio mismatch check;
 *   <li>{@link dev.ramp.analysis.experiment.PValues}: Holm and Benjamini–Hochberg adjustments;
 *   <li>{@link dev.ramp.analysis.experiment.SampleSize}: units per arm, and power.
 * </ul>
 *
 * <p>As the rest of the module, this package is pure: no I/O, no clock, no threads. Bad arguments (negative counts,
 * alpha outside (0, 1), too few units for a variance, NaN) throw {@link java.lang.IllegalArgumentException} naming the
 * parameter and its value; degenerate but valid data (no variance, a control mean of 0) give the result each method
 * documents. Control and treatment are the experiment's names for the arms the canary judges call stable and canary.
 */
package dev.ramp.analysis.experiment;
