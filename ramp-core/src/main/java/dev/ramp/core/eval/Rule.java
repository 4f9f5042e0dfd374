package dev.ramp.core.eval;

/** A compiled strategy's own logic (its constraints are checked separately). */
@FunctionalInterface
interface Rule {
    Rule ALWAYS = (context, sources) -> true;
    Rule NEVER = (context, sources) -> false;

    boolean test(Context context, Sources sources);
}
