package dev.ramp.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.core.codec.ClientFeatures;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.DeltaEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The codec is lossless over every state of the Unleash client specification: decoding then encoding gives
 * the same document, and decoding that again gives the same model.
 *
 * <p>"The same document" is compared after one normalisation that both sides get, because Unleash spells
 * each default several ways: a member that is {@code null}, {@code false}, {@code ""}, {@code []} or
 * {@code {}} means the same as an absent one, and so does a dependency's {@code "enabled": true} (the
 * schema's default). Nothing else is forgiven: names, values, order of lists, numbers and unknown operators
 * must come back as they were.
 */
class CodecRoundTripTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> roundTrip_everySpecificationState_isLossless() {
        List<UnleashSpecification.SpecFile> files = UnleashSpecification.files();
        if (files.isEmpty()) {
            return Stream.of(UnleashSpecification.presenceTest());
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.fileName(), () -> {
            JsonNode state = file.state();
            JsonNode encoded;
            if (file.isDelta()) {
                List<DeltaEvent> events = UnleashCodec.decodeDelta(state);
                encoded = MAPPER.readTree(UnleashCodec.encodeDelta(events));
                assertThat(UnleashCodec.decodeDelta(encoded)).isEqualTo(events);
            } else {
                ClientFeatures features = UnleashCodec.decodeFeatures(state);
                encoded = MAPPER.readTree(UnleashCodec.encodeFeatures(features));
                assertThat(UnleashCodec.decodeFeatures(encoded)).isEqualTo(features);
            }
            assertThat(normalised(encoded)).isEqualTo(normalised(state));
        }));
    }

    /** A copy without members that only spell a default; see the class comment. */
    static JsonNode normalised(JsonNode node) {
        return normalised(node, "");
    }

    private static JsonNode normalised(JsonNode node, String parentField) {
        if (node.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            node.forEach(element -> copy.add(normalised(element, parentField)));
            return copy;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode copy = MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = normalised(field.getValue(), field.getKey());
            boolean dependencyDefault = parentField.equals("dependencies")
                    && field.getKey().equals("enabled") && value.asBoolean(false);
            if (!isDefault(value) && !dependencyDefault) {
                copy.set(field.getKey(), value);
            }
        }
        return copy;
    }

    private static boolean isDefault(JsonNode value) {
        return value.isNull()
                || (value.isBoolean() && !value.booleanValue())
                || (value.isTextual() && value.textValue().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
    }
}
