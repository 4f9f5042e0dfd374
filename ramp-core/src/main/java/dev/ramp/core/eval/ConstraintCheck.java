package dev.ramp.core.eval;

import dev.ramp.core.flag.Constraint;
import java.util.Optional;

/**
 * Tells why a {@link Constraint} would never match because of its own operand, so that an admin API can refuse it
 * instead of storing a rule that silently matches nobody. The evaluator itself stays lenient: a constraint that
 * arrives this way over the client API still evaluates to false and never throws.
 */
public final class ConstraintCheck {
    private ConstraintCheck() {}

    /**
     * The reason {@code constraint} can never match (an unknown operator, a malformed number, date, semantic version,
     * regular expression or CIDR block, an empty list of values), or empty when its operands are well formed.
     */
    public static Optional<String> problem(Constraint constraint) {
        return ConstraintCompiler.problem(constraint);
    }
}
