package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.server.http.Routes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
 * Every admin route that takes a body, sent generated bodies: valid documents with one value replaced by anything or
 * one field dropped, arbitrary JSON built from the API's own field names, cut-off JSON and plain garbage. The server
 * answers each with a 2xx or a 4xx problem, never a 5xx and never a stack trace, and keeps answering. On SQLite only:
 * bodies are judged before the database is reached.
 */
class AdminApiFuzzIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Field names of the admin API's documents, so that generated objects reach past the first unknown field. */
    private static final List<String> FIELDS = List.of("key", "name", "description", "type", "stale", "environments",
            "enabled", "strategies", "parameters", "rollout", "stickiness", "groupId", "constraints", "contextName",
            "operator", "values", "value", "inverted", "caseInsensitive", "segments", "variants", "weight", "weightType",
            "payload", "overrides", "dependencies", "feature", "scope", "environment", "kind", "match", "pathPrefix",
            "headers", "arms", "upstreams", "sticky", "by", "target", "route", "flag", "canary", "stepWeights",
            "interval", "steps", "setWeight", "pause", "analysis", "metrics", "source", "measure", "hooks", "on", "url",
            "primaryMetric", "event", "goal", "control", "alpha", "power", "minimumDetectableEffect");
    /** Valid documents of each kind the admin API takes, for the mutations to start from. */
    private static final List<String> SEEDS = List.of(
            """
            {"key":"seeded","description":"d","environments":{"production":{"enabled":true,
             "strategies":[{"name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"default","groupId":"g"},
              "constraints":[{"contextName":"userId","operator":"IN","values":["a","b"]},
                             {"contextName":"version","operator":"SEMVER_GT","value":"1.2.3"}]}],
             "variants":[{"name":"blue","weight":500,"payload":{"type":"string","value":"x"}},{"name":"green","weight":500}]}}}""",
            """
            {"name":"beta","description":"d","constraints":[{"contextName":"email","operator":"STR_ENDS_WITH","values":["@x.io"]}]}""",
            """
            {"name":"staging"}""",
            """
            {"name":"shop","scope":"client","environment":"production"}""",
            """
            {"kind":"Route","name":"seeded-route","match":{"pathPrefix":"/"},
             "arms":[{"name":"stable","upstreams":["127.0.0.1:1"]},{"name":"canary","upstreams":["127.0.0.1:2"]}],
             "weight":0,"sticky":{"by":"header","name":"X-User"}}""",
            """
            {"kind":"Release","name":"seeded-release","target":{"route":"shop"},
             "canary":{"stepWeights":[20,50],"stepAnalysis":{"interval":"2s","count":3,"minSamples":50,
               "metrics":[{"name":"errors","source":"gateway","measure":"errorRate"}]}}}""",
            """
            {"kind":"Experiment","name":"seeded-experiment","flag":"fuzzed","environment":"production","control":"blue",
             "primaryMetric":{"event":"checkout","kind":"conversion","goal":"increase"},"alpha":0.05,"power":0.8}""",
            """
            {"name":"default","parameters":{},"constraints":[]}""",
            """
            [{"name":"blue","weight":1000}]""");

    private static Path directory;
    private static TestServer ramp;
    private static List<Routes.Route> routes;

    @BeforeContainer
    static void startServer() throws IOException {
        directory = Files.createTempDirectory("ramp-fuzz");
        ramp = TestServer.start("sqlite", directory);
        // Resources for the routes' placeholders to name, so that bodies reach their checks rather than a 404.
        ramp.admin.post("/api/v1/flags", "{\"key\":\"fuzzed\",\"environments\":{\"production\":{\"variants\":"
                + "[{\"name\":\"blue\",\"weight\":500},{\"name\":\"green\",\"weight\":500}]}}}");
        ramp.admin.post("/api/v1/routes", SEEDS.get(4).replace("seeded-route", "shop"));
        routes = ramp.server.routes().stream()
                .filter(route -> route.path().startsWith("/api/v1/"))
                .filter(route -> route.method().equals("post") || route.method().equals("put"))
                .toList();
    }

    @AfterContainer
    static void stopServer() throws IOException {
        ramp.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    @Property(tries = 2000)
    void anyBody_onAnyAdminRoute_isAnsweredWithA2xxOrA4xxProblem(@ForAll("routes") Routes.Route route,
                                                                  @ForAll("bodies") String body) {
        String path = route.path()
                .replace("{key}", "fuzzed").replace("{environment}", "production").replace("{id}", "1")
                .replaceAll("/api/v1/routes/\\{name}", "/api/v1/routes/shop")
                .replaceAll("\\{[^}]+}", "fuzzed");
        Api.Reply reply;
        try {
            reply = ramp.admin.send(route.method().toUpperCase(Locale.ROOT), path, body, "If-Match", "*");
        } catch (UncheckedIOException e) {
            throw new AssertionError(route.method() + " " + path + " with " + abbreviated(body) + ": no answer", e);
        }

        assertThat(reply.status()).as("%s %s with %s: %s", route.method(), path, body, reply.body()).isLessThan(500);
        if (reply.status() >= 400) {
            assertThat(reply.header("Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(reply.json().path("detail").asText()).as(path).isNotEmpty();
        }
        assertThat(reply.body()).as(path).doesNotContain("Exception", "\tat ", "at dev.ramp.", "at java.");
    }

    private static String abbreviated(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "... (" + body.length() + " characters)";
    }

    @Provide
    Arbitrary<Routes.Route> routes() {
        return Arbitraries.of(routes);
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, mutatedSeeds().map(JsonNode::toString)),
                Tuple.of(3, node(4).map(JsonNode::toString)),
                Tuple.of(1, Arbitraries.of(SEEDS).flatMap(seed -> Arbitraries.integers().between(0, seed.length())
                        .map(cut -> seed.substring(0, cut)))),
                Tuple.of(1, Arbitraries.strings().withChars("{}[]\":,0123456789truefalsn \\u\u0000\u00e9")
                        .ofMaxLength(60)),
                Tuple.of(1, Arbitraries.of("", "null", "[]", "{}", "\"\"", "1e999", "{\"key\":\"\u0000\"}",
                        "{\"key\":\"a\",\"description\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
                        "{\"key\":\"" + "k".repeat(100_000) + "\"}", "\uFEFF{}")));
    }

    /** A seed with one value anywhere in it replaced by anything, or one field dropped. */
    private Arbitrary<JsonNode> mutatedSeeds() {
        return Arbitraries.of(SEEDS).map(AdminApiFuzzIT::parse).flatMap(seed -> {
            List<String> pointers = new ArrayList<>();
            collectPointers(seed, "", pointers);
            return Combinators.combine(Arbitraries.of(pointers), node(2), Arbitraries.of(true, false))
                    .as((pointer, replacement, drop) -> {
                        JsonNode copy = seed.deepCopy();
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

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
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
                Arbitraries.of(-1L, 0L, 1L, 1000L, 1001L, Long.MAX_VALUE, Long.MIN_VALUE).map(NODES::numberNode),
                Arbitraries.of(0.5, -0.0, 1e300, -1e300, Double.MIN_VALUE).map(NODES::numberNode),
                Arbitraries.of("", " ", "IN", "NOT_IN", "REGEX", "(", "SEMVER_EQ", "DATE_AFTER", "default",
                        "flexibleRollout", "production", "fuzzed", "client", "admin", "gateway", "Route", "Release",
                        "Experiment", "10s", "0s", "-1s", "99999h", "127.0.0.1:1", "http://127.0.0.1:1", "string",
                        "json", "{", "50", "101", "NaN", "x".repeat(300)).map(NODES::textNode),
                Arbitraries.strings().ofMaxLength(12).map(NODES::textNode));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = node(depth - 1).list().ofMaxSize(3).map(elements -> {
            ArrayNode result = NODES.arrayNode();
            elements.forEach(result::add);
            return result;
        });
        Arbitrary<JsonNode> object = Arbitraries.of(FIELDS).list().ofMaxSize(4).uniqueElements()
                .flatMap(keys -> node(depth - 1).list().ofSize(keys.size()).map(values -> {
                    ObjectNode result = NODES.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        result.set(keys.get(i), values.get(i));
                    }
                    return result;
                }));
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, array), Tuple.of(2, object));
    }
}
