package dev.ramp.server.store;

import java.util.Objects;

/**
 * One arm's sums for one metric event, over the units whose first exposure was to this arm. For each unit, {@code c}
 * is how many of the events it sent and {@code v} the sum of their values (both 0 for a unit that sent none).
 *
 * @param variant       the arm
 * @param units         how many units were exposed to it
 * @param converted     how many of them sent at least one event
 * @param sum           {@code sum(v)}
 * @param sumOfSquares  {@code sum(v^2)}
 * @param events        {@code sum(c)}
 * @param eventsSquares {@code sum(c^2)}
 * @param products      {@code sum(v * c)}
 */
public record ArmTotals(String variant, long units, long converted, double sum, double sumOfSquares, double events,
                        double eventsSquares, double products) {

    public ArmTotals {
        Objects.requireNonNull(variant, "variant");
        if (units < 0 || converted < 0 || converted > units) {
            throw new IllegalArgumentException("need 0 <= converted <= units, got " + converted + " of " + units);
        }
    }

    /** An arm no unit was exposed to yet. */
    public static ArmTotals empty(String variant) {
        return new ArmTotals(variant, 0, 0, 0, 0, 0, 0, 0);
    }
}
