package dev.ramp.core.flag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void records_rejectBadValues_namingTheField() {
        assertThatThrownBy(() -> Flag.of(" ", true, List.of())).hasMessage("feature.name must not be blank");
        assertThatThrownBy(() -> Variant.of("v", -3)).hasMessage("variant.weight must be >= 0, was -3");
        assertThatThrownBy(() -> Strategy.rollout(101, "default", "g")).hasMessage("rollout must be between 0 and 100, was 101");
        assertThatThrownBy(() -> new Environment("Prod")).hasMessageContaining("environment.name 'Prod'");
        assertThatThrownBy(() -> new Payload("", "x")).hasMessageContaining("payload.type");
        var withNull = new ArrayList<Constraint>();
        withNull.add(null);
        assertThatThrownBy(() -> Strategy.on().withConstraints(withNull)).hasMessage("strategy.constraints[0] must not be null");
        assertThatThrownBy(() -> FlagSnapshot.of(List.of(Flag.of("a", true, List.of()), Flag.of("a", false, List.of()))))
                .hasMessage("features: duplicate flag name 'a'");
    }

    @Test
    void records_copyTheirCollections() {
        var strategies = new ArrayList<>(List.of(Strategy.on()));
        Flag flag = Flag.of("f", true, strategies);
        strategies.clear();
        assertThat(flag.strategies()).hasSize(1);
        var parameters = new java.util.HashMap<>(Map.of("rollout", "5"));
        Strategy strategy = new Strategy("flexibleRollout", parameters, List.of(), List.of(), List.of());
        parameters.put("rollout", "90");
        assertThat(strategy.parameters()).containsEntry("rollout", "5");
    }

    @Test
    void operator_parse_keepsUnknownNames() {
        assertThat(Operator.parse("IN")).isEqualTo(StandardOperator.IN);
        assertThat(Operator.parse("NOT_A_VALID_OPERATOR")).isEqualTo(new UnknownOperator("NOT_A_VALID_OPERATOR"));
        assertThat(Operator.parse("NOT_A_VALID_OPERATOR").wireName()).isEqualTo("NOT_A_VALID_OPERATOR");
    }

    @Test
    void snapshot_apply_leavesTheOriginalUnchanged() {
        FlagSnapshot original = FlagSnapshot.of(List.of(Flag.of("a", true, List.of())));
        FlagSnapshot updated = original.apply(new DeltaEvent.FlagUpdated(2, Flag.of("a", false, List.of())));
        assertThat(original.flag("a").orElseThrow().enabled()).isTrue();
        assertThat(updated.flag("a").orElseThrow().enabled()).isFalse();
        assertThat(updated.apply(new DeltaEvent.FlagRemoved(3, "a", "")).flags()).isEmpty();
        assertThat(original.apply(new DeltaEvent.Hydration(4, List.of(), List.of()))).isEqualTo(FlagSnapshot.empty());
    }
}
