package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.server.RampServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ramp apply} and {@code ramp diff} of the shop example's documents against a real server on loopback. */
class ApplyCommandIT {
    private static final String ADMIN = "cli-test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHOP = Path.of("../examples/shop");
    private static final List<String> EVERY_DOCUMENT = List.of("segment/pro-users", "flag/checkout.v2",
            "flag/checkout.button", "route/checkout", "experiment/green-button", "release/checkout-v2");

    @TempDir
    Path directory;

    RampServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        // No release tick: a release moves only when it is created, so what the server holds is what the test made.
        server = RampServer.builder().port(0).dataDirectory(directory.resolve("data")).adminToken(ADMIN)
                .releaseTick(Duration.ZERO).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void apply_theShopExample_createsEveryKindInDependencyOrder_andAgainChangesNothing() throws Exception {
        Run created = ramp("apply", "-f", SHOP.toString());

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out().lines()).containsExactlyElementsOf(EVERY_DOCUMENT.stream().map(id -> "created " + id).toList());
        server.releases().tick();
        int segment = admin("/api/v1/segments").path("items").get(0).path("id").asInt();
        JsonNode flag = admin("/api/v1/flags/checkout.v2");
        assertThat(flag.path("environments").path("production").path("strategies").get(0).path("segments"))
                .as("the segment named by name, sent by id").containsExactly(JSON.valueToTree(segment));
        assertThat(admin("/api/v1/routes/checkout").path("weight").asInt()).as("moved by the release").isEqualTo(5);

        Run again = ramp("apply", "-f", SHOP.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out().lines()).containsExactlyElementsOf(EVERY_DOCUMENT.stream().map(id -> "unchanged " + id).toList());
        assertThat(admin("/api/v1/flags/checkout.v2").path("version").asInt()).as("nothing written").isEqualTo(1);
        assertThat(admin("/api/v1/routes/checkout").path("weight").asInt())
                .as("a route document without weight keeps the release's").isEqualTo(5);

        Run diff = ramp("diff", "-f", SHOP.toString());
        assertThat(diff.exitCode()).as(diff.err()).isZero();
        assertThat(diff.out()).endsWith("0 to create, 0 to update, 6 unchanged\n").doesNotContain("---", "+++");
    }

    @Test
    void diff_oneChangedField_showsExactlyThatField_andExitsWithChanges_thenApplyUpdatesOnlyIt() throws Exception {
        Path shop = copyOfTheShop();
        assertThat(ramp("apply", "-f", shop.toString()).exitCode()).isZero();
        String strategyId = admin("/api/v1/flags/checkout.v2").path("environments").path("production")
                .path("strategies").get(0).path("id").asText();
        Path flags = shop.resolve("20-flags.yaml");
        Files.writeString(flags, Files.readString(flags).replace("rollout: \"25\"", "rollout: \"50\""));

        Run diff = ramp("diff", "-f", shop.toString());

        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(Main.CHANGES);
        assertThat(diff.out()).contains("would update flag/checkout.v2\n",
                "--- flag/checkout.v2 on the server (version 1)\n",
                "+++ flag/checkout.v2 in " + flags + ", document 1\n", "unchanged flag/checkout.button\n")
                .endsWith("0 to create, 1 to update, 5 unchanged\n");
        assertThat(diff.out().lines().filter(line -> line.matches("[-+](?![-+]{2} ).*")))
                .as("the changed lines, and no others").containsExactly("-        rollout: \"25\"", "+        rollout: \"50\"");
        assertThat(diff.out()).containsPattern("@@ -\\d+,7 \\+\\d+,7 @@\n");
        assertThat(admin("/api/v1/flags/checkout.v2").path("version").asInt()).as("diff writes nothing").isEqualTo(1);

        Run applied = ramp("apply", "-f", shop.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("unchanged segment/pro-users\nupdated flag/checkout.v2\nunchanged flag/checkout.button\n");
        JsonNode flag = admin("/api/v1/flags/checkout.v2");
        JsonNode strategy = flag.path("environments").path("production").path("strategies").get(0);
        assertThat(strategy.path("parameters").path("rollout").asText()).isEqualTo("50");
        assertThat(strategy.path("id").asText()).as("the strategy keeps its id").isEqualTo(strategyId);
        assertThat(flag.path("version").asInt()).isEqualTo(2);
        assertThat(ramp("diff", "-f", shop.toString()).exitCode()).isZero();
    }

    @Test
    void diff_againstAnEmptyServer_wouldCreateEverything_andSendsNothing() throws Exception {
        Run diff = ramp("diff", "-f", SHOP.toString());

        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(Main.CHANGES);
        assertThat(diff.out().lines().filter(line -> line.startsWith("would "))).containsExactlyElementsOf(
                EVERY_DOCUMENT.stream().map(id -> "would create " + id).toList());
        assertThat(diff.out()).contains("--- /dev/null\n", "@@ -0,0 +1,10 @@\n", "+name: \"pro-users\"\n",
                "+key: \"checkout.v2\"\n", "      - \"(pro-users, a segment created first)\"\n").endsWith("6 to create, 0 to update, 0 unchanged\n");
        assertThat(admin("/api/v1/flags").path("items")).isEmpty();
        assertThat(admin("/api/v1/segments").path("items")).isEmpty();

        Run json = ramp("diff", "-f", SHOP.resolve("10-segments.yaml").toString(), "-o", "json");
        assertThat(json.exitCode()).isEqualTo(Main.CHANGES);
        JsonNode planned = JSON.readTree(json.out());
        assertThat(planned.path("action").asText()).isEqualTo("create");
        assertThat(planned.path("desired").path("constraints").get(0).path("values").get(0).asText()).isEqualTo("pro");
    }

    @Test
    void apply_badDocuments_exitOneNamingTheDocumentAndTheField_beforeSendingAny() throws Exception {
        Path shop = copyOfTheShop();
        Files.writeString(shop.resolve("60-bad.yaml"), "kind: Flag\nkey: typo\nenvironmnets: {}\n");
        Run unknown = ramp("apply", "-f", shop.toString());
        assertThat(unknown.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(unknown.err()).startsWith("ramp: " + shop.resolve("60-bad.yaml") + ": environmnets: unknown field;");
        assertThat(admin("/api/v1/segments").path("items")).as("nothing sent").isEmpty();

        Files.writeString(shop.resolve("60-bad.yaml"), "key: untyped\n");
        assertThat(ramp("apply", "-f", shop.toString()).err()).isEqualTo("ramp: " + shop.resolve("60-bad.yaml")
                + ": kind: is required: one of Segment, Flag, Route, Experiment, Release\n");
        Files.writeString(shop.resolve("60-bad.yaml"), "kind: Gadget\nname: x\n");
        assertThat(ramp("apply", "-f", shop.toString()).err()).contains("60-bad.yaml: kind: must be one of Segment,");
        Files.writeString(shop.resolve("60-bad.yaml"), "kind: Route\nname: checkout\n");
        assertThat(ramp("apply", "-f", shop.toString()).err()).isEqualTo("ramp: " + shop.resolve("60-bad.yaml")
                + ": name: 'checkout' is the name of " + shop.resolve("30-routes.yaml") + " too; name each route once\n");
        Files.writeString(shop.resolve("60-bad.yaml"), """
                kind: Flag
                key: lost
                environments:
                  production:
                    strategies: [{name: default, segments: [nobody]}]
                """);
        Run missing = ramp("apply", "-f", shop.toString());
        assertThat(missing.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(admin("/api/v1/segments").path("items")).as("nothing sent").isEmpty();
        assertThat(missing.err()).endsWith(shop.resolve("60-bad.yaml") + ": environments.production.strategies[0]"
                + ".segments[0]: no segment named 'nobody' on the server or in the documents\n");

        Files.writeString(shop.resolve("60-bad.yaml"), "kind: Flag\nkey: wrong\ntype: gadget\n");
        Run refused = ramp("apply", "-f", shop.toString());
        assertThat(refused.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(refused.out()).as("what came before was applied").contains("created flag/checkout.v2\n");
        assertThat(refused.err()).startsWith("ramp: " + shop.resolve("60-bad.yaml") + ": type: ");
    }

    @Test
    void perKindApply_takesTheDocumentsOfItsKindOnly() throws Exception {
        Run route = ramp("route", "apply", "-f", SHOP.resolve("30-routes.yaml").toString());
        assertThat(route.exitCode()).as(route.err()).isZero();
        assertThat(route.out()).isEqualTo("Created route checkout (canary, canary at 0%, version 1).\n");

        Run flag = ramp("route", "apply", "-f", SHOP.resolve("20-flags.yaml").toString());
        assertThat(flag.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(flag.err()).contains("20-flags.yaml: holds 2 documents; apply one route a file");
        Run kind = ramp("release", "apply", "-f", SHOP.resolve("30-routes.yaml").toString());
        assertThat(kind.err()).contains("30-routes.yaml: kind: must be Release, got 'Route'");
    }

    private Path copyOfTheShop() throws IOException {
        Path copy = Files.createDirectories(directory.resolve("shop"));
        try (Stream<Path> files = Files.list(SHOP)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    private JsonNode admin(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private Run ramp(String... args) {
        return Run.against(server.url(), ADMIN, args);
    }
}
