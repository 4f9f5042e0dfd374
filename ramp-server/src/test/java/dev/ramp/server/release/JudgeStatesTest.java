package dev.ramp.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.analysis.Arms;
import dev.ramp.analysis.Counts;
import dev.ramp.analysis.Interval;
import dev.ramp.analysis.Look;
import dev.ramp.analysis.Moments;
import dev.ramp.analysis.SequentialGuardrail;
import dev.ramp.analysis.Split;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JudgeStatesTest {
    private final SequentialGuardrail judge = SequentialGuardrail.builder().minSamples(10).proportion("errors")
            .mean("latency").build();

    @Test
    void state_writtenAndReadBack_givesTheSameLooksAsTheStateItself() {
        SequentialGuardrail.State state = (SequentialGuardrail.State) judge.start();
        for (int second = 0; second < 30; second++) {
            Interval interval = interval(second);
            Look kept = judge.look(state, interval);
            Look restored = judge.look(JudgeStates.read(JudgeStates.write(state), judge), interval);

            assertThat(restored.verdict()).isEqualTo(kept.verdict());
            assertThat(restored.state()).isEqualTo(kept.state());
            state = (SequentialGuardrail.State) kept.state();
        }
        assertThat(JudgeStates.write(state)).contains("\"kind\":\"counts\"", "\"kind\":\"moments\"");
    }

    @Test
    void state_empty_isTheJudgesStart() {
        assertThat(JudgeStates.read("", judge)).isEqualTo(judge.start());
    }

    @Test
    void state_withoutAMeasuredSplit_keepsItsNaNWeight() {
        Look look = judge.look(judge.start(), Interval.of(Map.of("errors", Arms.of(Counts.of(1, 100), Counts.of(2, 100)))));
        String text = JudgeStates.write((SequentialGuardrail.State) look.state());

        assertThat(text).contains("NaN");
        assertThat(JudgeStates.read(text, judge)).isEqualTo(look.state());
    }

    private static Interval interval(int second) {
        long canaryErrors = second % 3 == 0 ? 3 : 1;
        return Interval.of(Map.of(
                        "errors", Arms.of(Counts.of(second % 2, 90), Counts.of(canaryErrors, 10)),
                        "latency", Arms.of(Moments.of(-2.3, -2.2, -2.4, -2.31), Moments.of(-2.1, -2.0, -2.2))),
                Split.of(0.1, 90, 10));
    }
}
