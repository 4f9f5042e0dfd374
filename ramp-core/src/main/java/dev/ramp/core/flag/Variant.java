package dev.ramp.core.flag;

import java.util.List;

/**
 * One of a flag's (or a strategy's) weighted alternatives.
 *
 * @param name       the variant's name, reported to the application
 * @param weight     its share of the total weight of its list, {@code >= 0}
 * @param payload    the value it carries, or {@link Payload#NONE}
 * @param stickiness the context field that keeps a unit on the same variant; {@code ""} or {@code default}
 *                   means userId, then sessionId, then random. Only the first variant's stickiness counts.
 * @param overrides  units forced onto this variant
 */
public record Variant(String name, int weight, Payload payload, String stickiness, List<VariantOverride> overrides) {
    public Variant {
        Checks.name(name, "variant.name");
        if (weight < 0) {
            throw new IllegalArgumentException("variant.weight must be >= 0, was " + weight);
        }
        java.util.Objects.requireNonNull(payload, "variant.payload must not be null (use Payload.NONE)");
        Checks.text(stickiness, "variant.stickiness");
        overrides = Checks.list(overrides, "variant.overrides");
    }

    public static Variant of(String name, int weight) {
        return new Variant(name, weight, Payload.NONE, "", List.of());
    }

    public Variant withPayload(Payload newPayload) {
        return new Variant(name, weight, newPayload, stickiness, overrides);
    }
}
