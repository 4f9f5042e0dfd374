package dev.ramp.sdk;

import dev.ramp.core.eval.Context;
import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Dependency;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Segment;
import dev.ramp.core.flag.Strategy;
import dev.ramp.core.flag.Variant;
import dev.ramp.core.flag.VariantOverride;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of the client's own context fields, {@code appName} and {@code environment}, a flag reads: in its
 * constraints, its segments' constraints and its variant overrides, and in those of the flags it depends on.
 * The client fills a field into a context that lacks it only for a flag that reads it, so every other
 * evaluation passes the caller's context through untouched.
 */
record StaticFields(boolean appName, boolean environment) {
    static final StaticFields NONE = new StaticFields(false, false);

    boolean any() {
        return appName || environment;
    }

    /** Each flag of {@code snapshot} and the fields it reads. */
    static Map<String, StaticFields> of(FlagSnapshot snapshot) {
        Map<Integer, Segment> segments = new HashMap<>();
        snapshot.segments().forEach(segment -> segments.put(segment.id(), segment));
        Map<String, Flag> flags = new HashMap<>();
        snapshot.flags().forEach(flag -> flags.put(flag.name(), flag));
        Map<String, StaticFields> reads = new HashMap<>();
        for (Flag flag : snapshot.flags()) {
            reads.put(flag.name(), readBy(flag, flags, segments, new HashSet<>()));
        }
        return reads;
    }

    private static StaticFields readBy(Flag flag, Map<String, Flag> flags, Map<Integer, Segment> segments, Set<String> seen) {
        if (!seen.add(flag.name())) {
            return NONE;
        }
        StaticFields own = ofNames(names(flag, segments));
        for (Dependency dependency : flag.dependencies()) {
            Flag parent = flags.get(dependency.flag());
            if (parent != null) {
                own = own.or(readBy(parent, flags, segments, seen));
            }
        }
        return own;
    }

    private static Set<String> names(Flag flag, Map<Integer, Segment> segments) {
        Set<String> names = new HashSet<>();
        overrides(flag.variants(), names);
        for (Strategy strategy : flag.strategies()) {
            constraints(strategy.constraints(), names);
            overrides(strategy.variants(), names);
            for (Integer id : strategy.segments()) {
                Segment segment = segments.get(id);
                if (segment != null) {
                    constraints(segment.constraints(), names);
                }
            }
        }
        return names;
    }

    private static void constraints(List<Constraint> constraints, Set<String> names) {
        constraints.forEach(constraint -> names.add(constraint.contextName()));
    }

    private static void overrides(List<Variant> variants, Set<String> names) {
        variants.forEach(variant -> variant.overrides().stream().map(VariantOverride::contextName).forEach(names::add));
    }

    private static StaticFields ofNames(Set<String> names) {
        return new StaticFields(names.contains(Context.APP_NAME), names.contains(Context.ENVIRONMENT));
    }

    private StaticFields or(StaticFields other) {
        return new StaticFields(appName || other.appName, environment || other.environment);
    }
}
