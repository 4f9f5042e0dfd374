package dev.ramp.core.release;

import java.time.Instant;
import java.util.Objects;

/** Work {@link ReleaseMachine#due} asks of the server before the next decision. */
public sealed interface Due {

    /**
     * Measure {@code analysis} over {@code since} to {@code until}, continuing from {@code judgeState}, and report it
     * as {@link Observation.Measured}.
     */
    record Measure(boolean background, ReleasePlan.AnalysisPlan analysis, Instant since, Instant until,
                   String judgeState) implements Due {
        public Measure {
            Objects.requireNonNull(analysis, "analysis");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(judgeState, "judgeState");
        }
    }

    /** Ask the gate hook {@code on} and report its answer as {@link Observation.GateAnswered}. */
    record AskGate(String on) implements Due {
        public AskGate {
            Objects.requireNonNull(on, "on");
        }
    }
}
