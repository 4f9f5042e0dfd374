package dev.ramp.analysis;

import java.util.Objects;

/**
 * The result of one look: the judge's state to pass to the next look, and its verdict on everything seen so far.
 */
public record Look(JudgeState state, Verdict verdict) {

    public Look {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(verdict, "verdict");
    }
}
