package dev.ramp.core.eval;

import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Segment;
import dev.ramp.core.flag.Strategy;
import java.util.ArrayList;
import java.util.Map;

/** A strategy ready to evaluate: its constraints and its segments' constraints, its rule, its variants. */
final class CompiledStrategy {
    private final Condition[] conditions;
    private final Rule rule;
    /** Null when the strategy has no variants of its own. */
    final VariantPicker variants;

    CompiledStrategy(Strategy strategy, String flagName, Map<Integer, Segment> segments) {
        var compiled = new ArrayList<Condition>();
        for (Constraint constraint : strategy.constraints()) {
            compiled.add(Conditions.compile(constraint));
        }
        boolean missingSegment = false;
        for (int id : strategy.segments()) {
            Segment segment = segments.get(id);
            if (segment == null) {
                missingSegment = true;
                break;
            }
            for (Constraint constraint : segment.constraints()) {
                compiled.add(Conditions.compile(constraint));
            }
        }
        this.conditions = compiled.toArray(Condition[]::new);
        this.rule = missingSegment ? Rule.NEVER : Rules.compile(strategy, flagName);
        this.variants = VariantPicker.forStrategy(strategy.variants(),
                strategy.parameters().getOrDefault("groupId", flagName),
                strategy.parameters().getOrDefault("stickiness", "default"));
    }

    boolean matches(Context context, Sources sources) {
        for (Condition condition : conditions) {
            if (!condition.test(context, sources)) {
                return false;
            }
        }
        return rule.test(context, sources);
    }
}
