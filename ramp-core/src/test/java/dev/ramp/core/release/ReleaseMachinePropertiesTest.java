package dev.ramp.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ramp.core.release.Measurement.Outcome;
import dev.ramp.core.release.Observation.Command;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever is observed, in whatever order, the machine keeps its promises. */
class ReleaseMachinePropertiesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final ReleasePlan PLAN = plan("""
            name: checkout
            target: {route: checkout}
            canary:
              steps: [{setWeight: 10}, {analysis: guard}, {pause: 30s}, {setWeight: 60}, {pause: {}}]
              analysis: {interval: 5s, metrics: [{name: errors, source: gateway, measure: errorRate}]}
            analyses:
              guard: {interval: 10s, count: 2, errorLimit: 1, metrics: [{name: errors, source: gateway, measure: errorRate}]}
            hooks: [{on: confirm-promotion, url: "http://127.0.0.1:9/gate"}, {on: event, url: "http://127.0.0.1:9/e"}]
            """);

    @Property(tries = 300)
    void release_anyObservations_keepWeightsInRangeAndEndedReleasesQuiet(@ForAll("scripts") List<Integer> script) {
        ReleaseState state = ReleaseMachine.start(PLAN, 0, "stable", "canary", "alice", 1, T0).state();
        Instant now = T0;
        for (int move : script) {
            now = now.plusSeconds(move % 7);
            Observation observation = observation(move, state, now);
            ReleaseState before = state;
            Decision decision = ReleaseMachine.next(PLAN, state, observation, now);
            state = decision.state();

            assertThat(state.weight()).isBetween(0, 100);
            assertThat(state.step()).isBetween(0, PLAN.steps().size());
            assertThat(state.decisions()).isGreaterThanOrEqualTo(before.decisions());
            assertThat(state.pending()).as("actions are only ever added after those pending")
                    .hasSizeGreaterThanOrEqualTo(before.pending().size());
            assertThat(state.pending().subList(0, before.pending().size())).isEqualTo(before.pending());
            if (state.phase() == ReleaseState.Phase.PROMOTED) {
                assertThat(state.weight()).isEqualTo(100);
            }
            if (state.phase().ended()) {
                assertThat(state.runs()).isEmpty();
                assertThat(ReleaseMachine.due(PLAN, state, now.plusSeconds(3600))).isEmpty();
            }
            if (move % 5 == 0) {
                state = state.applied();
            }
        }
    }

    @Provide
    Arbitrary<List<Integer>> scripts() {
        return Arbitraries.integers().between(0, 1_000).list().ofMaxSize(80);
    }

    /** A tick, a due measurement (any outcome), a gate's answer or a command, chosen by {@code move}. */
    private static Observation observation(int move, ReleaseState state, Instant now) {
        switch (move % 4) {
            case 0 -> {
                List<Due> due = ReleaseMachine.due(PLAN, state, now);
                for (Due work : due) {
                    if (work instanceof Due.Measure measure) {
                        Outcome outcome = Outcome.values()[(move / 4) % Outcome.values().length];
                        return new Observation.Measured(measure.background(), new Measurement(measure.since(),
                                measure.until(), outcome, "scripted", List.of(), "s" + move));
                    }
                }
                return new Observation.Tick();
            }
            case 1 -> {
                return new Observation.GateAnswered("confirm-promotion", move % 8 == 1, "HTTP " + move);
            }
            case 2 -> {
                return new Command(Command.Kind.values()[(move / 4) % Command.Kind.values().length], "bob");
            }
            default -> {
                return new Observation.Tick();
            }
        }
    }

    private static ReleasePlan plan(String yaml) {
        try {
            ReleaseDefinition definition = new ObjectMapper(new YAMLFactory()).readValue(yaml, ReleaseDefinition.class);
            assertThat(ReleaseCheck.release(definition)).isEmpty();
            return ReleasePlan.of(definition);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
