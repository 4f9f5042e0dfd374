package dev.ramp.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.eval.VariantResult;
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
            Evaluator evaluator = Evaluator.of(UnleashSpecification.snapshotOf(file), CLOCK, new SplittableRandom(7));
            List<DynamicTest> tests = new ArrayList<>();
            for (JsonNode test : file.json().path("tests")) {
                enabledCases.incrementAndGet();
                tests.add(DynamicTest.dynamicTest(test.get("description").asText(), () -> {
                    boolean enabled = evaluator.isEnabled(test.get("toggleName").asText(), UnleashSpecification.contextOf(test.get("context")));
                    assertThat(enabled).as(test.get("description").asText())
                            .isEqualTo(test.get("expectedResult").asBoolean());
                }));
            }
            for (JsonNode test : file.json().path("variantTests")) {
                variantCases.incrementAndGet();
                tests.add(DynamicTest.dynamicTest(test.get("description").asText(), () -> {
                    VariantResult variant = evaluator.variant(test.get("toggleName").asText(), UnleashSpecification.contextOf(test.get("context")));
                    UnleashSpecification.assertVariant(variant, test.get("expectedResult"));
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
}
