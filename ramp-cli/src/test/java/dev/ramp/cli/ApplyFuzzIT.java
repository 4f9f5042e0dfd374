package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ramp.server.RampServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@code ramp apply} of generated files against a real server: the shop example's documents with one value replaced
 * by anything or one field dropped, those documents cut off anywhere, and YAML that parsers trip on (tabs, aliases,
 * an alias bomb, duplicate keys, binary). Each run ends with exit code 0 (applied) or 1 (refused, naming why), and
 * never with a stack trace or a server failure.
 */
class ApplyFuzzIT {
    private static final String ADMIN = "cli-fuzz-admin-token-0123456789";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Path SHOP = Path.of("../examples/shop");
    private static final AtomicInteger FILES = new AtomicInteger();

    private static Path directory;
    private static RampServer server;
    private static List<JsonNode> documents;
    private static List<String> texts;

    @BeforeContainer
    static void start() throws IOException {
        directory = Files.createTempDirectory("ramp-apply-fuzz");
        server = RampServer.builder().port(0).dataDirectory(directory.resolve("data")).adminToken(ADMIN)
                .releaseTick(Duration.ZERO).start();
        documents = new ArrayList<>();
        texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(SHOP)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                texts.add(Files.readString(file));
                try (MappingIterator<JsonNode> each = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    documents.addAll(each.readAll());
                }
            }
        }
    }

    @AfterContainer
    static void stop() throws IOException {
        server.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    @Property(tries = 400)
    void apply_anyFile_appliesOrRefusesItNamingWhy(@ForAll("files") String text) throws IOException {
        Path file = Files.writeString(directory.resolve("fuzzed-" + FILES.incrementAndGet() + ".yaml"), text);

        Run run = Run.against(server.url(), ADMIN, "apply", "-f", file.toString());

        assertThat(run.exitCode()).as("%s%n%s", text, run.err()).isIn(0, Main.INPUT_REJECTED);
        if (run.exitCode() == Main.INPUT_REJECTED) {
            assertThat(run.err()).as(text).startsWith("ramp: ");
        }
        assertThat(run.err() + run.out()).as(text).doesNotContain("Exception", "\tat ", "at dev.ramp.");
    }

    @Provide
    Arbitrary<String> files() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, mutatedDocuments().map(ApplyFuzzIT::yaml)),
                Tuple.of(2, Arbitraries.of(texts).flatMap(text -> Arbitraries.integers().between(0, text.length())
                        .map(cut -> text.substring(0, cut)))),
                Tuple.of(1, Arbitraries.strings().withChars("kind: Flag\n\t-[]{}&*!|>'\"#%@`,?\u0000\u00e9")
                        .ofMaxLength(80)),
                Tuple.of(1, Arbitraries.of(
                        "",
                        "---\n---\n",
                        "kind: Flag\nkey: a\n\tdescription: tab\n",
                        "kind: Flag\nkey: a\nkey: b\n",
                        "kind: Flag\nkey: &k a\ndescription: *k\n",
                        "kind: Flag\nkey: *missing\n",
                        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                                + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
                        "kind: !!binary AAAA\n",
                        "kind: Flag\nkey: " + "[".repeat(2000) + "\n",
                        "kind: Flag\nkey: a\nenvironments: {production: {strategies: [null]}}\n",
                        "kind: Route\nname: r\narms: [null, null]\n",
                        "- kind: Flag\n  key: a\n",
                        "kind: Flag\nkey: " + "k".repeat(5000) + "\n",
                        "\uFEFFkind: Flag\nkey: bom\n")));
    }

    /** A document of the shop example with one value anywhere in it replaced by anything, or one field dropped. */
    private Arbitrary<JsonNode> mutatedDocuments() {
        return Arbitraries.of(documents).flatMap(document -> {
            List<String> pointers = new ArrayList<>();
            collectPointers(document, "", pointers);
            return Combinators.combine(Arbitraries.of(pointers), node(2), Arbitraries.of(true, false))
                    .as((pointer, replacement, drop) -> {
                        JsonNode copy = document.deepCopy();
                        int slash = pointer.lastIndexOf('/');
                        JsonNode parent = copy.at(pointer.substring(0, slash));
                        String last = pointer.substring(slash + 1);
                        if (parent instanceof ObjectNode object) {
                            if (drop) {
                                object.remove(last);
                            } else {
                                object.set(last, replacement);
                            }
                        } else if (parent instanceof ArrayNode array) {
                            array.set(Integer.parseInt(last), replacement);
                        }
                        return copy;
                    });
        });
    }

    private static String yaml(JsonNode document) {
        try {
            return YAML.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectPointers(JsonNode node, String pointer, List<String> pointers) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                String child = pointer + "/" + field.getKey();
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

    private Arbitrary<JsonNode> node(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.of(-1L, 0L, 1001L, Long.MAX_VALUE).map(NODES::numberNode),
                Arbitraries.of(0.5, 1e300, -0.0).map(NODES::numberNode),
                Arbitraries.of("", " ", "Flag", "Segment", "Route", "Release", "Experiment", "IN", "default",
                        "production", "pro-users", "checkout.v2", "10s", "-1s", "127.0.0.1:1", "x".repeat(300))
                        .map(NODES::textNode),
                Arbitraries.strings().ofMaxLength(10).map(NODES::textNode));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = node(depth - 1).list().ofMaxSize(3).map(elements -> {
            ArrayNode result = NODES.arrayNode();
            elements.forEach(result::add);
            return result;
        });
        Arbitrary<JsonNode> object = Arbitraries.of("kind", "key", "name", "environments", "strategies", "constraints",
                        "segments", "variants", "arms", "upstreams", "canary", "steps", "metrics", "flag").list()
                .ofMaxSize(3).uniqueElements()
                .flatMap(keys -> node(depth - 1).list().ofSize(keys.size()).map(values -> {
                    ObjectNode result = NODES.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        result.set(keys.get(i), values.get(i));
                    }
                    return result;
                }));
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, array), Tuple.of(1, object));
    }
}
