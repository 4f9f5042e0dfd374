package dev.ramp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.core.eval.Context;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RampClientBuilderTest {
    @Test
    void build_withoutTheRequiredSettings_namesEveryOneMissing() {
        assertThatThrownBy(() -> RampClient.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url is required")
                .hasMessageContaining("token is required")
                .hasMessageContaining("appName is required");
    }

    @Test
    void build_withBadValues_namesEachSettingAndItsValue() {
        assertThatThrownBy(() -> RampClient.builder().url("ftp://example").token("a b").appName("shop")
                .pollInterval(Duration.ofMillis(5))
                .reconnectBackoff(Duration.ofSeconds(10), Duration.ofSeconds(1))
                .events(0, 20_000, Duration.ofSeconds(1), 0)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url must be an http or https URL")
                .hasMessageContaining("token must be printable ASCII without spaces")
                .hasMessageContaining("pollInterval must be at least 100 ms, was 5 ms")
                .hasMessageContaining("reconnectBackoff max (PT1S) must not be less than initial (PT10S)")
                .hasMessageContaining("events capacity must be 1 to 10,000,000, was 0")
                .hasMessageContaining("events batchSize must be 1 to 10,000 (the server's bound), was 20000")
                .hasMessageContaining("events attempts must be 1 to 100, was 0");
    }

    @Test
    void build_withAnInvalidBootstrap_refusesIt() {
        assertThatThrownBy(() -> RampClient.builder().url("http://127.0.0.1:1").token("t").appName("shop")
                .bootstrap("{\"features\":[{\"enabled\":true}]}").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap is not a valid client features document");
    }

    @Test
    void build_withABootstrap_isReadyAtOnce_evenWithNoServer() {
        try (RampClient client = RampClient.builder().url("http://127.0.0.1:1").token("t").appName("shop").noBackupFile()
                .bootstrap("{\"version\":2,\"features\":[{\"name\":\"checkout\",\"enabled\":true,\"strategies\":[]}]}")
                .build()) {
            assertThat(client.awaitReady(Duration.ZERO)).isTrue();
            assertThat(client.version().origin()).isEqualTo(SnapshotOrigin.BOOTSTRAP);
            assertThat(client.isEnabled("checkout", null)).isTrue();
            assertThat(client.isEnabled(null, null)).isFalse();
            assertThat(client.variant(null, null).name()).isEqualTo("disabled");
            assertThat(client.evaluateBoolean("missing", null, true).errorCode().name()).isEqualTo("FLAG_NOT_FOUND");
        }
    }

    private static final String STATIC_FIELDS = """
            {"version":2,"features":[
             {"name":"shop-only","enabled":true,"strategies":[{"name":"default",
              "constraints":[{"contextName":"appName","operator":"IN","values":["shop"]}]}]},
             {"name":"production-only","enabled":true,"strategies":[{"name":"default",
              "constraints":[{"contextName":"environment","operator":"IN","values":["production"]}]}]},
             {"name":"child","enabled":true,"strategies":[{"name":"default"}],"dependencies":[{"feature":"shop-only"}]}]}""";

    @Test
    void evaluations_fillInTheClientsAppNameAndEnvironment_whereTheContextHasNone() {
        try (RampClient client = RampClient.builder().url("http://127.0.0.1:1").token("*:production.secret").appName("shop")
                .noBackupFile().bootstrap(STATIC_FIELDS).build()) {
            assertThat(client.isEnabled("shop-only", Context.ofUser("a"))).isTrue();
            assertThat(client.isEnabled("production-only", null)).isTrue();
            assertThat(client.evaluateBoolean("production-only", Context.empty(), false).value()).isTrue();
            assertThat(client.isEnabled("child", Context.ofUser("a"))).as("a parent's constraint counts").isTrue();
            assertThat(client.isEnabled("shop-only", Context.builder().appName("admin").build()))
                    .as("the context's own appName wins").isFalse();
        }
        try (RampClient client = RampClient.builder().url("http://127.0.0.1:1").token("opaque-token").appName("shop")
                .environment("staging").noBackupFile().bootstrap(STATIC_FIELDS).build()) {
            assertThat(client.isEnabled("production-only", Context.ofUser("a"))).isFalse();
        }
    }
}
