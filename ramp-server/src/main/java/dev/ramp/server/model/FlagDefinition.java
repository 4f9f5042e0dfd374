package dev.ramp.server.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ramp.core.flag.Flag;
import java.util.List;
import java.util.Map;

/**
 * A flag's settings in every environment. It is what {@code POST /api/v1/flags} creates and {@code PUT} replaces;
 * the read-only fields a {@code GET} adds ({@code archived}, {@code version}, {@code createdAt}, {@code updatedAt})
 * are accepted and ignored, so a client can send back what it read.
 *
 * @param type         {@code release}, {@code experiment}, {@code operational}, {@code kill-switch} or
 *                     {@code permission}
 * @param environments the settings per environment name; an environment missing here has the flag off
 */
@JsonIgnoreProperties(value = {"archived", "version", "createdAt", "updatedAt"}, allowGetters = true)
public record FlagDefinition(
        String key,
        String description,
        String type,
        String project,
        boolean stale,
        boolean impressionData,
        List<DependencyDefinition> dependencies,
        Map<String, FlagEnvironment> environments) {

    public static final String DEFAULT_TYPE = "release";
    public static final String DEFAULT_PROJECT = "default";

    public FlagDefinition {
        key = Defaults.text(key);
        description = Defaults.text(description);
        type = type == null || type.isEmpty() ? DEFAULT_TYPE : type;
        project = project == null || project.isEmpty() ? DEFAULT_PROJECT : project;
        dependencies = Defaults.list(dependencies);
        environments = Defaults.map(environments);
    }

    public static FlagDefinition named(String key) {
        return new FlagDefinition(key, "", DEFAULT_TYPE, DEFAULT_PROJECT, false, false, List.of(), Map.of());
    }

    /** The settings in {@code environment}; {@link FlagEnvironment#OFF} when there are none. */
    public FlagEnvironment environment(String environment) {
        return environments.getOrDefault(environment, FlagEnvironment.OFF);
    }

    public FlagDefinition withEnvironment(String environment, FlagEnvironment settings) {
        var copy = new java.util.LinkedHashMap<>(environments);
        copy.put(environment, settings);
        return new FlagDefinition(key, description, type, project, stale, impressionData, dependencies, copy);
    }

    /** The flag as SDKs in {@code environment} see and evaluate it. */
    public Flag inEnvironment(String environment) {
        FlagEnvironment settings = environment(environment);
        return new Flag(key, description, type, project, settings.enabled(), stale, impressionData,
                settings.strategies().stream().map(StrategyDefinition::toStrategy).toList(),
                settings.variants().stream().map(VariantDefinition::toVariant).toList(),
                dependencies.stream().map(DependencyDefinition::toDependency).toList(),
                List.of());
    }
}
