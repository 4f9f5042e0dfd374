package dev.ramp.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Segment;
import dev.ramp.core.flag.StandardOperator;
import dev.ramp.core.flag.Strategy;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Flag data and contexts built to hurt an evaluator running inside someone's app; found in review. */
class HostileInputTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-06-01T12:00:00Z"));

    private static Evaluator evaluator(FlagSnapshot snapshot) {
        return Evaluator.of(snapshot, CLOCK, new SplittableRandom(3));
    }

    private static Flag withConstraint(Constraint constraint) {
        return Flag.of("f", true, List.of(Strategy.on().withConstraints(List.of(constraint))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"((a{1000}){1000}){1000}", "(a{1000}){1000}", "(?:a{1001})", "((a{2}){2}){251}", "[)]{2}(a{40}){40}"})
    void regex_repetitionsThatMultiplyPastTheLimit_neverMatchAndCompileAtOnce(String pattern) {
        assertThat(RepetitionLimit.exceeds(pattern)).isTrue();
        Evaluator evaluator = evaluator(FlagSnapshot.of(List.of(withConstraint(
                Constraint.of("userId", StandardOperator.REGEX, pattern).withInverted(true)))));
        assertThat(evaluator.isEnabled("f", Context.ofUser("a".repeat(5000)))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a{1000}", "(ab){10}{10}x", "a{2,5}b{3}c{999}", "\\{1000\\}{2}", "[{]{1000}", "x{1,}"})
    void regex_ordinaryRepetitions_areAllowed(String pattern) {
        assertThat(RepetitionLimit.exceeds(pattern)).isFalse();
    }

    @Test
    void segment_namedThousandsOfTimes_isCompiledOnceAndCheckedOnce() {
        List<String> values = IntStream.range(0, 100).mapToObj(i -> "v" + i).toList();
        List<Constraint> constraints = Collections.nCopies(100, Constraint.of("tier", StandardOperator.IN, values));
        Strategy strategy = Strategy.on().withSegments(Collections.nCopies(20_000, 1));
        Evaluator evaluator = Evaluator.of(new FlagSnapshot(List.of(Flag.of("f", true, List.of(strategy))),
                List.of(new Segment(1, "big", constraints))), CLOCK, new SplittableRandom(3));
        assertThat(evaluator.isEnabled("f", Context.builder().property("tier", "v7").build())).isTrue();
        assertThat(evaluator.isEnabled("f", Context.builder().property("tier", "nope").build())).isFalse();
    }

    @Test
    void ipv6_unicodeDigits_areNotHexDigits() {
        assertThat(IpAddress.parse("２００１:db8::1")).isEmpty();
        assertThat(IpAddress.parse("::١")).isEmpty();
    }

    @Test
    void date_withoutOffset_isNotAnInstant() {
        Flag flag = withConstraint(Constraint.of("when", StandardOperator.DATE_AFTER, "2020-01-01T00:00:00Z"));
        Evaluator evaluator = evaluator(FlagSnapshot.of(List.of(flag)));
        assertThat(evaluator.isEnabled("f", Context.builder().property("when", "2024-01-01T00:00:00Z").build())).isTrue();
        assertThat(evaluator.isEnabled("f", Context.builder().property("when", "2024-01-01T00:00:00").build())).isFalse();
        assertThat(evaluator.isEnabled("f", Context.builder().property("when", "2024-13-01T00:00:00Z").build())).isFalse();
        assertThat(Instants.parse("2024-01-01T00:00:00.123456789+05:30")).contains(Instant.parse("2023-12-31T18:30:00.123456789Z"));
    }

    @Test
    void currentTime_absentFromTheContext_readsAsNowForEveryOperator() {
        Flag flag = withConstraint(Constraint.of("currentTime", StandardOperator.STR_STARTS_WITH, List.of("2026-06-01T12")));
        assertThat(evaluator(FlagSnapshot.of(List.of(flag))).isEnabled("f", Context.empty())).isTrue();
    }

    @Test
    void rollout_percentages_readAsUnleashReadsThem() {
        assertThat(Rules.percent("00100")).isEqualTo(100);
        assertThat(Rules.percent("+50")).isEqualTo(50);
        assertThat(Rules.percent("101")).isEqualTo(-1);
        assertThat(Rules.percent("49.5")).isEqualTo(-1);
        assertThat(Rules.percent("99999999999999999999")).isEqualTo(-1);
    }

    @Test
    void rollout_explicitEmptyStickiness_namesAFieldNoContextHas() {
        Strategy strategy = new Strategy("flexibleRollout", Map.of("rollout", "100", "stickiness", ""), List.of(), List.of(), List.of());
        assertThat(evaluator(FlagSnapshot.of(List.of(Flag.of("f", true, List.of(strategy))))).isEnabled("f", Context.ofUser("u1"))).isFalse();
    }

    @Test
    void applicationHostname_neverMatches_evenWhenTheContextClaimsAHostname() {
        Strategy strategy = new Strategy("applicationHostname", Map.of("hostNames", "web-1"), List.of(), List.of(), List.of());
        Context context = Context.builder().property("hostname", "web-1").build();
        assertThat(evaluator(FlagSnapshot.of(List.of(Flag.of("f", true, List.of(strategy))))).isEnabled("f", context)).isFalse();
    }

    @Test
    void publicMethods_nullArguments_neverThrow() {
        Evaluator evaluator = evaluator(FlagSnapshot.of(List.of(Flag.of("f", true, List.of()))));
        assertThat(evaluator.evaluateString("f", null, null).value()).isEqualTo("");
        assertThat(Context.empty().value(null)).isEmpty();
    }
}
