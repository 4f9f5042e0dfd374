package dev.ramp.core.eval;

import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A strategy ready to evaluate: its constraints and its segments' constraints, its rule, its variants. */
final class CompiledStrategy {
    private final CompiledConstraint[] constraints;
    private final Rule rule;
    /** Null when the strategy has no variants of its own. */
    final VariantPicker variants;

    /**
     * @param segments each segment's constraints, compiled once per snapshot and shared by every strategy
     *                 that names it; a strategy naming the same segment twice checks it once
     */
    CompiledStrategy(Strategy strategy, String flagName, Map<Integer, List<CompiledConstraint>> segments) {
        var compiled = new ArrayList<CompiledConstraint>();
        for (Constraint constraint : strategy.constraints()) {
            compiled.add(ConstraintCompiler.compile(constraint));
        }
        boolean missingSegment = false;
        for (int id : new LinkedHashSet<>(strategy.segments())) {
            List<CompiledConstraint> segment = segments.get(id);
            if (segment == null) {
                missingSegment = true;
                break;
            }
            compiled.addAll(segment);
        }
        this.constraints = missingSegment ? new CompiledConstraint[0] : compiled.toArray(CompiledConstraint[]::new);
        this.rule = missingSegment ? Rule.NEVER : Rules.compile(strategy, flagName);
        this.variants = VariantPicker.forStrategy(strategy.variants(),
                strategy.parameters().getOrDefault("groupId", flagName),
                strategy.parameters().getOrDefault("stickiness", "default"));
    }

    boolean matches(Context context, Sources sources) {
        for (CompiledConstraint constraint : constraints) {
            if (!constraint.test(context, sources)) {
                return false;
            }
        }
        return rule.test(context, sources);
    }
}
