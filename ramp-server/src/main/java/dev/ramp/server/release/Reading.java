package dev.ramp.server.release;

import dev.ramp.analysis.Arms;
import java.util.Objects;

/** What a metric's source gave for one interval. */
sealed interface Reading {

    /** Sums per arm, which the sequential judge compares and a threshold judges on the canary. */
    record Summed(Arms<?> arms) implements Reading {
        public Summed {
            Objects.requireNonNull(arms, "arms");
        }
    }

    /** One number, the canary's, for a threshold. */
    record Scalar(double canary) implements Reading {}

    /** Nothing to judge in the interval: held as no data. */
    record Missing(String reason) implements Reading {
        public Missing {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The source failed: held as an error. */
    record Failed(String reason) implements Reading {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
