package dev.ramp.core.flag;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Argument checks shared by the model's compact constructors; messages name the field. */
final class Checks {
    private Checks() {}

    static String name(String value, String field) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    static String text(String value, String field) {
        return Objects.requireNonNull(value, () -> field + " must not be null (use \"\" for none)");
    }

    static <T> List<T> list(List<T> values, String field) {
        Objects.requireNonNull(values, () -> field + " must not be null (use an empty list)");
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException(field + "[" + i + "] must not be null");
            }
        }
        return List.copyOf(values);
    }

    static Map<String, String> map(Map<String, String> values, String field) {
        Objects.requireNonNull(values, () -> field + " must not be null (use an empty map)");
        var copy = new java.util.LinkedHashMap<String, String>();
        values.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException(field + " must not hold null keys or values");
            }
            copy.put(key, value);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }
}
