package dev.ramp.core.flag;

/**
 * A constraint's comparison: one of the {@link StandardOperator standard operators} of the Unleash
 * specification, or an {@link UnknownOperator} kept by name so that data from a newer server survives a round
 * trip. A constraint with an unknown operator never matches.
 */
public sealed interface Operator permits StandardOperator, UnknownOperator {

    /** The operator's name on the wire, for example {@code STR_CONTAINS}. */
    String wireName();

    /** The standard operator of that name, or an {@link UnknownOperator} carrying it. */
    static Operator parse(String wireName) {
        Checks.name(wireName, "constraint.operator");
        for (StandardOperator operator : StandardOperator.values()) {
            if (operator.name().equals(wireName)) {
                return operator;
            }
        }
        return new UnknownOperator(wireName);
    }
}
