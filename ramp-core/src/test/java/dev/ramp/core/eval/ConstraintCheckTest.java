package dev.ramp.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Operator;
import dev.ramp.core.flag.StandardOperator;
import dev.ramp.core.flag.Strategy;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The admin API's check agrees with the evaluator: a constraint it flags is one that can never match. */
class ConstraintCheckTest {

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of(Constraint.of("userId", Operator.parse("NOT_AN_OPERATOR"), List.of("a")), "unknown operator"),
                Arguments.of(Constraint.of("userId", StandardOperator.IN, List.of()), "at least one entry"),
                Arguments.of(Constraint.of("age", StandardOperator.NUM_GT, "ten"), "not a number"),
                Arguments.of(Constraint.of("currentTime", StandardOperator.DATE_AFTER, "2026-01-01T00:00:00"), "RFC 3339"),
                Arguments.of(Constraint.of("version", StandardOperator.SEMVER_GTE, "1.2"), "semantic version"),
                Arguments.of(Constraint.of("email", StandardOperator.REGEX, "(unclosed"), "invalid regular expression"),
                Arguments.of(Constraint.of("email", StandardOperator.REGEX, "((a{1,100}){1,100}){1,100}"), "repeats too deeply"),
                Arguments.of(Constraint.of("remoteAddress", StandardOperator.IN_CIDR, List.of("10.0.0.0/33")), "not an IP address"));
    }

    @ParameterizedTest
    @MethodSource("broken")
    void problem_malformedOperand_namesTheReasonAndTheEvaluatorNeverMatches(Constraint constraint, String reason) {
        assertThat(ConstraintCheck.problem(constraint)).hasValueSatisfying(text -> assertThat(text).contains(reason));

        Flag flag = Flag.of("f", true, List.of(Strategy.on().withConstraints(List.of(constraint))));
        Evaluator evaluator = Evaluator.of(FlagSnapshot.of(List.of(flag)),
                InstantSource.fixed(Instant.parse("2027-01-01T00:00:00Z")), new SplittableRandom(1));
        Context everything = Context.builder().userId("a").property("age", "11").property("version", "9.9.9")
                .property("email", "a").remoteAddress("10.0.0.1").build();
        assertThat(evaluator.isEnabled("f", everything)).isFalse();
    }

    static Stream<Constraint> wellFormed() {
        return Stream.of(
                Constraint.of("userId", StandardOperator.IN, List.of("a")),
                Constraint.of("age", StandardOperator.NUM_GTE, "10.5"),
                Constraint.of("currentTime", StandardOperator.DATE_BEFORE, "2030-01-01T00:00:00Z"),
                Constraint.of("version", StandardOperator.SEMVER_LT, "2.0.0-rc.1"),
                Constraint.of("email", StandardOperator.REGEX, "@example\\.com$").withCaseInsensitive(true),
                Constraint.of("remoteAddress", StandardOperator.IN_CIDR, List.of("10.0.0.0/8", "::1")));
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void problem_wellFormedOperand_isEmpty(Constraint constraint) {
        assertThat(ConstraintCheck.problem(constraint)).isEmpty();
    }
}
