package dev.ramp.core.release;

import java.util.Objects;

/** What {@link ReleaseMachine#next} reacts to. */
public sealed interface Observation {

    /** Time has passed: pauses may have ended. */
    record Tick() implements Observation {}

    /**
     * An analysis was measured, as {@link ReleaseMachine#due} asked. A measurement of an interval the run is not
     * waiting for (an old one, given twice) changes nothing.
     */
    record Measured(boolean background, Measurement measurement) implements Observation {
        public Measured {
            Objects.requireNonNull(measurement, "measurement");
        }
    }

    /** The current step's gate was asked: {@code open} when its hook answered 2xx. */
    record GateAnswered(String on, boolean open, String detail) implements Observation {
        public GateAnswered {
            Objects.requireNonNull(on, "on");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Someone asked for a change by hand. */
    record Command(Kind kind, String actor) implements Observation {
        /** What can be asked of a release by hand. */
        public enum Kind {
            /** End the current step now and go on to the next. */
            PROMOTE,
            /** Skip every step left: give the new version everything now. */
            PROMOTE_FULL,
            /** Roll back now. */
            ABORT,
            /** Run a rolled-back release's plan again from its first step. */
            RETRY,
            /** Stop ending steps until resumed. */
            PAUSE,
            RESUME,
            /** Put a promoted release's target back where it was before the release. */
            UNDO
        }

        public Command {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(actor, "actor");
        }
    }
}
