package dev.ramp.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Dependency;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Payload;
import dev.ramp.core.flag.Segment;
import dev.ramp.core.flag.StandardOperator;
import dev.ramp.core.flag.Strategy;
import dev.ramp.core.flag.Variant;
import dev.ramp.core.flag.VariantOverride;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-06-01T12:00:00Z"));

    private static Evaluator evaluator(Flag... flags) {
        return Evaluator.of(FlagSnapshot.of(List.of(flags)), CLOCK, new SplittableRandom(1));
    }

    @Test
    void evaluate_unknownFlag_returnsFallbackWithFlagNotFound() {
        Evaluation<Boolean> result = evaluator().evaluateBoolean("missing", Context.empty(), false);
        assertThat(result).isEqualTo(new Evaluation<>(false, "", Reason.ERROR, ErrorCode.FLAG_NOT_FOUND, "flag 'missing' not found"));
        assertThat(evaluator().evaluateString("missing", Context.empty(), "blue").value()).isEqualTo("blue");
    }

    @Test
    void evaluate_nullArguments_neverThrow() {
        Evaluator evaluator = evaluator(Flag.of("on", true, List.of()));
        assertThat(evaluator.isEnabled(null, null)).isFalse();
        assertThat(evaluator.isEnabled("on", null)).isTrue();
        assertThat(evaluator.variant(null, null).name()).isEqualTo("disabled");
        assertThat(evaluator.evaluateBoolean(null, null, true).errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    }

    @Test
    void evaluateBoolean_reasons_sayWhy() {
        Flag everyone = Flag.of("everyone", true, List.of());
        Flag killed = Flag.of("killed", false, List.of(Strategy.on()));
        Flag betaOnly = Flag.of("beta", true, List.of(Strategy.on().withConstraints(
                List.of(Constraint.of("tier", StandardOperator.IN, List.of("beta"))))));
        Evaluator evaluator = evaluator(everyone, killed, betaOnly);
        Context beta = Context.builder().property("tier", "beta").build();

        assertThat(evaluator.evaluateBoolean("everyone", beta, false).reason()).isEqualTo(Reason.STATIC);
        assertThat(evaluator.evaluateBoolean("killed", beta, true)).isEqualTo(new Evaluation<>(false, "", Reason.DISABLED, ErrorCode.NONE, ""));
        assertThat(evaluator.evaluateBoolean("beta", beta, false)).isEqualTo(new Evaluation<>(true, "", Reason.TARGETING_MATCH, ErrorCode.NONE, ""));
        assertThat(evaluator.evaluateBoolean("beta", Context.empty(), true)).isEqualTo(new Evaluation<>(false, "", Reason.DEFAULT, ErrorCode.NONE, ""));
    }

    @Test
    void evaluateString_variantPayloads_areTypedWithReasons() {
        Flag colour = Flag.of("colour", true, List.of()).withVariants(List.of(
                Variant.of("blue", 1).withPayload(Payload.of("string", "#00f")),
                new Variant("red", 0, Payload.of("number", "7"), "", List.of(new VariantOverride("userId", List.of("vip"))))));
        Evaluator evaluator = evaluator(colour);

        assertThat(evaluator.evaluateString("colour", Context.ofUser("u1"), "none"))
                .isEqualTo(new Evaluation<>("#00f", "blue", Reason.SPLIT, ErrorCode.NONE, ""));
        Evaluation<String> mismatch = evaluator.evaluateString("colour", Context.ofUser("vip"), "none");
        assertThat(mismatch.value()).isEqualTo("none");
        assertThat(mismatch.errorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(evaluator.evaluateNumber("colour", Context.ofUser("vip"), 0.0))
                .isEqualTo(new Evaluation<>(7.0, "red", Reason.TARGETING_MATCH, ErrorCode.NONE, ""));
    }

    @Test
    void evaluateString_variantWithoutPayload_isItsName_andNoVariantsIsFallback() {
        Flag arms = Flag.of("arms", true, List.of()).withVariants(List.of(Variant.of("treatment", 1)));
        Flag plain = Flag.of("plain", true, List.of());
        Evaluator evaluator = evaluator(arms, plain);
        assertThat(evaluator.evaluateString("arms", Context.ofUser("u"), "control").value()).isEqualTo("treatment");
        assertThat(evaluator.evaluateString("plain", Context.ofUser("u"), "control"))
                .isEqualTo(new Evaluation<>("control", "", Reason.DEFAULT, ErrorCode.NONE, ""));
    }

    @Test
    void evaluateVariant_givesStateVariantAndReasonFromOneEvaluation() {
        Flag arms = Flag.of("arms", true, List.of()).withVariants(List.of(
                new Variant("a", 1, Payload.NONE, "", List.of(new VariantOverride("userId", List.of("qa")))), Variant.of("b", 1)));
        Flag plain = Flag.of("plain", true, List.of(Strategy.on()));
        Flag off = Flag.of("off", false, List.of());
        Evaluator evaluator = evaluator(arms, plain, off);

        Evaluation<VariantResult> split = evaluator.evaluateVariant("arms", Context.ofUser("u1"));
        assertThat(split.reason()).isEqualTo(Reason.SPLIT);
        assertThat(split.value()).isEqualTo(evaluator.variant("arms", Context.ofUser("u1")));
        assertThat(evaluator.evaluateVariant("arms", Context.ofUser("qa")))
                .isEqualTo(new Evaluation<>(new VariantResult("a", Payload.NONE, true, true), "a", Reason.TARGETING_MATCH, ErrorCode.NONE, ""));
        assertThat(evaluator.evaluateVariant("plain", Context.empty()))
                .isEqualTo(new Evaluation<>(new VariantResult("disabled", Payload.NONE, false, true), "", Reason.TARGETING_MATCH, ErrorCode.NONE, ""));
        assertThat(evaluator.evaluateVariant("off", Context.empty()).reason()).isEqualTo(Reason.DISABLED);
        assertThat(evaluator.evaluateVariant("missing", Context.empty()).errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    }

    @Test
    void evaluateNumber_unreadableNumber_isParseError() {
        Flag limit = Flag.of("limit", true, List.of()).withVariants(List.of(Variant.of("v", 1).withPayload(Payload.of("number", "ten"))));
        Evaluation<Double> result = evaluator(limit).evaluateNumber("limit", Context.empty(), 3.0);
        assertThat(result.value()).isEqualTo(3.0);
        assertThat(result.errorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
        assertThat(result.errorMessage()).contains("ten");
    }

    @Test
    void variant_strategyVariants_overrideFlagVariants() {
        Strategy withVariants = Strategy.rollout(100, "default", "g").withVariants(List.of(Variant.of("from-strategy", 1)));
        Flag flag = Flag.of("f", true, List.of(withVariants)).withVariants(List.of(Variant.of("from-flag", 1)));
        assertThat(evaluator(flag).variant("f", Context.ofUser("u")))
                .isEqualTo(new VariantResult("from-strategy", Payload.NONE, true, true));
    }

    @Test
    void variant_zeroTotalWeight_servesNoVariantButFlagIsOn() {
        Flag flag = Flag.of("f", true, List.of()).withVariants(List.of(Variant.of("a", 0), Variant.of("b", 0)));
        assertThat(evaluator(flag).variant("f", Context.ofUser("u"))).isEqualTo(new VariantResult("disabled", Payload.NONE, false, true));
    }

    @Test
    void isEnabled_missingSegment_neverMatches() {
        Flag flag = Flag.of("f", true, List.of(Strategy.on().withSegments(List.of(99))));
        assertThat(evaluator(flag).isEnabled("f", Context.empty())).isFalse();
    }

    @Test
    void isEnabled_segmentConstraints_areAndedWithTheStrategy() {
        Segment eu = new Segment(1, "eu", List.of(Constraint.of("region", StandardOperator.IN, List.of("eu"))));
        Flag flag = Flag.of("f", true, List.of(Strategy.on().withSegments(List.of(1))));
        Evaluator evaluator = Evaluator.of(new FlagSnapshot(List.of(flag), List.of(eu)), CLOCK, new SplittableRandom(1));
        assertThat(evaluator.isEnabled("f", Context.builder().property("region", "eu").build())).isTrue();
        assertThat(evaluator.isEnabled("f", Context.builder().property("region", "us").build())).isFalse();
    }

    @Test
    void isEnabled_dateConstraintWithoutCurrentTime_usesTheInjectedClock() {
        Flag launch = Flag.of("launch", true, List.of(Strategy.on().withConstraints(List.of(
                Constraint.of("currentTime", StandardOperator.DATE_AFTER, "2026-06-01T11:59:59Z")))));
        assertThat(evaluator(launch).isEnabled("launch", Context.empty())).isTrue();
        Evaluator earlier = Evaluator.of(FlagSnapshot.of(List.of(launch)),
                InstantSource.fixed(Instant.parse("2026-06-01T11:59:59.900Z")), new SplittableRandom(1));
        assertThat(earlier.isEnabled("launch", Context.empty())).as("now is truncated to seconds").isFalse();
    }

    @Test
    void isEnabled_dependencyChains_stopAtOneLevel() {
        Flag grandparent = Flag.of("grandparent", true, List.of());
        Flag parent = Flag.of("parent", true, List.of()).withDependencies(List.of(Dependency.on("grandparent")));
        Flag child = Flag.of("child", true, List.of()).withDependencies(List.of(Dependency.on("parent")));
        Flag selfish = Flag.of("selfish", true, List.of()).withDependencies(List.of(Dependency.on("selfish")));
        Evaluator evaluator = evaluator(grandparent, parent, child, selfish);
        assertThat(evaluator.isEnabled("parent", Context.empty())).isTrue();
        assertThat(evaluator.isEnabled("child", Context.empty())).isFalse();
        assertThat(evaluator.isEnabled("selfish", Context.empty())).isFalse();
        assertThat(evaluator.evaluateBoolean("child", Context.empty(), true).reason()).isEqualTo(Reason.DISABLED);
    }

    @Test
    void evaluateBoolean_dependencyHoldsButNoStrategyMatches_isDefaultNotDisabled() {
        Flag parent = Flag.of("parent", true, List.of());
        Flag child = Flag.of("child", true, List.of(Strategy.on().withConstraints(
                List.of(Constraint.of("plan", StandardOperator.IN, List.of("pro"))))))
                .withDependencies(List.of(Dependency.on("parent")));
        Evaluator evaluator = evaluator(parent, child);
        assertThat(evaluator.evaluateBoolean("child", Context.empty(), true).reason()).isEqualTo(Reason.DEFAULT);
        assertThat(evaluator.evaluateBoolean("child", Context.builder().property("plan", "pro").build(), false).value()).isTrue();
    }

    @Test
    void isEnabled_regexLongerThanTheLimit_neverMatches() {
        String pattern = "a".repeat(ConstraintCompiler.MAX_PATTERN_LENGTH + 1);
        Flag flag = Flag.of("f", true, List.of(Strategy.on().withConstraints(List.of(
                Constraint.of("userId", StandardOperator.REGEX, pattern).withInverted(true)))));
        assertThat(evaluator(flag).isEnabled("f", Context.ofUser("b"))).isFalse();
    }

    @Test
    void isEnabled_caseInsensitiveStringOperators_ignoreCaseButInDoesNot() {
        Constraint endsWith = Constraint.of("email", StandardOperator.STR_ENDS_WITH, List.of("@Example.COM")).withCaseInsensitive(true);
        Constraint in = Constraint.of("email", StandardOperator.IN, List.of("ANN@example.com")).withCaseInsensitive(true);
        Evaluator evaluator = evaluator(Flag.of("ends", true, List.of(Strategy.on().withConstraints(List.of(endsWith)))),
                Flag.of("in", true, List.of(Strategy.on().withConstraints(List.of(in)))));
        Context ann = Context.builder().property("email", "ann@example.com").build();
        assertThat(evaluator.isEnabled("ends", ann)).isTrue();
        assertThat(evaluator.isEnabled("in", ann)).as("IN is exact, as in Unleash").isFalse();
    }

    @Test
    void context_value_readsWellKnownFieldsThenProperties() {
        Context context = Context.builder().userId("u").property("plan", "pro").currentTime(Instant.parse("2026-01-01T00:00:00Z")).build();
        assertThat(context.value("userId")).contains("u");
        assertThat(context.value("plan")).contains("pro");
        assertThat(context.value("currentTime")).contains("2026-01-01T00:00:00Z");
        assertThat(context.value("sessionId")).isEmpty();
        assertThat(context.toBuilder().build()).isEqualTo(context);
    }
}
