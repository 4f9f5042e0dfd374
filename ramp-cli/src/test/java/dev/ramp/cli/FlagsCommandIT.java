package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ramp.server.RampServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ramp flags} against a real server on a free loopback port, and its output in each format. */
class FlagsCommandIT {
    private static final String ADMIN = "cli-test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();

    @TempDir
    Path directory;

    RampServer server;

    @BeforeEach
    void start() {
        server = RampServer.builder().port(0).dataDirectory(directory.resolve("data")).adminToken(ADMIN).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void create_enable_rollout_disable_moveTheFlag_andListAndGetShowIt() throws Exception {
        Run created = ramp("flags", "create", "checkout.v2", "--description", "The new checkout");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("Created flag checkout.v2 (release, version 1); it is off in every environment.\n");

        Run rollout = ramp("flags", "rollout", "checkout.v2", "25", "-e", "production");
        assertThat(rollout.exitCode()).as(rollout.err()).isZero();
        assertThat(rollout.out()).startsWith("Flag checkout.v2 in production: flexibleRollout at 25% (strategy ");
        String id = JSON.readTree(ramp("flags", "get", "checkout.v2", "-o", "json").out()).path("environments")
                .path("production").path("strategies").get(0).path("id").asText();
        Run raised = ramp("flags", "rollout", "checkout.v2", "50", "--environment", "production");
        assertThat(raised.out()).as("the same strategy, set again")
                .isEqualTo("Flag checkout.v2 in production: flexibleRollout at 50% (strategy " + id + ").\n");

        Run enabled = ramp("flags", "enable", "checkout.v2", "-e", "production");
        assertThat(enabled.exitCode()).as(enabled.err()).isZero();
        assertThat(enabled.out()).isEqualTo("Flag checkout.v2 is on in production (flexibleRollout at 50%).\n");

        JsonNode flag = JSON.readTree(ramp("flags", "get", "checkout.v2", "-o", "json").out());
        JsonNode production = flag.path("environments").path("production");
        assertThat(production.path("enabled").asBoolean()).isTrue();
        assertThat(production.path("strategies")).hasSize(1);
        assertThat(production.path("strategies").get(0).path("parameters").path("rollout").asText()).isEqualTo("50");
        assertThat(production.path("strategies").get(0).path("parameters").path("groupId").asText()).isEqualTo("checkout.v2");

        Run disabled = ramp("flags", "disable", "checkout.v2", "-e", "production");
        assertThat(disabled.out()).isEqualTo("Flag checkout.v2 is off in production (flexibleRollout at 50%).\n");
        assertThat(JSON.readTree(ramp("flags", "get", "checkout.v2", "-o", "json").out()).path("version").asInt())
                .as("create, two rollouts, enable, disable").isEqualTo(5);
    }

    @Test
    void listAndGet_printATable_orTheServersDocumentsAsJsonOrYaml() throws Exception {
        ramp("flags", "create", "checkout.v2", "--description", "The new checkout");
        ramp("flags", "create", "search.ranking", "--type", "experiment");
        ramp("flags", "enable", "checkout.v2", "-e", "production");

        Run table = ramp("flags", "list");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).isEqualTo("""
                KEY             TYPE        PROJECT  ON IN       VERSION
                checkout.v2     release     default  production  2
                search.ranking  experiment  default  –           1
                """);
        assertThat(ramp("flags", "list", "-e", "production", "-o", "table").out()).contains(
                "KEY             TYPE        PROJECT  ON   STRATEGIES     VERSION",
                "checkout.v2     release     default  yes  no strategies  2");
        JsonNode json = JSON.readTree(ramp("flags", "list", "-o", "json").out());
        assertThat(json.path("items").findValuesAsText("key")).containsExactly("checkout.v2", "search.ranking");
        assertThat(json.path("total").asInt()).isEqualTo(2);
        JsonNode yaml = YAML.readTree(ramp("flags", "list", "--output", "yaml").out());
        assertThat(yaml).isEqualTo(json);

        Run get = ramp("flags", "get", "checkout.v2");
        assertThat(get.out()).containsPattern("key:\\s+checkout.v2\n").containsPattern("description:\\s+The new checkout\n")
                .containsPattern("in production:\\s+on, no strategies\n").containsPattern("version:\\s+2\n");
        JsonNode got = JSON.readTree(ramp("flags", "get", "checkout.v2", "-o", "json").out());
        assertThat(got).isEqualTo(json.path("items").get(0));
        assertThat(YAML.readTree(ramp("flags", "get", "checkout.v2", "-o", "yaml").out())).isEqualTo(got);
    }

    @Test
    void rollout_percentOutOfRange_isAUsageErrorNamingTheArgument_andChangesNothing() throws Exception {
        ramp("flags", "create", "checkout.v2");

        Run above = ramp("flags", "rollout", "checkout.v2", "150", "-e", "production");
        assertThat(above.exitCode()).isEqualTo(Main.USAGE);
        assertThat(above.err()).startsWith("PERCENT: must be a whole number from 0 to 100, got 150\n")
                .contains("Usage: ramp flags rollout");
        Run word = ramp("flags", "rollout", "checkout.v2", "half", "-e", "production");
        assertThat(word.exitCode()).isEqualTo(Main.USAGE);
        assertThat(word.err()).contains("PERCENT", "'half'");
        Run noEnvironment = ramp("flags", "rollout", "checkout.v2", "10");
        assertThat(noEnvironment.exitCode()).isEqualTo(Main.USAGE);
        assertThat(noEnvironment.err()).contains("--environment");

        assertThat(JSON.readTree(ramp("flags", "get", "checkout.v2", "-o", "json").out()).path("version").asInt())
                .isEqualTo(1);
        Run unknown = ramp("flags", "enable", "nope", "-e", "production");
        assertThat(unknown.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(unknown.err()).contains("(404)");
    }

    private Run ramp(String... args) {
        return Run.against(server.url(), ADMIN, args);
    }
}
