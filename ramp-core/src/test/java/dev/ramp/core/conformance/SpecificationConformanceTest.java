package dev.ramp.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.eval.VariantResult;
import dev.ramp.core.flag.FlagSnapshot;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of the Unleash client specification v6.1.0 (22 files, 227 {@code isEnabled} and 52
 * {@code getVariant} assertions) against Ramp's evaluator, each as its own test, with the state decoded by
 * Ramp's codec. A last test checks the counts, so a case silently dropped fails the build.
 */
class SpecificationConformanceTest {
    static final int ENABLED_CASES = 227;
    static final int VARIANT_CASES = 52;

    /** The specification predates any fixed "now"; every date in it lies before this one. */
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

    @TestFactory
    Stream<DynamicNode> specification() {
        var enabledCases = new AtomicInteger();
        var variantCases = new AtomicInteger();
        List<UnleashSpecification.SpecFile> files = UnleashSpecification.files();
        if (files.isEmpty()) {
            return Stream.of(UnleashSpecification.presenceTest());
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (UnleashSpecification.SpecFile file : files) {
            Evaluator evaluator = Evaluator.of(snapshotOf(file), CLOCK, new SplittableRandom(7));
            List<DynamicTest> tests = new ArrayList<>();
            for (JsonNode test : file.json().path("tests")) {
                enabledCases.incrementAndGet();
                tests.add(DynamicTest.dynamicTest(test.get("description").asText(), () -> {
                    boolean enabled = evaluator.isEnabled(test.get("toggleName").asText(), contextOf(test.get("context")));
                    assertThat(enabled).as(test.get("description").asText())
                            .isEqualTo(test.get("expectedResult").asBoolean());
                }));
            }
            for (JsonNode test : file.json().path("variantTests")) {
                variantCases.incrementAndGet();
                tests.add(DynamicTest.dynamicTest(test.get("description").asText(), () -> {
                    VariantResult variant = evaluator.variant(test.get("toggleName").asText(), contextOf(test.get("context")));
                    assertVariant(variant, test.get("expectedResult"));
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(file.fileName(), tests));
        }
        nodes.add(DynamicTest.dynamicTest("the suite has 227 isEnabled and 52 variant cases", () -> {
            assertThat(enabledCases.get()).isEqualTo(ENABLED_CASES);
            assertThat(variantCases.get()).isEqualTo(VARIANT_CASES);
        }));
        return nodes.stream();
    }

    static FlagSnapshot snapshotOf(UnleashSpecification.SpecFile file) {
        if (file.isDelta()) {
            return FlagSnapshot.empty().apply(UnleashCodec.decodeDelta(file.state()));
        }
        return UnleashCodec.decodeFeatures(file.state()).snapshot();
    }

    static Context contextOf(JsonNode json) {
        Context.Builder builder = Context.builder();
        json.properties().forEach(field -> {
            if (field.getKey().equals("properties")) {
                field.getValue().properties().forEach(property ->
                        builder.property(property.getKey(), property.getValue().isNull() ? null : property.getValue().asText()));
            } else if (!field.getValue().isNull()) {
                builder.set(field.getKey(), field.getValue().asText());
            }
        });
        return builder.build();
    }

    private static void assertVariant(VariantResult actual, JsonNode expected) {
        assertThat(actual.name()).as("variant name").isEqualTo(expected.get("name").asText());
        assertThat(actual.enabled()).as("enabled").isEqualTo(expected.get("enabled").asBoolean());
        if (expected.has("feature_enabled")) {
            assertThat(actual.featureEnabled()).as("feature_enabled").isEqualTo(expected.get("feature_enabled").asBoolean());
        }
        JsonNode payload = expected.get("payload");
        if (payload == null || payload.isNull()) {
            assertThat(actual.payload().isPresent()).as("payload present").isFalse();
        } else {
            assertThat(actual.payload().type()).as("payload type").isEqualTo(payload.get("type").asText());
            assertThat(actual.payload().value()).as("payload value").isEqualTo(payload.get("value").asText());
        }
    }
}
