package dev.ramp.server.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Defaults for optional JSON fields that a request leaves out; a null element inside a list is kept for validation. */
final class Defaults {
    private Defaults() {}

    static String text(String value) {
        return value == null ? "" : value;
    }

    static <T> List<T> list(List<T> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().anyMatch(Objects::isNull)
                ? java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values))
                : List.copyOf(values);
    }

    static <K, V> Map<K, V> map(Map<K, V> values) {
        if (values == null) {
            return Map.of();
        }
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
