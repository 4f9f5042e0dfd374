package dev.ramp.analysis;

/**
 * Judges a canary against its stable arm, one interval at a time.
 *
 * <p>A judge is immutable configuration. Its memory of past intervals is the {@link JudgeState} it hands back with
 * each verdict, which the caller keeps (and may persist) and passes to the next look. Judges are pure: the same state
 * and interval always give the same look, and {@code look} never reads a clock, a random source or a file.
 *
 * <p>{@link SequentialGuardrail} is the default: it may be looked at as often as wanted without raising its false
 * failure rate above the α it was given. {@link ThresholdJudge} (the Argo Rollouts and Flagger way) and
 * {@link MannWhitneyJudge} (the Kayenta way) are there for comparison and for teams moving from those tools.
 */
public sealed interface Judge permits SequentialGuardrail, ThresholdJudge, MannWhitneyJudge {

    /** The state before the first interval. */
    JudgeState start();

    /**
     * Adds one interval to what the judge has seen and judges everything seen so far.
     *
     * @throws IllegalArgumentException if {@code state} came from another kind of judge, or a metric's summary is not
     *     of the kind the judge was configured for
     */
    Look look(JudgeState state, Interval interval);
}
