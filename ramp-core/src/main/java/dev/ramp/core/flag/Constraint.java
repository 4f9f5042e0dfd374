package dev.ramp.core.flag;

import java.util.List;
import java.util.Objects;

/**
 * A condition on one context field. The list operators ({@code IN}, {@code NOT_IN}, {@code STR_*},
 * {@code IN_CIDR}) read {@code values}; the single-value operators ({@code NUM_*}, {@code DATE_*},
 * {@code SEMVER_*}, {@code REGEX}) read {@code value}. All constraints of a strategy (and of its segments) must
 * match.
 *
 * @param contextName     {@code userId}, {@code sessionId}, {@code remoteAddress}, {@code environment},
 *                        {@code appName}, {@code currentTime}, or the name of a context property
 * @param operator        the comparison
 * @param values          the operands of list operators
 * @param value           the operand of single-value operators, {@code ""} when absent
 * @param caseInsensitive compare {@code STR_*} and {@code REGEX} operands ignoring case
 * @param inverted        negate the result
 */
public record Constraint(
        String contextName,
        Operator operator,
        List<String> values,
        String value,
        boolean caseInsensitive,
        boolean inverted) {

    public Constraint {
        Checks.name(contextName, "constraint.contextName");
        Objects.requireNonNull(operator, "constraint.operator must not be null");
        values = Checks.list(values, "constraint.values");
        Checks.text(value, "constraint.value");
    }

    /** A constraint on a list of values, neither case-insensitive nor inverted. */
    public static Constraint of(String contextName, Operator operator, List<String> values) {
        return new Constraint(contextName, operator, values, "", false, false);
    }

    /** A constraint on a single value, neither case-insensitive nor inverted. */
    public static Constraint of(String contextName, Operator operator, String value) {
        return new Constraint(contextName, operator, List.of(), value, false, false);
    }

    public Constraint withInverted(boolean newInverted) {
        return new Constraint(contextName, operator, values, value, caseInsensitive, newInverted);
    }

    public Constraint withCaseInsensitive(boolean newCaseInsensitive) {
        return new Constraint(contextName, operator, values, value, newCaseInsensitive, inverted);
    }
}
