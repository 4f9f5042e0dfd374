package dev.ramp.analysis;

/**
 * How assignment went over one interval: the canary's requested weight and the units (requests, or users under
 * sticky assignment) each arm actually got. Judges check the observed split against the weight; a mismatch means the
 * arms are not comparable.
 *
 * @param canaryWeight the canary's requested share, in [0, 1], or NaN when not {@link #isMeasured() measured}
 * @param stableUnits units assigned to the stable arm
 * @param canaryUnits units assigned to the canary arm
 */
public record Split(double canaryWeight, long stableUnits, long canaryUnits) {

    /** An interval whose split was not measured: judges skip the sample-ratio check for it. */
    public static final Split NOT_MEASURED = new Split(Double.NaN, 0, 0);

    public Split {
        if (!Double.isNaN(canaryWeight) && !(canaryWeight >= 0 && canaryWeight <= 1)) {
            throw new IllegalArgumentException("canaryWeight must lie in [0, 1], got " + canaryWeight);
        }
        if (stableUnits < 0 || canaryUnits < 0) {
            throw new IllegalArgumentException(
                    "units must not be negative, got stable " + stableUnits + " and canary " + canaryUnits);
        }
    }

    public static Split of(double canaryWeight, long stableUnits, long canaryUnits) {
        return new Split(canaryWeight, stableUnits, canaryUnits);
    }

    public boolean isMeasured() {
        return !Double.isNaN(canaryWeight);
    }
}
