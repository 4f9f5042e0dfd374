package dev.ramp.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Strategy;
import dev.ramp.core.flag.Variant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FlagHandleTest {
    private final Evaluator evaluator = Evaluator.of(FlagSnapshot.of(List.of(
            new Flag("search", "", "", "", true, false, false, List.of(Strategy.rollout(40, "default", "search")),
                    List.of(Variant.of("a", 500), Variant.of("b", 500)), List.of(), List.of()),
            Flag.of("legacy", false, List.of()))),
            InstantSource.system(), new SplittableRandom(1));

    @Test
    void handle_evaluatesExactlyAsTheEvaluatorDoes() {
        FlagHandle search = evaluator.handle("search").orElseThrow();

        IntStream.range(0, 2_000).mapToObj(i -> Context.ofUser("user-" + i)).forEach(user -> {
            assertThat(search.isEnabled(user)).isEqualTo(evaluator.isEnabled("search", user));
            assertThat(search.variant(user)).isEqualTo(evaluator.variant("search", user));
        });
        FlagHandle legacy = evaluator.handle("legacy").orElseThrow();
        assertThat(legacy.isEnabled(null)).isFalse();
        assertThat(legacy.variant(null)).isEqualTo(VariantResult.DISABLED);
    }

    @Test
    void handle_ofAnUnknownFlag_isEmpty() {
        assertThat(evaluator.handle("missing")).isEmpty();
        assertThat(evaluator.handle(null)).isEmpty();
    }
}
