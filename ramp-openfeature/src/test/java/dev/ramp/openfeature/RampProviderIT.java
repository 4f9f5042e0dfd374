package dev.ramp.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Value;
import dev.ramp.sdk.RampClient;
import dev.ramp.sdk.server.LocalRampServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenFeature's own SDK, evaluating through RampProvider against a real Ramp server on loopback. */
class RampProviderIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String COLOR = """
            {"key":"button-color","environments":{"production":{"enabled":true,"strategies":[{"name":"default"}],
             "variants":[{"name":"blue","weight":1000,"payload":{"type":"string","value":"#00f"}}]}}}""";
    private static final String BETA = """
            {"key":"beta","environments":{"production":{"enabled":true,"strategies":[{"name":"userWithId",
             "parameters":{"userIds":"alice"}}]}}}""";

    @TempDir
    Path directory;
    private LocalRampServer ramp;
    private final OpenFeatureAPI openFeature = OpenFeatureAPI.getInstance();
    /** Each test has a domain of its own in OpenFeature's global API. */
    private final String domain = "ramp-it-" + java.util.UUID.randomUUID();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Client client;

    @BeforeEach
    void start() {
        ramp = LocalRampServer.start(directory.resolve("server"));
        ramp.post("/api/v1/flags", COLOR);
        ramp.post("/api/v1/flags", BETA);
        ramp.createFlag("checkout", true);
        client = openFeature.getClient(domain);
        client.onProviderReady(details -> events.add("READY"));
        client.onProviderConfigurationChanged(details -> events.add("CHANGED " + details.getFlagsChanged()));
        client.onProviderStale(details -> events.add("STALE"));
        client.onProviderError(details -> events.add("ERROR"));
    }

    @AfterEach
    void stop() {
        openFeature.getProvider(domain).shutdown();
        ramp.close();
    }

    private RampProvider provider() {
        return new RampProvider(RampClient.builder().url(ramp.url()).token(ramp.clientToken("production")).appName("of-shop")
                .noBackupFile().reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build(), WAIT);
    }

    @Test
    void evaluations_throughTheOpenFeatureSdk_carryValueVariantAndReason() {
        openFeature.setProviderAndWait(domain, provider());

        assertThat(client.getBooleanValue("checkout", false)).isTrue();
        FlagEvaluationDetails<Boolean> beta = client.getBooleanDetails("beta", false, new ImmutableContext("alice"));
        assertThat(beta.getValue()).isTrue();
        assertThat(beta.getReason()).isEqualTo("TARGETING_MATCH");
        assertThat(client.getBooleanValue("beta", false, new ImmutableContext("bob"))).isFalse();
        FlagEvaluationDetails<String> color = client.getStringDetails("button-color", "none", new ImmutableContext("alice"));
        assertThat(color.getValue()).isEqualTo("#00f");
        assertThat(color.getVariant()).isEqualTo("blue");
        assertThat(color.getReason()).isEqualTo("SPLIT");
        assertThat(color.getFlagMetadata().getString("type")).isEqualTo("release");
        FlagEvaluationDetails<Value> missing = client.getObjectDetails("missing", new Value("d"));
        assertThat(missing.getErrorCode()).isEqualTo(dev.openfeature.sdk.ErrorCode.FLAG_NOT_FOUND);
        assertThat(missing.getValue().asString()).isEqualTo("d");
    }

    @Test
    void providerEvents_followTheServer_changedStaleAndReadyAgain() {
        openFeature.setProviderAndWait(domain, provider());
        await().atMost(WAIT).until(() -> ramp.streams() == 1);

        ramp.toggle("checkout", false);
        await().atMost(WAIT).until(() -> events.contains("CHANGED [checkout]"));
        assertThat(client.getBooleanValue("checkout", true)).isFalse();

        ramp.stop();
        await().atMost(WAIT).until(() -> events.contains("STALE"));
        assertThat(client.getProviderState()).isEqualTo(ProviderState.STALE);
        assertThat(client.getBooleanValue("checkout", true)).as("the last snapshot still answers").isFalse();

        ramp.startAgain();
        await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.READY);
        assertThat(events).containsSubsequence("READY", "CHANGED [checkout]", "STALE", "READY");
    }

    @Test
    void serverDownAtInitialization_isAnError_untilTheServerComesBack() {
        String token = ramp.clientToken("production");
        ramp.stop();
        RampProvider provider = new RampProvider(RampClient.builder().url(ramp.url()).token(token)
                .appName("of-shop").noBackupFile().reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build(),
                Duration.ofMillis(200));
        openFeature.setProvider(domain, provider);

        await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.ERROR);
        FlagEvaluationDetails<Boolean> result = client.getBooleanDetails("checkout", true);
        assertThat(result.getValue()).isTrue();
        assertThat(result.getReason()).isEqualTo("ERROR");
        assertThat(events).contains("ERROR");

        ramp.startAgain();
        ramp.toggle("checkout", false);
        await().atMost(WAIT).until(() -> client.getProviderState() == ProviderState.READY);
        assertThat(events).containsSubsequence("ERROR", "READY");
    }
}
