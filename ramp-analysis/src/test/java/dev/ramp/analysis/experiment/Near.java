package dev.ramp.analysis.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Comparisons with reference values at a relative tolerance. */
final class Near {

    /** The tolerance where the Java code and the reference compute the same method. */
    static final double SAME_METHOD = 1e-9;

    private Near() {}

    static void near(String what, double actual, double expected) {
        near(what, actual, expected, SAME_METHOD);
    }

    static void near(String what, double actual, double expected, double relative) {
        assertThat(actual).as(what).isCloseTo(expected, within(relative * Math.abs(expected)));
    }

    /** Checks every field of a lift against reference values. */
    static void lift(Lift lift, double estimate, double se, double lower, double upper, double p) {
        near("estimate", lift.estimate(), estimate);
        near("standardError", lift.standardError(), se);
        near("lower", lift.lower(), lower);
        near("upper", lift.upper(), upper);
        near("pValue", lift.pValue(), p);
    }
}
