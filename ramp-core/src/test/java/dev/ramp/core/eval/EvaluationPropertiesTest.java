package dev.ramp.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Dependency;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Operator;
import dev.ramp.core.flag.Payload;
import dev.ramp.core.flag.Segment;
import dev.ramp.core.flag.StandardOperator;
import dev.ramp.core.flag.Strategy;
import dev.ramp.core.flag.Variant;
import dev.ramp.core.flag.VariantOverride;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties over arbitrary flags and contexts: evaluation never throws, its answers agree with each other,
 * and raising a rollout never removes a unit. The generators lean on the inputs that break evaluators:
 * malformed numbers, dates and versions, invalid and pathological regular expressions, bad CIDR blocks, huge
 * strings, zero weights, missing segments, and dependencies on missing flags, on themselves and in cycles.
 */
class EvaluationPropertiesTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-06-01T12:00:00Z"));
    /** Constant randomness, so that random stickiness answers the same way twice. */
    private static final RandomGenerator CONSTANT = () -> 0x5DEECE66DL;
    private static final List<String> FLAG_NAMES = List.of("a", "b", "c", "d", "💥");

    @Property(tries = 1000)
    void evaluate_arbitraryFlagsAndContexts_neverThrowsAndAgreesWithItself(
            @ForAll("snapshots") FlagSnapshot snapshot, @ForAll("contexts") Context context, @ForAll("flagNames") String name) {
        Evaluator evaluator = Evaluator.of(snapshot, CLOCK, CONSTANT);
        assertThatCode(() -> {
            boolean enabled = evaluator.isEnabled(name, context);
            VariantResult variant = evaluator.variant(name, context);
            Evaluation<Boolean> typed = evaluator.evaluateBoolean(name, context, false);
            Evaluation<String> text = evaluator.evaluateString(name, context, "fallback");
            Evaluation<Double> number = evaluator.evaluateNumber(name, context, -1.0);
            Evaluation<VariantResult> both = evaluator.evaluateVariant(name, context);
            assertThat(both.value()).isEqualTo(variant);

            assertThat(typed.value()).isEqualTo(enabled);
            assertThat(variant.featureEnabled()).isEqualTo(enabled);
            if (snapshot.flag(name).isPresent()) {
                assertThat(typed.reason()).isNotIn(Reason.ERROR, Reason.SPLIT);
            }
            if (variant.enabled()) {
                assertThat(text.variant()).isEqualTo(variant.name());
            }
            assertThat(number.value()).isNotNull();
        }).doesNotThrowAnyException();
    }

    @Property(tries = 300)
    void evaluate_unknownFlag_returnsFallbackWithFlagNotFound(@ForAll("snapshots") FlagSnapshot snapshot, @ForAll("contexts") Context context) {
        Evaluator evaluator = Evaluator.of(snapshot, CLOCK, CONSTANT);
        Evaluation<Boolean> result = evaluator.evaluateBoolean("no-such-flag", context, true);
        assertThat(result.value()).isTrue();
        assertThat(result.reason()).isEqualTo(Reason.ERROR);
        assertThat(result.errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        assertThat(evaluator.isEnabled("no-such-flag", context)).isFalse();
        assertThat(evaluator.variant("no-such-flag", context).name()).isEqualTo("disabled");
    }

    @Property(tries = 1000)
    void rollout_raisingThePercentage_neverRemovesAUnitAlreadyIn(
            @ForAll @IntRange(max = 100) int lower, @ForAll @IntRange(max = 100) int raise,
            @ForAll("text") String userId, @ForAll("stickiness") String stickiness) {
        int higher = Math.min(100, lower + raise);
        Context context = Context.builder().userId(userId).sessionId(userId + "-s").property("tenant", userId).build();
        Evaluator before = Evaluator.of(rolloutSnapshot(lower, stickiness), CLOCK, CONSTANT);
        Evaluator after = Evaluator.of(rolloutSnapshot(higher, stickiness), CLOCK, CONSTANT);
        if (before.isEnabled("rollout", context)) {
            assertThat(after.isEnabled("rollout", context)).isTrue();
        }
    }

    private static FlagSnapshot rolloutSnapshot(int percent, String stickiness) {
        return FlagSnapshot.of(List.of(Flag.of("rollout", true, List.of(Strategy.rollout(percent, stickiness, "group")))));
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> flagNames() {
        return Arbitraries.oneOf(Arbitraries.of(FLAG_NAMES), Arbitraries.strings().ofMaxLength(5));
    }

    @Provide
    Arbitrary<String> stickiness() {
        return Arbitraries.of("default", "userId", "sessionId", "tenant", "");
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.of("a1".repeat(10_000), "A".repeat(100_000)));
    }

    /** Values that look almost right to each operator, and some that are wildly wrong. */
    private Arbitrary<String> operand() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "1", "-1.5", "1e309", "NaN", "0x10", "1d", "1.2.3", "v1.2.3", "1.2.3-rc.1+b",
                        "01.2.3", "1.2", "2022-01-22T13:00:00.000Z", "2022-13-45T99:00:00Z", "yesterday",
                        "(regex", "^(a)\\1$", "(?=a)", "[[:alpha:]]+", "(a*)*b", "a{1000}{1000}", "\\", "\uD800",
                        "127.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/129", "1.2.3.4/33", ":::", "1:2:3:4:5:6:7:8:9",
                        "999.1.1.1", "::ffff:1.2.3.4", "fe80::1%eth0", "0.0.0.0/0"),
                text());
    }

    private Arbitrary<Constraint> constraint() {
        Arbitrary<Operator> operator = Arbitraries.oneOf(
                Arbitraries.of(StandardOperator.class).map(op -> (Operator) op),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(Operator::parse));
        Arbitrary<String> contextName = Arbitraries.of(
                "userId", "sessionId", "remoteAddress", "environment", "appName", "currentTime", "version", "tier", "missing");
        return Combinators.combine(contextName, operator, operand().list().ofMaxSize(4), operand(),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Constraint::new);
    }

    private Arbitrary<Variant> variant() {
        Arbitrary<Payload> payload = Arbitraries.oneOf(
                Arbitraries.just(Payload.NONE),
                Combinators.combine(Arbitraries.of("string", "json", "csv", "number", "weird"), operand()).as(Payload::of));
        Arbitrary<List<VariantOverride>> overrides = Combinators.combine(
                        Arbitraries.of("userId", "tier", "currentTime"), operand().list().ofMaxSize(3))
                .as(VariantOverride::new).list().ofMaxSize(2);
        return Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                        Arbitraries.integers().between(0, 1000), payload, Arbitraries.of("", "default", "random", "userId", "tier"),
                        overrides)
                .as(Variant::new);
    }

    private Arbitrary<Strategy> strategy() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of(Strategy.BUILT_IN), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6));
        Arbitrary<String> key = Arbitraries.of("rollout", "percentage", "groupId", "stickiness", "userIds", "IPs", "hostNames", "other");
        Arbitrary<Map<String, String>> parameters = Combinators.combine(key, Arbitraries.oneOf(
                        Arbitraries.of("0", "50", "100", "101", "-5", "49.5", "+50", "random", "default", "tier", "a,b, c"), operand()))
                .as(Map::entry).list().ofMaxSize(4).map(entries -> {
                    var map = new LinkedHashMap<String, String>();
                    entries.forEach(entry -> map.put(entry.getKey(), entry.getValue()));
                    return map;
                });
        return Combinators.combine(name, parameters, constraint().list().ofMaxSize(3),
                        Arbitraries.integers().between(0, 4).list().ofMaxSize(2), variant().list().ofMaxSize(3))
                .as(Strategy::new);
    }

    private Arbitrary<Flag> flag(String name) {
        Arbitrary<Dependency> dependency = Combinators.combine(Arbitraries.of(FLAG_NAMES), Arbitraries.of(true, false),
                Arbitraries.strings().alpha().ofMaxLength(4).list().ofMaxSize(2)).as((parent, enabled, variants) ->
                new Dependency(parent, enabled, variants.stream().filter(v -> !v.isEmpty()).toList()));
        return Combinators.combine(Arbitraries.of(true, false), strategy().list().ofMaxSize(3), variant().list().ofMaxSize(4),
                        dependency.list().ofMaxSize(2))
                .as((enabled, strategies, variants, dependencies) -> Flag.of(name, enabled, strategies)
                        .withVariants(variants).withDependencies(dependencies));
    }

    @Provide
    Arbitrary<FlagSnapshot> snapshots() {
        Arbitrary<List<Segment>> segments = constraint().list().ofMaxSize(2).list().ofMaxSize(3).map(lists -> {
            var result = new ArrayList<Segment>();
            for (int i = 0; i < lists.size(); i++) {
                result.add(new Segment(i + 1, "segment-" + i, lists.get(i)));
            }
            return result;
        });
        return Combinators.combine(flag("a"), flag("b"), flag("c"), flag("💥"), segments)
                .as((a, b, c, d, s) -> new FlagSnapshot(List.of(a, b, c, d), s));
    }

    @Provide
    Arbitrary<Context> contexts() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.just((String) null), operand());
        return Combinators.combine(value, value, value, value, value, value, value,
                Arbitraries.of(true, false)).as((userId, sessionId, address, environment, version, tier, hostname, withTime) ->
                Context.builder().userId(userId).sessionId(sessionId).remoteAddress(address).environment(environment)
                        .appName(tier).property("version", version).property("tier", tier).property("hostname", hostname)
                        .currentTime(withTime ? Instant.parse("2022-01-25T13:00:00Z") : null).build());
    }
}
