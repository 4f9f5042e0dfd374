package dev.ramp.server.model;

import dev.ramp.core.flag.Strategy;
import java.util.List;
import java.util.Map;

/**
 * One strategy of a flag in one environment. {@code id} is assigned by the server and addresses the strategy in
 * {@code /api/v1/flags/{key}/environments/{environment}/strategies/{id}}; {@code name} is the Unleash strategy
 * ({@code flexibleRollout}, {@code default}, {@code userWithId}, ...).
 */
public record StrategyDefinition(
        String id,
        String name,
        Map<String, String> parameters,
        List<ConstraintDefinition> constraints,
        List<Integer> segments,
        List<VariantDefinition> variants) {

    public StrategyDefinition {
        id = Defaults.text(id);
        name = Defaults.text(name);
        parameters = Defaults.map(parameters);
        constraints = Defaults.list(constraints);
        segments = Defaults.list(segments);
        variants = Defaults.list(variants);
    }

    public StrategyDefinition withId(String newId) {
        return new StrategyDefinition(newId, name, parameters, constraints, segments, variants);
    }

    public Strategy toStrategy() {
        return new Strategy(name, parameters,
                constraints.stream().map(ConstraintDefinition::toConstraint).toList(),
                segments,
                variants.stream().map(VariantDefinition::toVariant).toList());
    }
}
