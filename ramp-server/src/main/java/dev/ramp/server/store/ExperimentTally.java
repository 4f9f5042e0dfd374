package dev.ramp.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a run of stored events adds to the experiments that count them, stored in the same transaction that moves the
 * counting cursor past those events, so that each event is counted exactly once.
 *
 * @param exposures  per experiment and unit, the earliest of the run's exposures to one of its arms
 * @param unitEvents per experiment, metric event name and unit: how many of the run's events and their values' sum
 */
public record ExperimentTally(List<Exposure> exposures, List<UnitEvents> unitEvents) {
    /** Nothing for any experiment. */
    public static final ExperimentTally NONE = new ExperimentTally(List.of(), List.of());

    public ExperimentTally {
        exposures = List.copyOf(exposures);
        unitEvents = List.copyOf(unitEvents);
    }

    public boolean isEmpty() {
        return exposures.isEmpty() && unitEvents.isEmpty();
    }

    /**
     * A stored event as counting reads it: what decides which experiments count it and how.
     *
     * @param id         its id, in commit order
     * @param name       the flag of an exposure, the event name of a metric event
     * @param variant    the variant of an exposure, {@code ""} for a metric event
     * @param occurredAt when it happened, by the SDK's clock
     */
    public record Event(long id, String environment, ClientEvent.Type type, String name, String variant, String unit,
                        double value, Instant occurredAt) {}

    /**
     * A unit was served {@code variant} at {@code at}, by the SDK's clock; the earliest exposure of a unit counts.
     * {@code severalArms} says it was also served another arm in the same run.
     */
    public record Exposure(String experiment, String unit, String variant, Instant at, boolean severalArms) {
        public Exposure {
            Objects.requireNonNull(experiment, "experiment");
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(variant, "variant");
            Objects.requireNonNull(at, "at");
        }
    }

    /** {@code events} metric events named {@code event} from {@code unit}, whose values add up to {@code total}. */
    public record UnitEvents(String experiment, String event, String unit, long events, double total) {
        public UnitEvents {
            Objects.requireNonNull(experiment, "experiment");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(unit, "unit");
            if (events < 1 || !Double.isFinite(total)) {
                throw new IllegalArgumentException("need at least one event and a finite total, got " + events + " and " + total);
            }
        }
    }
}
