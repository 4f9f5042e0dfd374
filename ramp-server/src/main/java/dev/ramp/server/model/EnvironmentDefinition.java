package dev.ramp.server.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An environment, such as {@code development} or {@code production}: flags have separate settings in each. */
@JsonIgnoreProperties(value = {"version", "createdAt", "updatedAt"}, allowGetters = true)
public record EnvironmentDefinition(String name, String description) {

    public static final String DEVELOPMENT = "development";
    public static final String PRODUCTION = "production";

    public EnvironmentDefinition {
        name = Defaults.text(name);
        description = Defaults.text(description);
    }
}
