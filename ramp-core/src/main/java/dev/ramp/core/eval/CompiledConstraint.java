package dev.ramp.core.eval;

/** A compiled constraint: answers for one context without throwing. */
@FunctionalInterface
interface CompiledConstraint {
    CompiledConstraint NEVER = (context, sources) -> false;

    boolean test(Context context, Sources sources);
}
