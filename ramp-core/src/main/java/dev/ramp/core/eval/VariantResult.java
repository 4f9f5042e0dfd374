package dev.ramp.core.eval;

import dev.ramp.core.flag.Payload;

/**
 * The variant a unit gets: Unleash's {@code getVariant} result.
 *
 * @param name           the variant, or {@code disabled} when there is none to serve
 * @param payload        its payload, or {@link Payload#NONE}
 * @param enabled        whether a real variant is served
 * @param featureEnabled whether the flag itself is on for this unit
 */
public record VariantResult(String name, Payload payload, boolean enabled, boolean featureEnabled) {
    /** The name of the variant served when there is none. */
    public static final String DISABLED_NAME = "disabled";

    /** What an off or unknown flag serves: no variant, and the flag off. */
    public static final VariantResult DISABLED = new VariantResult(DISABLED_NAME, Payload.NONE, false, false);
    static final VariantResult NO_VARIANT = new VariantResult(DISABLED_NAME, Payload.NONE, false, true);

    public VariantResult {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(payload, "payload");
    }
}
