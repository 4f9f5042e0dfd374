/**
 * Judging a canary against its stable arm: the data judges read ({@link dev.ramp.analysis.Interval} of
 * {@link dev.ramp.analysis.Counts} and {@link dev.ramp.analysis.Moments} per arm, and the observed
 * {@link dev.ramp.analysis.Split}), the {@link dev.ramp.analysis.Judge} interface, and what judges say
 * ({@link dev.ramp.analysis.Verdict} with {@link dev.ramp.analysis.Evidence}).
 *
 * <p>Everything in this module is pure: no I/O, no clock, no threads. Time and randomness come in as arguments, so
 * the release controller can replay a decision and tests never wait.
 */
package dev.ramp.analysis;
