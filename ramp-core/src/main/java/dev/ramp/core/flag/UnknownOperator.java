package dev.ramp.core.flag;

/** An operator this version of Ramp does not know; constraints using it never match. */
public record UnknownOperator(String wireName) implements Operator {
    public UnknownOperator {
        Checks.name(wireName, "constraint.operator");
    }
}
