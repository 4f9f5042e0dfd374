package dev.ramp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.core.codec.ClientFeatures;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.conformance.UnleashSpecification;
import dev.ramp.core.eval.VariantResult;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Unleash client specification v6.1.0 through the SDK's public API: each file's state is the bootstrap of a
 * real {@link RampClient} (one that never reaches a server), and every case is an {@code isEnabled} or
 * {@code variant} call on it, counting usage as in production.
 */
class ClientConformanceTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));
    private static final List<RampClient> CLIENTS = new ArrayList<>();

    @AfterAll
    static void closeClients() {
        CLIENTS.forEach(RampClient::close);
    }

    @TestFactory
    Stream<DynamicNode> specification() {
        List<UnleashSpecification.SpecFile> files = UnleashSpecification.files();
        if (files.isEmpty()) {
            return Stream.of(UnleashSpecification.presenceTest());
        }
        AtomicInteger cases = new AtomicInteger();
        List<DynamicNode> nodes = new ArrayList<>();
        for (UnleashSpecification.SpecFile file : files) {
            String features = UnleashCodec.encodeFeatures(ClientFeatures.of(UnleashSpecification.snapshotOf(file)));
            RampClient client = RampClient.builder().url("http://127.0.0.1:1").token("*:spec.test").appName("conformance")
                    .noBackupFile().streaming(false).pollInterval(java.time.Duration.ofHours(1))
                    .bootstrap(features).clock(CLOCK).random(new SplittableRandom(7)).build();
            CLIENTS.add(client);
            List<DynamicTest> tests = new ArrayList<>();
            for (JsonNode test : file.json().path("tests")) {
                cases.incrementAndGet();
                tests.add(DynamicTest.dynamicTest(test.get("description").asText(), () ->
                        assertThat(client.isEnabled(test.get("toggleName").asText(), UnleashSpecification.contextOf(test.get("context"))))
                                .isEqualTo(test.get("expectedResult").asBoolean())));
            }
            for (JsonNode test : file.json().path("variantTests")) {
                cases.incrementAndGet();
                tests.add(DynamicTest.dynamicTest(test.get("description").asText(), () -> {
                    VariantResult variant = client.variant(test.get("toggleName").asText(), UnleashSpecification.contextOf(test.get("context")));
                    UnleashSpecification.assertVariant(variant, test.get("expectedResult"));
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(file.fileName(), tests));
        }
        nodes.add(DynamicTest.dynamicTest("the suite has 279 cases", () -> assertThat(cases.get()).isEqualTo(279)));
        return nodes.stream();
    }
}
