package dev.ramp.server.release;

import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.FlagEnvironment;
import dev.ramp.server.model.StrategyDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one {@code flexibleRollout} strategy of a flag's environment that a release moves: its percentage and the
 * group its units are bucketed in, which also says which arm a unit's events count in.
 */
final class FlagRollout {
    static final String STRATEGY = "flexibleRollout";

    private FlagRollout() {}

    /** Why {@code flag} cannot be moved by a release in {@code environment}; empty when it can. */
    static Optional<String> problem(FlagDefinition flag, String environment) {
        long rollouts = flag.environment(environment).strategies().stream()
                .filter(strategy -> STRATEGY.equals(strategy.name())).count();
        if (rollouts != 1) {
            return Optional.of("flag '" + flag.key() + "' has " + rollouts + " flexibleRollout strategies in environment '"
                    + environment + "'; a release moves exactly one (add one with rollout: 0)");
        }
        return Optional.empty();
    }

    /** The rollout's percentage; 0 when unreadable. */
    static int percent(FlagDefinition flag, String environment) {
        try {
            return Integer.parseInt(strategy(flag, environment).parameters().getOrDefault("rollout", "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The group units are bucketed in: the strategy's {@code groupId}, or the flag's key. */
    static String group(FlagDefinition flag, String environment) {
        String group = strategy(flag, environment).parameters().getOrDefault("groupId", "");
        return group.isEmpty() ? flag.key() : group;
    }

    /** {@code flag} with its rollout in {@code environment} at {@code percent}. */
    static FlagDefinition withPercent(FlagDefinition flag, String environment, int percent) {
        FlagEnvironment settings = flag.environment(environment);
        List<StrategyDefinition> strategies = new ArrayList<>();
        for (StrategyDefinition strategy : settings.strategies()) {
            if (STRATEGY.equals(strategy.name())) {
                var parameters = new java.util.TreeMap<>(strategy.parameters());
                parameters.put("rollout", Integer.toString(percent));
                strategy = new StrategyDefinition(strategy.id(), strategy.name(), parameters, strategy.constraints(),
                        strategy.segments(), strategy.variants());
            }
            strategies.add(strategy);
        }
        return flag.withEnvironment(environment, settings.withStrategies(strategies));
    }

    private static StrategyDefinition strategy(FlagDefinition flag, String environment) {
        return flag.environment(environment).strategies().stream().filter(strategy -> STRATEGY.equals(strategy.name()))
                .findFirst().orElseThrow(() -> new IllegalStateException("flag '" + flag.key()
                        + "' has no flexibleRollout in '" + environment + "'"));
    }
}
