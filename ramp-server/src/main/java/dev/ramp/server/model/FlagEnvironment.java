package dev.ramp.server.model;

import java.util.List;

/** A flag's settings in one environment: on or off, its strategies in order, and its flag-level variants. */
public record FlagEnvironment(boolean enabled, List<StrategyDefinition> strategies, List<VariantDefinition> variants) {

    public static final FlagEnvironment OFF = new FlagEnvironment(false, List.of(), List.of());

    public FlagEnvironment {
        strategies = Defaults.list(strategies);
        variants = Defaults.list(variants);
    }

    public FlagEnvironment withEnabled(boolean newEnabled) {
        return new FlagEnvironment(newEnabled, strategies, variants);
    }

    public FlagEnvironment withStrategies(List<StrategyDefinition> newStrategies) {
        return new FlagEnvironment(enabled, newStrategies, variants);
    }

    public FlagEnvironment withVariants(List<VariantDefinition> newVariants) {
        return new FlagEnvironment(enabled, strategies, newVariants);
    }
}
