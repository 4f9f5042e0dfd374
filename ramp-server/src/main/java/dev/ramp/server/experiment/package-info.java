/**
 * A/B experiments on a flag's variants: the operations that create, start, stop and ship them
 * ({@link dev.ramp.server.experiment.Experiments}), what a batch of SDK events adds to the experiments running in
 * its environment, and the scorecard that turns per-arm sums into results with a recommendation
 * ({@link dev.ramp.server.experiment.Scorecard}, pure, over {@code ramp-analysis}).
 */
package dev.ramp.server.experiment;
