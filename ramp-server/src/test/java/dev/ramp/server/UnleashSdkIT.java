package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unleash's own Java SDK ({@code io.getunleash:unleash-client-java}), unchanged, against a Ramp server: it sees flags
 * made through the admin API, follows a toggle by polling and by streaming, and reports registration and metrics.
 */
class UnleashSdkIT extends ServerIT {
    private static final String PRO_ONLY = """
            {"key":"checkout","environments":{"production":{"enabled":true,"strategies":[{"name":"flexibleRollout",
             "parameters":{"rollout":"100","stickiness":"default","groupId":"checkout"},
             "constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}]}]}}}""";
    private static final UnleashContext PRO = UnleashContext.builder().userId("ada").addProperty("plan", "pro").build();
    private static final UnleashContext FREE = UnleashContext.builder().userId("bob").addProperty("plan", "free").build();

    Unleash unleash;

    @BeforeEach
    void start() {
        assertThat(ramp.admin.post("/api/v1/flags", PRO_ONLY).status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        if (unleash != null) {
            unleash.shutdown();
        }
    }

    private UnleashConfig.Builder config(String appName) {
        return UnleashConfig.builder()
                .appName(appName)
                .instanceId(appName + "-1")
                .unleashAPI(ramp.url() + "/api")
                .apiKey(ramp.token("client", "production"))
                .synchronousFetchOnInitialisation(true)
                .fetchTogglesInterval(1)
                .sendMetricsInterval(1)
                .backupFile(directory.resolve(appName + "-backup.json").toString());
    }

    @Test
    void polling_seesFlagsFromTheAdminApi_followsAToggle_andReportsUsage() {
        unleash = new DefaultUnleash(config("shop-polling").build());

        assertThat(unleash.isEnabled("checkout", PRO)).isTrue();
        assertThat(unleash.isEnabled("checkout", FREE)).isFalse();
        assertThat(unleash.isEnabled("missing", PRO)).isFalse();

        ramp.admin.post("/api/v1/flags/checkout/environments/production/off", null, "If-Match", "\"1\"");
        await().atMost(Duration.ofSeconds(20)).until(() -> !unleash.isEnabled("checkout", PRO));

        await().atMost(Duration.ofSeconds(20)).until(() ->
                ramp.admin.get("/api/v1/clients").body().contains("shop-polling"));
        await().atMost(Duration.ofSeconds(20)).until(() -> ramp.admin
                .get("/api/v1/flags/checkout/metrics?from=2026-12-01T00:00:00Z&to=2100-01-01T00:00:00Z")
                .json().path("yes").asLong() >= 1);
    }

    @Test
    void streaming_followsChangesPushedByTheServer() {
        unleash = new DefaultUnleash(config("shop-streaming").experimentalStreamingMode().build());
        await().atMost(Duration.ofSeconds(20)).until(() -> ramp.server.streams() == 1);
        assertThat(unleash.isEnabled("checkout", PRO)).isTrue();

        ramp.admin.post("/api/v1/flags/checkout/environments/production/off", null, "If-Match", "\"1\"");
        await().atMost(Duration.ofSeconds(20)).until(() -> !unleash.isEnabled("checkout", PRO));

        ramp.admin.post("/api/v1/flags", "{\"key\":\"banner\",\"environments\":{\"production\":{\"enabled\":true}}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> unleash.isEnabled("banner", FREE));
    }
}
