package dev.ramp.core.flag;

import java.util.List;

/**
 * Forces a {@link Variant} for units whose context field {@code contextName} holds one of {@code values}.
 * Overrides are checked before any weighting; the first variant with a matching override wins.
 */
public record VariantOverride(String contextName, List<String> values) {
    public VariantOverride {
        Checks.name(contextName, "override.contextName");
        values = Checks.list(values, "override.values");
    }
}
