package dev.ramp.core.flag;

import java.util.List;

/**
 * Makes a flag depend on a parent flag (one level only: a parent that has dependencies of its own never
 * satisfies a dependency).
 *
 * @param flag     the parent flag's name
 * @param enabled  the parent state required; Unleash's default is {@code true}
 * @param variants when not empty, the parent's variant must be one of these
 */
public record Dependency(String flag, boolean enabled, List<String> variants) {
    public Dependency {
        Checks.name(flag, "dependency.feature");
        variants = Checks.list(variants, "dependency.variants");
    }

    public static Dependency on(String flag) {
        return new Dependency(flag, true, List.of());
    }
}
