/**
 * Synthetic canaries for judging the judges: a {@link dev.ramp.analysis.simulation.Scenario} describes traffic and
 * each arm's behaviour, and {@link dev.ramp.analysis.simulation.CanarySimulator} shows the same simulated seconds to
 * several judges and reports when each first failed the canary. Seeded and deterministic; ramp-bench's
 * {@code run.sh analysis} runs thousands of them and writes docs/analysis.md.
 */
package dev.ramp.analysis.simulation;
