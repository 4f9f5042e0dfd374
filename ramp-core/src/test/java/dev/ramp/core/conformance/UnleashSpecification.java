package dev.ramp.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.VariantResult;
import dev.ramp.core.flag.FlagSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;

/**
 * The Unleash client specification v6.1.0, read in place from {@code ../shared/conformance} (never copied into
 * the repository). The shared folder is the system property {@code ramp.shared.dir}, default {@code ../shared}
 * next to the repository. Without it the tests that need it are skipped with a message, unless {@code CI=true},
 * where they fail (see {@link #presenceTest()}).
 */
public final class UnleashSpecification {
    public static final String SHARED_DIR_PROPERTY = "ramp.shared.dir";
    static final String RELATIVE_PATH = "conformance/unleash-client-specification-6.1.0/specifications";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One file of the suite. */
    public record SpecFile(String fileName, JsonNode json) {
        public JsonNode state() {
            return json.get("state");
        }

        public boolean isDelta() {
            return state().has("events");
        }
    }

    private UnleashSpecification() {}

    /**
     * Every file named by {@code index.json}, in its order; empty when the data is absent (then a test factory
     * returns {@link #presenceTest()} instead).
     */
    public static List<SpecFile> files() {
        Path directory = directory();
        if (!Files.isRegularFile(directory.resolve("index.json"))) {
            return List.of();
        }
        try {
            JsonNode index = MAPPER.readTree(directory.resolve("index.json").toFile());
            var files = new ArrayList<SpecFile>();
            for (JsonNode name : index) {
                files.add(new SpecFile(name.asText(), MAPPER.readTree(directory.resolve(name.asText()).toFile())));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Unleash client specification in " + directory, e);
        }
    }

    /** A test that is skipped, saying where the data was looked for, or fails when {@code CI=true}. */
    public static DynamicTest presenceTest() {
        return DynamicTest.dynamicTest("the Unleash client specification v6.1.0 is present", () -> {
            String message = "The Unleash client specification is not at " + directory()
                    + "; set -D" + SHARED_DIR_PROPERTY + "=<path of shared/> to run the conformance tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " (CI=true: the conformance data must be present)");
            }
            System.err.println("[conformance] SKIPPED: " + message);
            assumeTrue(false, message);
        });
    }

    static Path directory() {
        String configured = System.getProperty(SHARED_DIR_PROPERTY, "../shared");
        return locate(Path.of(configured)).resolve(RELATIVE_PATH).toAbsolutePath();
    }

    /** A relative path is tried from the working directory and then from each parent (modules run one level down). */
    private static Path locate(Path configured) {
        if (configured.isAbsolute()) {
            return configured;
        }
        Path base = Path.of("").toAbsolutePath();
        for (Path dir = base; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(configured).normalize();
            if (Files.isDirectory(candidate.resolve(RELATIVE_PATH))) {
                return candidate;
            }
        }
        return base.resolve(configured).normalize();
    }

    /** The file's state as a snapshot: a features document, or delta events applied in order. */
    public static FlagSnapshot snapshotOf(UnleashSpecification.SpecFile file) {
        if (file.isDelta()) {
            return FlagSnapshot.empty().apply(UnleashCodec.decodeDelta(file.state()));
        }
        return UnleashCodec.decodeFeatures(file.state()).snapshot();
    }

    /** A case's context: its fields, and {@code properties} as properties. */
    public static Context contextOf(JsonNode json) {
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

    /** Asserts that {@code actual} is the variant a case expects: name, enabled, feature_enabled and payload. */
    public static void assertVariant(VariantResult actual, JsonNode expected) {
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
