package dev.ramp.core.eval;

import dev.ramp.core.flag.Dependency;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.Strategy;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A flag ready to evaluate. {@link #match} answers which strategy decided: the evaluator builds both
 * {@code isEnabled} and {@code variant} on it, so the two can never disagree.
 */
final class CompiledFlag {
    /** {@link #match} result: the flag is switched off, or a dependency fails. */
    static final int OFF = -2;
    /** {@link #match} result: the flag is on, but no strategy matched. */
    static final int NO_MATCH = -1;
    /** {@link #match} result: the flag is on for everyone (enabled, no strategies). */
    static final int EVERYONE = Integer.MAX_VALUE;

    final Flag flag;
    private final CompiledStrategy[] strategies;
    /** Null when the flag has no variants of its own. */
    final VariantPicker variants;
    private final Dependency[] dependencies;
    private final List<Set<String>> dependencyVariants;
    /** Parents by dependency index; null where the snapshot lacks the parent. Linked after compiling all. */
    private final CompiledFlag[] parents;

    CompiledFlag(Flag flag, Map<Integer, List<CompiledConstraint>> segments) {
        this.flag = flag;
        this.strategies = new CompiledStrategy[flag.strategies().size()];
        for (int i = 0; i < strategies.length; i++) {
            Strategy strategy = flag.strategies().get(i);
            strategies[i] = new CompiledStrategy(strategy, flag.name(), segments);
        }
        this.variants = VariantPicker.forFlag(flag.variants(), flag.name());
        this.dependencies = flag.dependencies().toArray(Dependency[]::new);
        this.dependencyVariants = flag.dependencies().stream().map(dependency -> Set.copyOf(dependency.variants())).toList();
        this.parents = new CompiledFlag[dependencies.length];
    }

    void link(Map<String, CompiledFlag> flags) {
        for (int i = 0; i < dependencies.length; i++) {
            parents[i] = flags.get(dependencies[i].flag());
        }
    }

    /** Which strategy decided: its index, {@link #EVERYONE}, or (negative) {@link #OFF} or {@link #NO_MATCH}. */
    int match(Context context, Sources sources) {
        if (!flag.enabled() || !dependenciesHold(context, sources)) {
            return OFF;
        }
        return strategyMatch(context, sources);
    }

    /** Which strategy decides for this context, whatever the flag's own state: index, EVERYONE or NO_MATCH. */
    private int strategyMatch(Context context, Sources sources) {
        if (strategies.length == 0) {
            return EVERYONE;
        }
        for (int i = 0; i < strategies.length; i++) {
            if (strategies[i].matches(context, sources)) {
                return i;
            }
        }
        return NO_MATCH;
    }

    boolean isEnabled(Context context, Sources sources) {
        return match(context, sources) >= 0;
    }

    VariantResult variant(Context context, Sources sources) {
        return variant(match(context, sources), context, sources);
    }

    VariantResult variant(int match, Context context, Sources sources) {
        if (match < 0) {
            return VariantResult.DISABLED;
        }
        VariantPicker picker = variantsFor(match);
        return picker == null ? VariantResult.NO_VARIANT : picker.pick(context, sources);
    }

    /** The variants served when strategy {@code match} decided: its own, else the flag's; null when none. */
    VariantPicker variantsFor(int match) {
        if (match != EVERYONE && strategies[match].variants != null) {
            return strategies[match].variants;
        }
        return variants;
    }

    private boolean hasDependencies() {
        return dependencies.length > 0;
    }

    /**
     * One level only: a parent that is missing or has dependencies of its own fails. A parent's state must
     * equal the required one. When variants are listed, the variant the parent's rules pick must be one of
     * them, if they pick one; as in Unleash's engine, this is checked whether the parent is on or off.
     */
    private boolean dependenciesHold(Context context, Sources sources) {
        for (int i = 0; i < dependencies.length; i++) {
            CompiledFlag parent = parents[i];
            if (parent == null || parent.hasDependencies()) {
                return false;
            }
            int parentMatch = parent.match(context, sources);
            if ((parentMatch >= 0) != dependencies[i].enabled()) {
                return false;
            }
            if (!dependencyVariants.get(i).isEmpty()) {
                int decided = parentMatch >= 0 ? parentMatch : parent.strategyMatch(context, sources);
                VariantPicker picker = decided >= 0 ? parent.variantsFor(decided) : parent.variants;
                VariantResult served = picker == null ? VariantResult.NO_VARIANT : picker.pick(context, sources);
                if (served.enabled() && !dependencyVariants.get(i).contains(served.name())) {
                    return false;
                }
            }
        }
        return true;
    }
}
