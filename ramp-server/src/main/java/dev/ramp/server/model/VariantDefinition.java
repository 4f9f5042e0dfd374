package dev.ramp.server.model;

import dev.ramp.core.flag.Payload;
import dev.ramp.core.flag.Variant;
import dev.ramp.core.flag.VariantOverride;
import java.util.List;

/**
 * A variant with its weight (in thousandths: the weights of a list add up to 1000), an optional payload, the
 * context field that keeps a unit on it ({@code default} when absent) and the overrides that force it.
 */
public record VariantDefinition(String name, int weight, PayloadDefinition payload, String stickiness, List<OverrideDefinition> overrides) {

    public VariantDefinition {
        name = Defaults.text(name);
        stickiness = stickiness == null || stickiness.isEmpty() ? "default" : stickiness;
        overrides = Defaults.list(overrides);
    }

    /** A payload: {@code type} is {@code string}, {@code json}, {@code csv} or {@code number}. */
    public record PayloadDefinition(String type, String value) {
        public PayloadDefinition {
            type = Defaults.text(type);
            value = Defaults.text(value);
        }
    }

    /** Units whose {@code contextName} is one of {@code values} always get this variant. */
    public record OverrideDefinition(String contextName, List<String> values) {
        public OverrideDefinition {
            contextName = Defaults.text(contextName);
            values = Defaults.list(values);
        }
    }

    public static VariantDefinition of(Variant variant) {
        PayloadDefinition payload = variant.payload().isPresent()
                ? new PayloadDefinition(variant.payload().type(), variant.payload().value())
                : null;
        return new VariantDefinition(variant.name(), variant.weight(), payload, variant.stickiness(),
                variant.overrides().stream().map(o -> new OverrideDefinition(o.contextName(), o.values())).toList());
    }

    public Variant toVariant() {
        Payload corePayload = payload == null ? Payload.NONE : Payload.of(payload.type(), payload.value());
        return new Variant(name, weight, corePayload, stickiness,
                overrides.stream().map(o -> new VariantOverride(o.contextName(), o.values())).toList());
    }
}
