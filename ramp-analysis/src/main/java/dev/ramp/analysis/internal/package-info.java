/**
 * The statistics behind the judges in {@link dev.ramp.analysis}, kept apart from the public API: the classes here are
 * public only so that the judges can reach them, and may change in any release.
 *
 * <p>{@link dev.ramp.analysis.internal.MannWhitney} is R's {@code wilcox.test} as Kayenta runs it, for
 * {@link dev.ramp.analysis.MannWhitneyJudge}, with the root finder it shares with R ({@code Zeroin}, package-private).
 */
package dev.ramp.analysis.internal;
