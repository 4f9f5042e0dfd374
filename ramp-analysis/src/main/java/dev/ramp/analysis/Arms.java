package dev.ramp.analysis;

import java.util.Objects;

/**
 * One metric's summary on each arm: the stable arm (the baseline, or blue, or control) and the canary arm (the new
 * version, or green, or treatment).
 */
public record Arms<S extends Summary>(S stable, S canary) {

    public Arms {
        Objects.requireNonNull(stable, "stable");
        Objects.requireNonNull(canary, "canary");
        if (stable.getClass() != canary.getClass()) {
            throw new IllegalArgumentException("both arms need the same kind of summary, got "
                    + stable.getClass().getSimpleName() + " and " + canary.getClass().getSimpleName());
        }
    }

    public static <S extends Summary> Arms<S> of(S stable, S canary) {
        return new Arms<>(stable, canary);
    }

    /** The same summaries with the arms' roles exchanged. */
    public Arms<S> swapped() {
        return new Arms<>(canary, stable);
    }
}
