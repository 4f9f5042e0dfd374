package dev.ramp.core.eval;

/** A compiled constraint: answers for one context without allocating or throwing. */
@FunctionalInterface
interface Condition {
    Condition NEVER = (context, sources) -> false;

    boolean test(Context context, Sources sources);
}
