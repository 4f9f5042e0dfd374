package dev.ramp.core.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Typed access to a JSON tree that reports the path of whatever is wrong. */
final class JsonReader {
    private JsonReader() {}

    static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new CodecException(path, "expected an object, got " + describe(node));
        }
        return node;
    }

    static String requiredText(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new CodecException(join(path, field), "is required");
        }
        if (!node.isTextual()) {
            throw new CodecException(join(path, field), "expected a string, got " + describe(node));
        }
        return node.textValue();
    }

    /** A string, or {@code ""} when absent or null. */
    static String optionalText(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new CodecException(join(path, field), "expected a string, got " + describe(node));
        }
        return node.textValue();
    }

    static boolean optionalBoolean(JsonNode parent, String field, String path, boolean absent) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isBoolean()) {
            throw new CodecException(join(path, field), "expected true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    static int requiredInt(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new CodecException(join(path, field), "is required");
        }
        return integer(node, join(path, field));
    }

    static int integer(JsonNode node, String path) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new CodecException(path, "expected a 32-bit integer, got " + describe(node));
        }
        return node.intValue();
    }

    static long requiredLong(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new CodecException(join(path, field), "is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new CodecException(join(path, field), "expected an integer, got " + describe(node));
        }
        return node.longValue();
    }

    /** The elements of an array field read one by one; absent or null is an empty list. */
    static <T> List<T> list(JsonNode parent, String field, String path, BiFunction<JsonNode, String, T> element) {
        JsonNode node = parent.get(field);
        String arrayPath = join(path, field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new CodecException(arrayPath, "expected an array, got " + describe(node));
        }
        var result = new ArrayList<T>(node.size());
        for (int i = 0; i < node.size(); i++) {
            result.add(element.apply(node.get(i), arrayPath + "[" + i + "]"));
        }
        return result;
    }

    static String text(JsonNode node, String path) {
        if (node == null || !node.isTextual()) {
            throw new CodecException(path, "expected a string, got " + describe(node));
        }
        return node.textValue();
    }

    /**
     * A map of text values. Numbers and booleans are kept as their text, as Unleash SDKs read strategy
     * parameters; objects and arrays are rejected.
     */
    static Map<String, String> textMap(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        String mapPath = join(path, field);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new CodecException(mapPath, "expected an object, got " + describe(node));
        }
        var result = new LinkedHashMap<String, String>();
        node.properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            if (value.isValueNode() && !value.isNull()) {
                result.put(entry.getKey(), value.asText());
            } else if (!value.isNull()) {
                throw new CodecException(join(mapPath, entry.getKey()), "expected a string, got " + describe(value));
            }
        });
        return result;
    }

    static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
