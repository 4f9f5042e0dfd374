package dev.ramp.analysis.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LiftTest {

    @Test
    void constructor_badFields_throwNamingTheField() {
        assertThatThrownBy(() -> new Lift(0, 1, -1, 1, 1.5, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pValue")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> new Lift(0, -1, -1, 1, 0.5, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("standardError");
        assertThatThrownBy(() -> new Lift(0, 1, 1, -1, 0.5, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower");
        assertThatThrownBy(() -> new Lift(0, 1, -1, 1, 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
    }

    @Test
    void constructor_infiniteStandardError_isAllowedForOverflowingRelativeLifts() {
        Lift lift = new Lift(1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1, 0.05);
        assertThat(lift.contains(1e300)).isTrue();
    }

    @Test
    void contains_undefinedInterval_holdsNothing() {
        assertThat(Lift.undefined(0.05).contains(0)).isFalse();
        assertThat(new Lift(0, 1, -1, 1, 1, 0.05).contains(1)).isTrue();
    }
}
