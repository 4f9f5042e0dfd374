package dev.ramp.core.codec;

import static dev.ramp.core.codec.JsonReader.integer;
import static dev.ramp.core.codec.JsonReader.join;
import static dev.ramp.core.codec.JsonReader.list;
import static dev.ramp.core.codec.JsonReader.object;
import static dev.ramp.core.codec.JsonReader.optionalBoolean;
import static dev.ramp.core.codec.JsonReader.optionalText;
import static dev.ramp.core.codec.JsonReader.requiredInt;
import static dev.ramp.core.codec.JsonReader.requiredLong;
import static dev.ramp.core.codec.JsonReader.requiredText;
import static dev.ramp.core.codec.JsonReader.text;
import static dev.ramp.core.codec.JsonReader.textMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.DeltaEvent;
import dev.ramp.core.flag.Dependency;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Operator;
import dev.ramp.core.flag.Payload;
import dev.ramp.core.flag.Segment;
import dev.ramp.core.flag.Strategy;
import dev.ramp.core.flag.Variant;
import dev.ramp.core.flag.VariantOverride;
import java.util.List;
import java.util.function.Supplier;

/**
 * Translates between Ramp's flag model and the Unleash client API JSON. Thread-safe and stateless.
 *
 * <p>Field names are Unleash's ({@code feature}, {@code featureName}); the model's are Ramp's ({@code Flag}).
 * A JSON {@code null} is read as absent. Any model value survives {@code encode} then {@code decode} unchanged.
 * A document in Unleash's schema survives {@code decode} then {@code encode} up to the spelling of defaults
 * (an absent list is written {@code []}, an absent boolean {@code false}); outside the schema, number and
 * boolean parameters come back as text, a payload value sent as JSON comes back as its text, and fields the
 * model lacks (a strategy's {@code id}, {@code sortOrder}) are dropped.
 */
public final class UnleashCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private UnleashCodec() {}

    // ---- /api/client/features ----

    /** Reads a {@code /api/client/features} body. */
    public static ClientFeatures decodeFeatures(String json) {
        return decodeFeatures(parse(json));
    }

    /** Reads a {@code /api/client/features} body. */
    public static ClientFeatures decodeFeatures(byte[] json) {
        if (json == null) {
            throw new CodecException("", "no document");
        }
        try {
            return decodeFeatures(present(MAPPER.readTree(json)));
        } catch (JsonProcessingException e) {
            throw new CodecException("", "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new CodecException("", "unreadable: " + e.getMessage(), e);
        }
    }

    public static ClientFeatures decodeFeatures(JsonNode root) {
        object(root, "");
        JsonNode versionNode = root.get("version");
        int version = versionNode == null || versionNode.isNull() ? 1 : integer(versionNode, "version");
        if (version < 1) {
            throw new CodecException("version", "must be >= 1, was " + version);
        }
        if (root.get("features") == null || root.get("features").isNull()) {
            throw new CodecException("features", "is required");
        }
        List<Flag> flags = list(root, "features", "", UnleashCodec::decodeFlag);
        List<Segment> segments = list(root, "segments", "", UnleashCodec::decodeSegment);
        return new ClientFeatures(version, snapshot(flags, segments, ""));
    }

    public static String encodeFeatures(ClientFeatures features) {
        return write(toJson(features));
    }

    public static ObjectNode toJson(ClientFeatures features) {
        ObjectNode root = NODES.objectNode();
        root.put("version", features.version());
        ArrayNode flags = root.putArray("features");
        features.snapshot().flags().forEach(flag -> flags.add(toJson(flag)));
        ArrayNode segments = root.putArray("segments");
        features.snapshot().segments().forEach(segment -> segments.add(toJson(segment)));
        return root;
    }

    // ---- delta API ----

    /** Reads a delta body: {@code {"events": [...]}}. */
    public static List<DeltaEvent> decodeDelta(String json) {
        JsonNode root = object(parse(json), "");
        return decodeDelta(root);
    }

    public static List<DeltaEvent> decodeDelta(JsonNode root) {
        object(root, "");
        if (root.get("events") == null || root.get("events").isNull()) {
            throw new CodecException("events", "is required");
        }
        return list(root, "events", "", UnleashCodec::decodeEvent);
    }

    /** Reads one delta event, for example the data of one server-sent event. */
    public static DeltaEvent decodeEvent(String json) {
        return decodeEvent(parse(json), "");
    }

    public static String encodeDelta(List<? extends DeltaEvent> events) {
        ObjectNode root = NODES.objectNode();
        ArrayNode array = root.putArray("events");
        events.forEach(event -> array.add(toJson(event)));
        return write(root);
    }

    public static String encodeEvent(DeltaEvent event) {
        return write(toJson(event));
    }

    static DeltaEvent decodeEvent(JsonNode node, String path) {
        object(node, path);
        long eventId = requiredLong(node, "eventId", path);
        String type = requiredText(node, "type", path);
        try {
            return switch (type) {
                case "hydration" -> {
                    List<Flag> flags = list(node, "features", path, UnleashCodec::decodeFlag);
                    List<Segment> segments = list(node, "segments", path, UnleashCodec::decodeSegment);
                    snapshot(flags, segments, path);
                    yield new DeltaEvent.Hydration(eventId, flags, segments);
                }
                case "feature-updated" -> new DeltaEvent.FlagUpdated(
                        eventId, decodeFlag(node.get("feature"), join(path, "feature")));
                case "feature-removed" -> new DeltaEvent.FlagRemoved(
                        eventId, requiredText(node, "featureName", path), optionalText(node, "project", path));
                case "segment-updated" -> new DeltaEvent.SegmentUpdated(
                        eventId, decodeSegment(node.get("segment"), join(path, "segment")));
                case "segment-removed" -> new DeltaEvent.SegmentRemoved(
                        eventId, requiredInt(node, "segmentId", path));
                default -> throw new CodecException(join(path, "type"), "unknown event type '" + type
                        + "'; expected hydration, feature-updated, feature-removed, segment-updated or segment-removed");
            };
        } catch (IllegalArgumentException e) {
            throw new CodecException(path, e.getMessage(), e);
        }
    }

    static ObjectNode toJson(DeltaEvent event) {
        ObjectNode node = NODES.objectNode();
        node.put("eventId", event.eventId());
        if (event instanceof DeltaEvent.Hydration hydration) {
            node.put("type", "hydration");
            ArrayNode flags = node.putArray("features");
            hydration.flags().forEach(flag -> flags.add(toJson(flag)));
            ArrayNode segments = node.putArray("segments");
            hydration.segments().forEach(segment -> segments.add(toJson(segment)));
        } else if (event instanceof DeltaEvent.FlagUpdated updated) {
            node.put("type", "feature-updated");
            node.set("feature", toJson(updated.flag()));
        } else if (event instanceof DeltaEvent.FlagRemoved removed) {
            node.put("type", "feature-removed");
            node.put("featureName", removed.flag());
            node.put("project", removed.project());
        } else if (event instanceof DeltaEvent.SegmentUpdated updated) {
            node.put("type", "segment-updated");
            node.set("segment", toJson(updated.segment()));
        } else {
            node.put("type", "segment-removed");
            node.put("segmentId", ((DeltaEvent.SegmentRemoved) event).segmentId());
        }
        return node;
    }

    // ---- model objects ----

    static Flag decodeFlag(JsonNode node, String path) {
        object(node, path);
        String name = requiredText(node, "name", path);
        return built(path, () -> new Flag(
                name,
                optionalText(node, "description", path),
                optionalText(node, "type", path),
                optionalText(node, "project", path),
                optionalBoolean(node, "enabled", path, false),
                optionalBoolean(node, "stale", path, false),
                optionalBoolean(node, "impressionData", path, false),
                list(node, "strategies", path, UnleashCodec::decodeStrategy),
                list(node, "variants", path, UnleashCodec::decodeVariant),
                list(node, "dependencies", path, UnleashCodec::decodeDependency),
                list(node, "segments", path, JsonReader::integer)));
    }

    static ObjectNode toJson(Flag flag) {
        ObjectNode node = NODES.objectNode();
        node.put("name", flag.name());
        putText(node, "description", flag.description());
        putText(node, "type", flag.type());
        putText(node, "project", flag.project());
        node.put("enabled", flag.enabled());
        node.put("stale", flag.stale());
        node.put("impressionData", flag.impressionData());
        ArrayNode strategies = node.putArray("strategies");
        flag.strategies().forEach(strategy -> strategies.add(toJson(strategy)));
        node.set("variants", variants(flag.variants()));
        if (!flag.dependencies().isEmpty()) {
            ArrayNode dependencies = node.putArray("dependencies");
            flag.dependencies().forEach(dependency -> dependencies.add(toJson(dependency)));
        }
        if (!flag.segments().isEmpty()) {
            ArrayNode segments = node.putArray("segments");
            flag.segments().forEach(segments::add);
        }
        return node;
    }

    static Strategy decodeStrategy(JsonNode node, String path) {
        object(node, path);
        return built(path, () -> new Strategy(
                requiredText(node, "name", path),
                textMap(node, "parameters", path),
                list(node, "constraints", path, UnleashCodec::decodeConstraint),
                list(node, "segments", path, JsonReader::integer),
                list(node, "variants", path, UnleashCodec::decodeVariant)));
    }

    static ObjectNode toJson(Strategy strategy) {
        ObjectNode node = NODES.objectNode();
        node.put("name", strategy.name());
        ObjectNode parameters = node.putObject("parameters");
        strategy.parameters().forEach(parameters::put);
        ArrayNode constraints = node.putArray("constraints");
        strategy.constraints().forEach(constraint -> constraints.add(toJson(constraint)));
        if (!strategy.segments().isEmpty()) {
            ArrayNode segments = node.putArray("segments");
            strategy.segments().forEach(segments::add);
        }
        node.set("variants", variants(strategy.variants()));
        return node;
    }

    static Constraint decodeConstraint(JsonNode node, String path) {
        object(node, path);
        return built(path, () -> new Constraint(
                requiredText(node, "contextName", path),
                Operator.parse(requiredText(node, "operator", path)),
                list(node, "values", path, JsonReader::text),
                optionalText(node, "value", path),
                optionalBoolean(node, "caseInsensitive", path, false),
                optionalBoolean(node, "inverted", path, false)));
    }

    static ObjectNode toJson(Constraint constraint) {
        ObjectNode node = NODES.objectNode();
        node.put("contextName", constraint.contextName());
        node.put("operator", constraint.operator().wireName());
        ArrayNode values = node.putArray("values");
        constraint.values().forEach(values::add);
        putText(node, "value", constraint.value());
        node.put("caseInsensitive", constraint.caseInsensitive());
        node.put("inverted", constraint.inverted());
        return node;
    }

    static Segment decodeSegment(JsonNode node, String path) {
        object(node, path);
        return built(path, () -> new Segment(
                requiredInt(node, "id", path),
                optionalText(node, "name", path),
                list(node, "constraints", path, UnleashCodec::decodeConstraint)));
    }

    static ObjectNode toJson(Segment segment) {
        ObjectNode node = NODES.objectNode();
        node.put("id", segment.id());
        putText(node, "name", segment.name());
        ArrayNode constraints = node.putArray("constraints");
        segment.constraints().forEach(constraint -> constraints.add(toJson(constraint)));
        return node;
    }

    static Variant decodeVariant(JsonNode node, String path) {
        object(node, path);
        return built(path, () -> new Variant(
                requiredText(node, "name", path),
                requiredInt(node, "weight", path),
                decodePayload(node.get("payload"), join(path, "payload")),
                optionalText(node, "stickiness", path),
                list(node, "overrides", path, UnleashCodec::decodeOverride)));
    }

    private static ArrayNode variants(List<Variant> variants) {
        ArrayNode array = NODES.arrayNode();
        for (Variant variant : variants) {
            ObjectNode node = array.addObject();
            node.put("name", variant.name());
            node.put("weight", variant.weight());
            if (variant.payload().isPresent()) {
                node.putObject("payload")
                        .put("type", variant.payload().type())
                        .put("value", variant.payload().value());
            }
            putText(node, "stickiness", variant.stickiness());
            if (!variant.overrides().isEmpty()) {
                ArrayNode overrides = node.putArray("overrides");
                for (VariantOverride override : variant.overrides()) {
                    ObjectNode overrideNode = overrides.addObject();
                    overrideNode.put("contextName", override.contextName());
                    ArrayNode values = overrideNode.putArray("values");
                    override.values().forEach(values::add);
                }
            }
        }
        return array;
    }

    private static Payload decodePayload(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Payload.NONE;
        }
        object(node, path);
        String type = requiredText(node, "type", path);
        JsonNode value = node.get("value");
        if (value == null || value.isNull()) {
            return Payload.of(type, "");
        }
        // Unleash sends every payload value as a string; a JSON value sent as itself is kept as its text.
        return Payload.of(type, value.isTextual() ? value.textValue() : value.toString());
    }

    private static VariantOverride decodeOverride(JsonNode node, String path) {
        object(node, path);
        return new VariantOverride(
                requiredText(node, "contextName", path), list(node, "values", path, JsonReader::text));
    }

    private static Dependency decodeDependency(JsonNode node, String path) {
        object(node, path);
        return new Dependency(
                requiredText(node, "feature", path),
                optionalBoolean(node, "enabled", path, true),
                list(node, "variants", path, JsonReader::text));
    }

    private static ObjectNode toJson(Dependency dependency) {
        ObjectNode node = NODES.objectNode();
        node.put("feature", dependency.flag());
        node.put("enabled", dependency.enabled());
        if (!dependency.variants().isEmpty()) {
            ArrayNode variants = node.putArray("variants");
            dependency.variants().forEach(variants::add);
        }
        return node;
    }

    // ---- plumbing ----

    private static FlagSnapshot snapshot(List<Flag> flags, List<Segment> segments, String path) {
        return built(path, () -> new FlagSnapshot(flags, segments));
    }

    /** Runs a model constructor, reporting its validation failure at {@code path}. */
    private static <T> T built(String path, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw new CodecException(path, e.getMessage(), e);
        }
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (!value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            throw new CodecException("", "no document");
        }
        try {
            return present(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new CodecException("", "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode present(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            throw new CodecException("", "empty document");
        }
        return root;
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
