package dev.ramp.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluator;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    @Test
    void isCandidate_agreesWithFlagRolloutOfSameGroupAndPercent_forTenThousandUnits() {
        for (int percent : new int[] {1, 10, 33, 50, 90}) {
            var features = UnleashCodec.decodeFeatures("""
                    {"version": 2, "features": [{"name": "checkout-v2", "enabled": true, "strategies": [
                      {"name": "flexibleRollout", "parameters": {"rollout": "%d", "groupId": "checkout", "stickiness": "userId"}}]}]}
                    """.formatted(percent));
            var evaluator = Evaluator.of(features.snapshot(), InstantSource.fixed(Instant.EPOCH), new SplittableRandom(1));
            var split = TrafficSplit.of("checkout", percent);
            for (int i = 0; i < 10_000; i++) {
                String unit = "user-" + i;
                assertThat(split.isCandidate(unit))
                        .as("unit %s at %d%%", unit, percent)
                        .isEqualTo(evaluator.isEnabled("checkout-v2", Context.ofUser(unit)));
            }
        }
    }

    @Property
    void raisingThePercent_neverMovesAUnitOutOfTheCandidate(@ForAll @IntRange(max = 99) int percent, @ForAll String unit) {
        if (TrafficSplit.of("g", percent).isCandidate(unit)) {
            assertThat(TrafficSplit.of("g", percent + 1).isCandidate(unit)).isTrue();
        }
    }

    @Property
    void keylessRequests_sendExactlyThePercentOfEveryHundred(@ForAll @IntRange(max = 100) int percent, @ForAll @IntRange(max = 1000) int start) {
        var split = TrafficSplit.of("g", percent);
        long candidates = LongStream.range(start, start + 100L).filter(split::isCandidate).count();
        assertThat(candidates).isEqualTo(percent);
    }

    @Test
    void keylessRequests_atTenPercent_areSpreadOut() {
        var split = TrafficSplit.of("g", 10);
        assertThat(LongStream.range(0, 20).filter(split::isCandidate).toArray()).containsExactly(9, 19);
    }
}
