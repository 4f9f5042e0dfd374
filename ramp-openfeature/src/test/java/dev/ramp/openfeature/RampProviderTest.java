package dev.ramp.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableTrackingEventDetails;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import dev.ramp.core.eval.Context;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.Payload;
import dev.ramp.core.flag.Strategy;
import dev.ramp.core.flag.Variant;
import dev.ramp.sdk.testing.TestRampClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider's mapping of Ramp evaluations onto OpenFeature's, over a test client (no server). */
class RampProviderTest {
    private final TestRampClient ramp = TestRampClient.create();
    private final RampProvider provider = new RampProvider(ramp);
    private static final ImmutableContext ALICE = new ImmutableContext("alice");

    @Test
    void booleanEvaluation_isTheFlagState_withVariantOnOrOffAndTheReason() {
        ramp.enable("checkout").disable("legacy")
                .set(Flag.of("beta", true, List.of(new Strategy("userWithId", Map.of("userIds", "alice"), List.of(), List.of(), List.of()))));

        assertThat(provider.getBooleanEvaluation("checkout", false, ALICE))
                .extracting(ProviderEvaluation::getValue, ProviderEvaluation::getVariant, ProviderEvaluation::getReason)
                .containsExactly(true, "on", "STATIC");
        assertThat(provider.getBooleanEvaluation("legacy", true, ALICE))
                .extracting(ProviderEvaluation::getValue, ProviderEvaluation::getVariant, ProviderEvaluation::getReason)
                .containsExactly(false, "off", "DISABLED");
        assertThat(provider.getBooleanEvaluation("beta", false, ALICE).getReason()).isEqualTo("TARGETING_MATCH");
        assertThat(provider.getBooleanEvaluation("beta", false, new ImmutableContext("bob")))
                .extracting(ProviderEvaluation::getValue, ProviderEvaluation::getReason).containsExactly(false, "DEFAULT");
    }

    @Test
    void unknownFlag_givesTheDefaultWithFlagNotFound() {
        ProviderEvaluation<Boolean> result = provider.getBooleanEvaluation("missing", true, ALICE);

        assertThat(result.getValue()).isTrue();
        assertThat(result.getReason()).isEqualTo("ERROR");
        assertThat(result.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    }

    @Test
    void typedEvaluations_readTheServedVariantsPayload() {
        ramp.variants("color", Variant.of("blue", 1000).withPayload(Payload.of("string", "#00f")))
                .variants("limit", Variant.of("high", 1000).withPayload(Payload.of("number", "42")))
                .variants("ratio", Variant.of("half", 1000).withPayload(Payload.of("number", "0.5")))
                .variants("layout", Variant.of("grid", 1000).withPayload(Payload.of("json", "{\"columns\":3,\"dense\":true,\"tags\":[\"a\"]}")))
                .variants("plain", Variant.of("simple", 1000));

        assertThat(provider.getStringEvaluation("color", "none", ALICE))
                .extracting(ProviderEvaluation::getValue, ProviderEvaluation::getVariant, ProviderEvaluation::getReason)
                .containsExactly("#00f", "blue", "SPLIT");
        assertThat(provider.getIntegerEvaluation("limit", 0, ALICE).getValue()).isEqualTo(42);
        assertThat(provider.getDoubleEvaluation("ratio", 0.0, ALICE).getValue()).isEqualTo(0.5);
        Value layout = provider.getObjectEvaluation("layout", new Value(), ALICE).getValue();
        assertThat(layout.asStructure().getValue("columns").asInteger()).isEqualTo(3);
        assertThat(layout.asStructure().getValue("dense").asBoolean()).isTrue();
        assertThat(layout.asStructure().getValue("tags").asList()).extracting(Value::asString).containsExactly("a");
        assertThat(provider.getStringEvaluation("plain", "none", ALICE).getValue()).isEqualTo("simple");
    }

    @Test
    void typeMismatches_giveTheDefaultWithTypeMismatch() {
        ramp.enable("checkout").variants("ratio", Variant.of("half", 1000).withPayload(Payload.of("number", "0.5")));

        assertThat(provider.getStringEvaluation("checkout", "none", ALICE))
                .extracting(ProviderEvaluation::getValue, ProviderEvaluation::getErrorCode).containsExactly("none", ErrorCode.TYPE_MISMATCH);
        assertThat(provider.getIntegerEvaluation("ratio", 7, ALICE))
                .extracting(ProviderEvaluation::getValue, ProviderEvaluation::getErrorCode).containsExactly(7, ErrorCode.TYPE_MISMATCH);
        assertThat(provider.getStringEvaluation("ratio", "none", ALICE).getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    }

    @Test
    void offFlagWithVariants_givesTheDefaultWithDisabled() {
        Flag color = new Flag("color", "", "", "", false, false, false, List.of(Strategy.on()),
                List.of(Variant.of("blue", 1000)), List.of(), List.of());
        ramp.set(color);

        assertThat(provider.getStringEvaluation("color", "none", ALICE))
                .extracting(ProviderEvaluation::getValue, ProviderEvaluation::getReason, ProviderEvaluation::getVariant)
                .containsExactly("none", "DISABLED", null);
    }

    @Test
    void context_mapsTargetingKeyToUserId_andScalarsToProperties() {
        Context context = RampProvider.context(new ImmutableContext("alice", Map.of(
                "plan", new Value("pro"), "seats", new Value(12), "trial", new Value(true),
                "sessionId", new Value("s-1"), "currentTime", new Value(Instant.parse("2026-12-01T10:00:00Z")),
                "nested", new Value(new dev.openfeature.sdk.ImmutableStructure(Map.of("x", new Value(1)))))));

        assertThat(context.userId()).contains("alice");
        assertThat(context.sessionId()).contains("s-1");
        assertThat(context.currentTime()).contains(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(context.properties()).containsOnly(Map.entry("plan", "pro"), Map.entry("seats", "12"), Map.entry("trial", "true"));
    }

    @Test
    void invalidContext_givesTheDefaultWithInvalidContext() {
        ramp.enable("checkout");

        ProviderEvaluation<Boolean> result = provider.getBooleanEvaluation("checkout", false,
                new ImmutableContext("alice", Map.of("currentTime", new Value("yesterday"))));

        assertThat(result.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(result.getValue()).isFalse();
    }

    @Test
    void track_becomesARampEventWithTheDetailsValue() {
        provider.track("purchase", ALICE, new MutableTrackingEventDetails(12.5));
        provider.track("visit", new ImmutableContext("bob"), null);

        assertThat(ramp.tracked()).containsExactly(
                new TestRampClient.Tracked("purchase", "alice", 12.5),
                new TestRampClient.Tracked("visit", "bob", 1.0));
    }
}
