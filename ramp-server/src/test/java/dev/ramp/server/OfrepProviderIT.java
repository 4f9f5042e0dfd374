package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenFeature Java SDK with the contrib OFREP provider, unchanged, evaluating flags through a Ramp server. */
class OfrepProviderIT extends ServerIT {
    Client client;
    String domain;

    @BeforeEach
    void start() {
        ramp.admin.post("/api/v1/flags", AdminApiIT.CHECKOUT);
        ramp.admin.post("/api/v1/flags", """
                {"key":"theme","environments":{"production":{"enabled":true,"strategies":[{"name":"default"}],
                 "variants":[{"name":"dark","weight":1000,"payload":{"type":"string","value":"midnight"}}]}}}""");
        ramp.admin.post("/api/v1/flags", """
                {"key":"discount","environments":{"production":{"enabled":true,"strategies":[{"name":"default"}],
                 "variants":[{"name":"ten","weight":1000,"payload":{"type":"number","value":"0.1"}}]}}}""");
        OfrepProviderOptions options = OfrepProviderOptions.builder()
                .baseUrl(ramp.url())
                .headers(ImmutableMap.of("Authorization", ImmutableList.of("Bearer " + ramp.token("frontend", "production"))))
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        domain = "ramp-" + database;
        OpenFeatureAPI.getInstance().setProviderAndWait(domain, OfrepProvider.constructProvider(options));
        client = OpenFeatureAPI.getInstance().getClient(domain);
    }

    @AfterEach
    void stop() {
        OpenFeatureAPI.getInstance().getProvider(domain).shutdown();
    }

    @Test
    void booleanFlag_evaluatesTargetingWithReasonAndVariant() {
        EvaluationContext pro = new ImmutableContext("ada", Map.of("plan", new Value("pro")));
        EvaluationContext free = new ImmutableContext("ada", Map.of("plan", new Value("free")));
        // 25% rollout on groupId checkout: pick users whose bucket is known to be in and out.
        FlagEvaluationDetails<Boolean> in = client.getBooleanDetails("checkout", false, withUser(pro, inRollout()));
        assertThat(in.getValue()).isTrue();
        assertThat(in.getReason()).isEqualTo("TARGETING_MATCH");
        assertThat(in.getVariant()).isEqualTo("on");

        FlagEvaluationDetails<Boolean> out = client.getBooleanDetails("checkout", true, free);
        assertThat(out.getValue()).isFalse();
        assertThat(out.getVariant()).isEqualTo("off");
        assertThat(out.getErrorCode()).isNull();
    }

    @Test
    void variantPayloads_evaluateAsStringsAndNumbers() {
        EvaluationContext anyone = new ImmutableContext("ada");
        FlagEvaluationDetails<String> theme = client.getStringDetails("theme", "light", anyone);
        assertThat(theme.getValue()).isEqualTo("midnight");
        assertThat(theme.getVariant()).isEqualTo("dark");
        assertThat(theme.getReason()).isEqualTo("SPLIT");

        assertThat(client.getDoubleValue("discount", 0.0, anyone)).isEqualTo(0.1);
    }

    @Test
    void unknownFlag_givesTheDefaultWithFlagNotFound() {
        FlagEvaluationDetails<Boolean> missing = client.getBooleanDetails("nope", true, new ImmutableContext("ada"));
        assertThat(missing.getValue()).isTrue();
        assertThat(missing.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    }

    private static EvaluationContext withUser(EvaluationContext context, String user) {
        return new ImmutableContext(user, context.asMap());
    }

    /** A user id inside the 25% rollout of group "checkout", found with ramp-core's bucketing. */
    private static String inRollout() {
        for (int i = 0; ; i++) {
            if (dev.ramp.core.hash.Bucketing.bucketOf("checkout", "user-" + i) <= 25) {
                return "user-" + i;
            }
        }
    }
}
