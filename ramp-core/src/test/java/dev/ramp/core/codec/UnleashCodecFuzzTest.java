package dev.ramp.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Arbitrary documents built from Unleash's own vocabulary, with every value of every type in every place, and
 * the specification's valid states with one value replaced by anything: the codec either decodes them or throws
 * a {@link CodecException} naming a path, and whatever it decodes it encodes and decodes again to the same
 * value. Nothing else ever escapes.
 */
class UnleashCodecFuzzTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> KEYS = List.of("version", "features", "segments", "name", "enabled", "strategies",
            "parameters", "constraints", "contextName", "operator", "values", "value", "inverted", "caseInsensitive",
            "variants", "weight", "payload", "type", "stickiness", "overrides", "dependencies", "feature", "id",
            "events", "eventId", "featureName", "segment", "segmentId", "description", "project", "stale");

    @Property(tries = 1500)
    void decodeFeatures_mutatedSpecificationStates_decodeOrNameThePath(@ForAll("mutatedStates") JsonNode document) {
        decodeFeatures_anyDocument_decodesOrNamesThePath(document);
    }

    @Property(tries = 1000)
    void decodeFeatures_anyDocument_decodesOrNamesThePath(@ForAll("documents") JsonNode document) {
        Throwable thrown = catchThrowable(() -> {
            ClientFeatures features = UnleashCodec.decodeFeatures(document);
            assertThat(UnleashCodec.decodeFeatures(UnleashCodec.encodeFeatures(features))).isEqualTo(features);
        });
        assertThat(thrown).satisfiesAnyOf(
                error -> assertThat(error).isNull(),
                error -> assertThat(error).isInstanceOf(CodecException.class).hasMessageNotContaining("Exception"));
    }

    @Property(tries = 1000)
    void decodeDelta_anyDocument_decodesOrNamesThePath(@ForAll("documents") JsonNode document) {
        assertDecodedOrRejected(catchThrowable(() -> UnleashCodec.decodeDelta(document)));
    }

    @Property(tries = 500)
    void decodeFeatures_anyText_decodesOrNamesThePath(@ForAll("texts") String text) {
        assertDecodedOrRejected(catchThrowable(() -> UnleashCodec.decodeFeatures(text)));
    }

    /** Nothing thrown, or a CodecException: never anything else. */
    private static void assertDecodedOrRejected(Throwable thrown) {
        assertThat(thrown).satisfiesAnyOf(
                error -> assertThat(error).isNull(),
                error -> assertThat(error).isInstanceOf(CodecException.class));
    }

    @Provide
    Arbitrary<JsonNode> documents() {
        return node(4);
    }

    /** A state of the specification (those are valid) with one value anywhere in it replaced by anything. */
    @Provide
    Arbitrary<JsonNode> mutatedStates() {
        List<JsonNode> states = dev.ramp.core.conformance.UnleashSpecification.files().stream()
                .map(file -> file.state()).filter(state -> state.has("features")).toList();
        if (states.isEmpty()) {
            return node(4);
        }
        return Arbitraries.of(states).flatMap(state -> {
            List<String> pointers = new java.util.ArrayList<>();
            collectPointers(state, "", pointers);
            return net.jqwik.api.Combinators.combine(Arbitraries.of(pointers), node(2)).as((pointer, replacement) -> {
                JsonNode copy = state.deepCopy();
                int slash = pointer.lastIndexOf('/');
                JsonNode parent = copy.at(pointer.substring(0, slash));
                String last = pointer.substring(slash + 1);
                if (parent instanceof ObjectNode object) {
                    object.set(last, replacement);
                } else if (parent instanceof ArrayNode array) {
                    array.set(Integer.parseInt(last), replacement);
                }
                return copy;
            });
        });
    }

    private static void collectPointers(JsonNode node, String pointer, List<String> pointers) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                String child = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                pointers.add(child);
                collectPointers(field.getValue(), child, pointers);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                pointers.add(pointer + "/" + i);
                collectPointers(node.get(i), pointer + "/" + i, pointers);
            }
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                node(3).map(JsonNode::toString).map(json -> json.substring(0, json.length() / 2)),
                Arbitraries.strings().withChars("{}[]\":,0123456789truefalsn \\u").ofMaxLength(40),
                Arbitraries.just("{\"features\":[" + "[".repeat(5000) + "]"));
    }

    private Arbitrary<JsonNode> node(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.of(-1L, 0L, 1L, 2L, Long.MAX_VALUE, 1L << 40).map(NODES::numberNode),
                Arbitraries.of(0.5, -0.0, 1e300, Double.MIN_VALUE).map(NODES::numberNode),
                Arbitraries.of("", " ", "IN", "default", "flexibleRollout", "hydration", "feature-updated", "segment-removed",
                        "string", "50", "x").map(NODES::textNode),
                Arbitraries.strings().ofMaxLength(10).map(NODES::textNode));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = node(depth - 1).list().ofMaxSize(3).map(elements -> {
            ArrayNode result = NODES.arrayNode();
            elements.forEach(result::add);
            return result;
        });
        Arbitrary<JsonNode> object = Arbitraries.of(KEYS).list().ofMaxSize(4).uniqueElements()
                .flatMap(keys -> node(depth - 1).list().ofSize(keys.size()).map(values -> {
                    ObjectNode result = NODES.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        result.set(keys.get(i), values.get(i));
                    }
                    return result;
                }));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf), net.jqwik.api.Tuple.of(2, array), net.jqwik.api.Tuple.of(4, object));
    }

}
