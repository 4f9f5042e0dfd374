package dev.ramp.core.flag;

import java.util.List;
import java.util.Map;

/**
 * One way a flag can be on for a unit. A flag is on when any of its strategies matches; a strategy matches
 * when all its constraints and all constraints of its segments match and its own rule (named by
 * {@code name}) says yes. The built-in rules are listed in {@link #BUILT_IN}; any other name never matches.
 *
 * @param name       the rule, for example {@code flexibleRollout}
 * @param parameters the rule's parameters as text, as in Unleash ({@code rollout}, {@code stickiness},
 *                   {@code groupId}, {@code userIds}, ...)
 * @param constraints conditions that must all hold
 * @param segments   ids of segments whose constraints must all hold too
 * @param variants   variants served when this strategy is the first to match; when empty, the flag's own
 *                   variants are served
 */
public record Strategy(
        String name,
        Map<String, String> parameters,
        List<Constraint> constraints,
        List<Integer> segments,
        List<Variant> variants) {

    /**
     * The strategy names of the Unleash client specification that the evaluator implements. Not
     * {@code applicationHostname}: it compares with the machine's host name, which pure evaluation does not
     * read, so it never matches (as in Unleash's engine by default).
     */
    public static final List<String> BUILT_IN = List.of(
            "default", "userWithId", "gradualRolloutUserId", "gradualRolloutSessionId",
            "gradualRolloutRandom", "remoteAddress", "flexibleRollout");

    public Strategy {
        Checks.name(name, "strategy.name");
        parameters = Checks.map(parameters, "strategy.parameters");
        constraints = Checks.list(constraints, "strategy.constraints");
        segments = Checks.list(segments, "strategy.segments");
        variants = Checks.list(variants, "strategy.variants");
    }

    /** The {@code default} strategy: on for everyone. */
    public static Strategy on() {
        return new Strategy("default", Map.of(), List.of(), List.of(), List.of());
    }

    /** A {@code flexibleRollout} at {@code percent}% sticky on {@code stickiness}, grouped by {@code groupId}. */
    public static Strategy rollout(int percent, String stickiness, String groupId) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("rollout must be between 0 and 100, was " + percent);
        }
        return new Strategy("flexibleRollout",
                Map.of("rollout", Integer.toString(percent), "stickiness", stickiness, "groupId", groupId),
                List.of(), List.of(), List.of());
    }

    public Strategy withConstraints(List<Constraint> newConstraints) {
        return new Strategy(name, parameters, newConstraints, segments, variants);
    }

    public Strategy withSegments(List<Integer> newSegments) {
        return new Strategy(name, parameters, constraints, newSegments, variants);
    }

    public Strategy withVariants(List<Variant> newVariants) {
        return new Strategy(name, parameters, constraints, segments, newVariants);
    }
}
