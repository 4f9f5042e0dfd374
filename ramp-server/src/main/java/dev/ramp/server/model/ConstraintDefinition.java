package dev.ramp.server.model;

import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Operator;
import java.util.List;

/** A constraint as the admin API writes it; {@code operator} is the Unleash wire name, for example {@code IN}. */
public record ConstraintDefinition(
        String contextName, String operator, List<String> values, String value, boolean caseInsensitive, boolean inverted) {

    public ConstraintDefinition {
        contextName = Defaults.text(contextName);
        operator = Defaults.text(operator);
        values = Defaults.list(values);
        value = Defaults.text(value);
    }

    public static ConstraintDefinition of(Constraint constraint) {
        return new ConstraintDefinition(constraint.contextName(), constraint.operator().wireName(), constraint.values(),
                constraint.value(), constraint.caseInsensitive(), constraint.inverted());
    }

    /** The core constraint; call after {@link Validation} passed. */
    public Constraint toConstraint() {
        return new Constraint(contextName, Operator.parse(operator), values, value, caseInsensitive, inverted);
    }
}
