package dev.ramp.core.eval;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.StandardOperator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles {@link Constraint constraints} into {@link CompiledConstraint compiled constraints}, resolving the context field,
 * parsing the operands and building sets and patterns once per snapshot rather than once per evaluation.
 *
 * <p>The rules are those of Unleash's engine (Yggdrasil) as the client specification v6.1.0 pins them:
 * <ul>
 *   <li>a missing or unreadable context value fails the comparison, and {@code inverted} then negates it, except
 *       for {@code NOT_IN}, which a missing value passes;</li>
 *   <li>{@code caseInsensitive} applies to {@code STR_*} and {@code REGEX}, not to {@code IN}/{@code NOT_IN};</li>
 *   <li>{@code NUM_*} compare doubles ({@code NUM_EQ} within one ulp of 1.0), {@code DATE_*} are strict;</li>
 *   <li>a context without {@code currentTime} has it all the same: the evaluator's clock, truncated to
 *       seconds;</li>
 *   <li>a constraint whose own operand is malformed (an unknown operator, a bad number, date, version or regex,
 *       a regex longer than {@value #MAX_PATTERN_LENGTH} characters, one whose counted repetitions multiply
 *       past {@link RepetitionLimit#MAX_COST}, or one RE2/J cannot compile without hanging, see
 *       {@link FoldGuard}) never matches, inverted or not.</li>
 * </ul>
 */
final class ConstraintCompiler {
    /**
     * Longer {@code REGEX} patterns never match: RE2 matches in linear time, but compiling a case-insensitive
     * pattern of tens of thousands of characters takes minutes, and a snapshot must compile in milliseconds.
     */
    static final int MAX_PATTERN_LENGTH = 1024;

    private ConstraintCompiler() {}

    /** The compiled constraint; one that cannot be compiled, for whatever reason, never matches. */
    static CompiledConstraint compile(Constraint constraint) {
        try {
            return compileOperator(constraint);
        } catch (RuntimeException e) {
            return CompiledConstraint.NEVER;
        }
    }

    /** Why {@code constraint}'s operand makes it never match; see {@link ConstraintCheck#problem}. */
    static Optional<String> problem(Constraint constraint) {
        if (!(constraint.operator() instanceof StandardOperator operator)) {
            return Optional.of("unknown operator " + constraint.operator().wireName());
        }
        String value = constraint.value();
        return switch (operator) {
            case IN, NOT_IN, STR_STARTS_WITH, STR_ENDS_WITH, STR_CONTAINS -> constraint.values().isEmpty()
                    ? Optional.of(operator + " needs at least one entry in values")
                    : Optional.empty();
            case NUM_EQ, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE -> Numbers.isNumber(value)
                    ? Optional.empty()
                    : Optional.of("value '" + value + "' is not a number");
            case DATE_AFTER, DATE_BEFORE -> Instants.parse(value).isPresent()
                    ? Optional.empty()
                    : Optional.of("value '" + value + "' is not an RFC 3339 date-time with an offset");
            case SEMVER_EQ, SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE -> SemVer.parse(value).isPresent()
                    ? Optional.empty()
                    : Optional.of("value '" + value + "' is not a semantic version (MAJOR.MINOR.PATCH)");
            case REGEX -> regexProblem(value, constraint.caseInsensitive());
            case IN_CIDR -> cidrProblem(constraint);
        };
    }

    private static Optional<String> regexProblem(String pattern, boolean ignoreCase) {
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            return Optional.of("regular expression is longer than " + MAX_PATTERN_LENGTH + " characters");
        }
        if (FoldGuard.mayHang(pattern, ignoreCase)) {
            return Optional.of("regular expression folds characters U+1C80..U+1C88, which RE2/J cannot compile");
        }
        if (RepetitionLimit.exceeds(pattern)) {
            return Optional.of("regular expression repeats too deeply (cost over " + RepetitionLimit.MAX_COST + ")");
        }
        try {
            Pattern.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("invalid regular expression: " + e.getDescription());
        } catch (IllegalArgumentException | StackOverflowError e) {
            return Optional.of("invalid regular expression");
        }
    }

    private static Optional<String> cidrProblem(Constraint constraint) {
        if (constraint.values().isEmpty()) {
            return Optional.of("IN_CIDR needs at least one entry in values");
        }
        for (String text : constraint.values()) {
            if (CidrBlock.parse(text).isEmpty()) {
                return Optional.of("'" + text + "' is not an IP address or CIDR block");
            }
        }
        return Optional.empty();
    }

    private static CompiledConstraint compileOperator(Constraint constraint) {
        if (!(constraint.operator() instanceof StandardOperator operator)) {
            return CompiledConstraint.NEVER;
        }
        ContextField field = ContextField.of(constraint.contextName());
        boolean inverted = constraint.inverted();
        CompiledConstraint compiled = switch (operator) {
            case IN, NOT_IN -> membership(field, constraint.values(), operator == StandardOperator.IN);
            case STR_STARTS_WITH, STR_ENDS_WITH, STR_CONTAINS ->
                    text(field, operator, constraint.values(), constraint.caseInsensitive());
            case NUM_EQ, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE -> number(field, operator, constraint.value());
            case DATE_AFTER, DATE_BEFORE -> date(constraint.contextName(), field, operator, constraint.value());
            case SEMVER_EQ, SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE -> semver(field, operator, constraint.value());
            case REGEX -> regex(field, constraint.value(), constraint.caseInsensitive());
            case IN_CIDR -> cidr(field, constraint.values());
        };
        if (compiled == CompiledConstraint.NEVER || !inverted) {
            return compiled;
        }
        CompiledConstraint positive = compiled;
        return (context, sources) -> !positive.test(context, sources);
    }

    private static CompiledConstraint membership(ContextField field, List<String> values, boolean in) {
        if (values.size() == 1) {
            String only = values.get(0);
            return (context, sources) -> {
                String value = field.read(context, sources);
                return value == null ? !in : only.equals(value) == in;
            };
        }
        Set<String> set = Set.copyOf(new HashSet<>(values));
        return (context, sources) -> {
            String value = field.read(context, sources);
            return value == null ? !in : set.contains(value) == in;
        };
    }

    private static CompiledConstraint text(ContextField field, StandardOperator operator, List<String> values, boolean ignoreCase) {
        String[] operands = values.toArray(String[]::new);
        return (context, sources) -> {
            String value = field.read(context, sources);
            if (value == null) {
                return false;
            }
            for (String operand : operands) {
                if (textMatches(operator, value, operand, ignoreCase)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean textMatches(StandardOperator operator, String value, String operand, boolean ignoreCase) {
        int length = operand.length();
        return switch (operator) {
            case STR_STARTS_WITH -> value.regionMatches(ignoreCase, 0, operand, 0, length);
            case STR_ENDS_WITH -> value.regionMatches(ignoreCase, value.length() - length, operand, 0, length);
            default -> {
                if (!ignoreCase) {
                    yield value.contains(operand);
                }
                for (int start = 0; start + length <= value.length(); start++) {
                    if (value.regionMatches(true, start, operand, 0, length)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    private static CompiledConstraint number(ContextField field, StandardOperator operator, String operand) {
        if (!Numbers.isNumber(operand)) {
            return CompiledConstraint.NEVER;
        }
        double target = Double.parseDouble(operand);
        return (context, sources) -> {
            String value = field.read(context, sources);
            if (!Numbers.isNumber(value)) {
                return false;
            }
            double actual = Numbers.parse(value);
            return switch (operator) {
                case NUM_EQ -> Math.abs(actual - target) < Math.ulp(1.0);
                case NUM_GT -> actual > target;
                case NUM_GTE -> actual >= target;
                case NUM_LT -> actual < target;
                default -> actual <= target;
            };
        };
    }

    private static CompiledConstraint date(String contextName, ContextField field, StandardOperator operator, String operand) {
        Optional<Instant> parsed = Instants.parse(operand);
        if (parsed.isEmpty()) {
            return CompiledConstraint.NEVER;
        }
        Instant target = parsed.get();
        boolean after = operator == StandardOperator.DATE_AFTER;
        boolean onCurrentTime = Context.CURRENT_TIME.equals(contextName);
        return (context, sources) -> {
            Instant actual;
            if (onCurrentTime) {
                actual = context.currentTime != null
                        ? context.currentTime
                        : sources.clock().instant().truncatedTo(ChronoUnit.SECONDS);
            } else {
                actual = Instants.parse(field.read(context, sources)).orElse(null);
                if (actual == null) {
                    return false;
                }
            }
            return after ? actual.isAfter(target) : actual.isBefore(target);
        };
    }

    private static CompiledConstraint semver(ContextField field, StandardOperator operator, String operand) {
        Optional<SemVer> parsed = SemVer.parse(operand);
        if (parsed.isEmpty()) {
            return CompiledConstraint.NEVER;
        }
        SemVer target = parsed.get();
        return (context, sources) -> {
            Optional<SemVer> actual = SemVer.parse(field.read(context, sources));
            if (actual.isEmpty()) {
                return false;
            }
            int order = actual.get().compareTo(target);
            return switch (operator) {
                case SEMVER_EQ -> order == 0;
                case SEMVER_GT -> order > 0;
                case SEMVER_GTE -> order >= 0;
                case SEMVER_LT -> order < 0;
                default -> order <= 0;
            };
        };
    }

    private static CompiledConstraint regex(ContextField field, String operand, boolean ignoreCase) {
        if (operand.length() > MAX_PATTERN_LENGTH || FoldGuard.mayHang(operand, ignoreCase)
                || RepetitionLimit.exceeds(operand)) {
            return CompiledConstraint.NEVER;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(operand, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException | IllegalArgumentException | StackOverflowError e) {
            return CompiledConstraint.NEVER;
        }
        return (context, sources) -> {
            String value = field.read(context, sources);
            return value != null && pattern.matcher(value).find();
        };
    }

    private static CompiledConstraint cidr(ContextField field, List<String> values) {
        CidrBlock[] blocks = CidrBlock.parseAll(values);
        return (context, sources) -> CidrBlock.anyContains(blocks, field.read(context, sources));
    }
}
