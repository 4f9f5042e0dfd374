package dev.ramp.analysis;

/**
 * What a judge remembers between looks. Each judge has its own kind; it is a plain record of numbers and lists, so
 * the release controller can persist it and resume after a restart.
 */
public sealed interface JudgeState
        permits SequentialGuardrail.State, ThresholdJudge.State, MannWhitneyJudge.State {

    /** How many intervals this state has seen. */
    long intervals();
}
