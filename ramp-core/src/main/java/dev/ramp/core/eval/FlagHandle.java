package dev.ramp.core.eval;

/**
 * One flag of an {@link Evaluator}, found once: evaluating through it skips the lookup by name. An SDK that keeps
 * its own per-flag data (usage counters) in a map of its own holds one handle per flag there, so an evaluation
 * costs one lookup, not two. Evaluates exactly as {@link Evaluator#isEnabled} and {@link Evaluator#variant} do,
 * and never throws.
 */
public final class FlagHandle {
    private final CompiledFlag flag;
    private final Sources sources;

    FlagHandle(CompiledFlag flag, Sources sources) {
        this.flag = flag;
        this.sources = sources;
    }

    /** Whether the flag is on for {@code context}. */
    public boolean isEnabled(Context context) {
        try {
            return flag.isEnabled(context == null ? Context.empty() : context, sources);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The variant the flag serves {@code context}. */
    public VariantResult variant(Context context) {
        try {
            return flag.variant(context == null ? Context.empty() : context, sources);
        } catch (RuntimeException e) {
            return VariantResult.DISABLED;
        }
    }
}
