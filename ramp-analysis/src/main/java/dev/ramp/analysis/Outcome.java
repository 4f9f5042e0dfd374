package dev.ramp.analysis;

/** What a judge concluded. */
public enum Outcome {
    /** The canary is good enough to go on. */
    PASS,
    /** The canary is worse: roll back. */
    FAIL,
    /** Not enough evidence either way yet (too few samples, no data, or a split that makes the arms incomparable). */
    INCONCLUSIVE
}
