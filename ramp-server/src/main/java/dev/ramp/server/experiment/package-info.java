/**
 * A/B experiments on a flag's variants: the operations that create, start, stop and ship them and the counting of
 * the exposures and metric events SDKs send ({@link dev.ramp.server.experiment.Experiments}), and the scorecard that
 * turns per-arm sums into results with a recommendation ({@link dev.ramp.server.experiment.Scorecard}, pure, over
 * {@code ramp-analysis}).
 */
package dev.ramp.server.experiment;
