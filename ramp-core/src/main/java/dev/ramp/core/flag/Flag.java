package dev.ramp.core.flag;

import java.util.List;

/**
 * A named switch as one environment sees it: whether it is on, the strategies that decide for whom, the
 * variants it serves, and the flags it depends on. This is the {@code feature} object of the Unleash client API.
 *
 * @param name           unique within a snapshot; any non-blank UTF-8 text
 * @param description    free text, {@code ""} when none
 * @param type           Unleash's flag type ({@code release}, {@code experiment}, {@code kill-switch}, ...), {@code ""} when unset
 * @param project        the owning project, {@code ""} when unset
 * @param enabled        the kill switch: when false the flag is off for everyone
 * @param stale          marked as due for removal
 * @param impressionData SDKs should emit an impression event per evaluation
 * @param strategies     when empty, an enabled flag is on for everyone
 * @param variants       the flag's own variants, served when the matching strategy has none
 * @param dependencies   parents that must be in the required state
 * @param segments       ids of the segments this flag's strategies use, as the Unleash delta API lists them
 */
public record Flag(
        String name,
        String description,
        String type,
        String project,
        boolean enabled,
        boolean stale,
        boolean impressionData,
        List<Strategy> strategies,
        List<Variant> variants,
        List<Dependency> dependencies,
        List<Integer> segments) {

    public Flag {
        Checks.name(name, "feature.name");
        Checks.text(description, "feature.description");
        Checks.text(type, "feature.type");
        Checks.text(project, "feature.project");
        strategies = Checks.list(strategies, "feature.strategies");
        variants = Checks.list(variants, "feature.variants");
        dependencies = Checks.list(dependencies, "feature.dependencies");
        segments = Checks.list(segments, "feature.segments");
    }

    /** An enabled flag with the given strategies and nothing else. */
    public static Flag of(String name, boolean enabled, List<Strategy> strategies) {
        return new Flag(name, "", "", "", enabled, false, false, strategies, List.of(), List.of(), List.of());
    }

    /** Whether the flag serves variants: its own, or those of any of its strategies. */
    public boolean hasVariants() {
        return !variants.isEmpty() || strategies.stream().anyMatch(strategy -> !strategy.variants().isEmpty());
    }

    public Flag withEnabled(boolean newEnabled) {
        return new Flag(name, description, type, project, newEnabled, stale, impressionData,
                strategies, variants, dependencies, segments);
    }

    public Flag withStrategies(List<Strategy> newStrategies) {
        return new Flag(name, description, type, project, enabled, stale, impressionData,
                newStrategies, variants, dependencies, segments);
    }

    public Flag withVariants(List<Variant> newVariants) {
        return new Flag(name, description, type, project, enabled, stale, impressionData,
                strategies, newVariants, dependencies, segments);
    }

    public Flag withDependencies(List<Dependency> newDependencies) {
        return new Flag(name, description, type, project, enabled, stale, impressionData,
                strategies, variants, newDependencies, segments);
    }
}
