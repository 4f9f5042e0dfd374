package dev.ramp.server.model;

import dev.ramp.core.flag.Dependency;
import java.util.List;

/** This flag is on only when the parent {@code feature} is on ({@code enabled}) or off, with one of {@code variants}. */
public record DependencyDefinition(String feature, Boolean enabled, List<String> variants) {

    public DependencyDefinition {
        feature = Defaults.text(feature);
        enabled = enabled == null ? Boolean.TRUE : enabled;
        variants = Defaults.list(variants);
    }

    public Dependency toDependency() {
        return new Dependency(feature, enabled, variants);
    }
}
