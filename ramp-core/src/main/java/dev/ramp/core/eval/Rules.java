package dev.ramp.core.eval;

import dev.ramp.core.flag.Strategy;
import dev.ramp.core.hash.BucketGroup;
import dev.ramp.core.hash.Bucketing;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compiles the built-in strategies of the Unleash client specification into {@link Rule rules}. Parameters
 * are read once; a missing or malformed parameter makes the strategy never match (it never throws).
 *
 * <ul>
 *   <li>{@code default}: everyone.</li>
 *   <li>{@code userWithId}: {@code userIds}, a comma-separated list, entries trimmed.</li>
 *   <li>{@code gradualRolloutUserId} / {@code gradualRolloutSessionId}: {@code percentage} (an integer 0-100)
 *       and {@code groupId} both required; in when {@code bucketOf(groupId, id) <= percentage}.</li>
 *   <li>{@code gradualRolloutRandom}: {@code percentage}% of evaluations, at random.</li>
 *   <li>{@code remoteAddress}: {@code IPs}, comma-separated addresses or CIDR blocks; bad entries are ignored.</li>
 *   <li>{@code applicationHostname}: never matches. Unleash compares {@code hostNames} with the machine's
 *       host name, which core, being pure, does not read, and which a context property must not stand in for
 *       (request data could then switch it on); Unleash's engine in its default build answers false too.</li>
 *   <li>{@code flexibleRollout}: {@code rollout} (integer 0-100), {@code stickiness} ({@code default} = userId,
 *       else sessionId, else random; {@code random}; or any context field; a missing field is out),
 *       {@code groupId} (default: the flag's name).</li>
 * </ul>
 */
final class Rules {
    private Rules() {}

    static Rule compile(Strategy strategy, String flagName) {
        Map<String, String> parameters = strategy.parameters();
        return switch (strategy.name()) {
            case "default" -> Rule.ALWAYS;
            case "userWithId" -> userWithId(parameters.get("userIds"));
            case "gradualRolloutUserId" -> gradual(parameters, ContextField.of(Context.USER_ID));
            case "gradualRolloutSessionId" -> gradual(parameters, ContextField.of(Context.SESSION_ID));
            case "gradualRolloutRandom" -> random(percent(parameters.get("percentage")));
            case "remoteAddress" -> remoteAddress(parameters.get("IPs"));
            case "flexibleRollout" -> flexibleRollout(parameters, flagName);
            default -> Rule.NEVER;
        };
    }

    /** A percentage parameter: an integer from 0 to 100 (a leading {@code +} or zeros allowed), else -1. */
    static int percent(String text) {
        if (text == null || text.isEmpty() || text.length() > 32) {
            return -1;
        }
        int start = text.charAt(0) == '+' ? 1 : 0;
        if (start == text.length()) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > 100) {
                return -1;
            }
        }
        return value;
    }

    private static Rule userWithId(String userIds) {
        if (userIds == null) {
            return Rule.NEVER;
        }
        Set<String> ids = Arrays.stream(userIds.split(",")).map(String::trim).collect(Collectors.toUnmodifiableSet());
        return (context, sources) -> context.userId != null && ids.contains(context.userId);
    }

    private static Rule gradual(Map<String, String> parameters, ContextField id) {
        int percentage = percent(parameters.get("percentage"));
        String groupId = parameters.get("groupId");
        if (percentage < 0 || groupId == null) {
            return Rule.NEVER;
        }
        return sticky(percentage, groupId, id);
    }

    private static Rule sticky(int percentage, String groupId, ContextField id) {
        if (percentage == 0) {
            return Rule.NEVER;
        }
        BucketGroup group = BucketGroup.of(groupId, Bucketing.ROLLOUT_SEED);
        return (context, sources) -> {
            String unit = id.read(context, null);
            return unit != null && group.bucketOf(unit, Bucketing.PERCENT) <= percentage;
        };
    }

    private static Rule random(int percentage) {
        if (percentage <= 0) {
            return Rule.NEVER;
        }
        if (percentage == 100) {
            return Rule.ALWAYS;
        }
        return (context, sources) -> sources.random().nextInt(Bucketing.PERCENT) < percentage;
    }

    private static Rule remoteAddress(String ips) {
        if (ips == null) {
            return Rule.NEVER;
        }
        CidrBlock[] blocks = CidrBlock.parseAll(Arrays.asList(ips.split(",")));
        return (context, sources) -> CidrBlock.anyContains(blocks, context.remoteAddress);
    }

    private static Rule flexibleRollout(Map<String, String> parameters, String flagName) {
        int rollout = percent(parameters.get("rollout"));
        if (rollout < 0) {
            return Rule.NEVER;
        }
        String groupId = parameters.getOrDefault("groupId", flagName);
        // An explicit "" names a context field called "", which no context has, as in Unleash's engine.
        String stickiness = parameters.getOrDefault("stickiness", "default");
        return switch (stickiness) {
            case "default" -> {
                if (rollout == 0) {
                    yield Rule.NEVER;
                }
                BucketGroup group = BucketGroup.of(groupId, Bucketing.ROLLOUT_SEED);
                yield (context, sources) -> {
                    String unit = context.userId != null ? context.userId : context.sessionId;
                    return unit != null
                            ? group.bucketOf(unit, Bucketing.PERCENT) <= rollout
                            : sources.random().nextInt(Bucketing.PERCENT) < rollout;
                };
            }
            case "random" -> random(rollout);
            default -> sticky(rollout, groupId, ContextField.of(stickiness));
        };
    }
}
