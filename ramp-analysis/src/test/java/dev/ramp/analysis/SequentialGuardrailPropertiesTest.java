package dev.ramp.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class SequentialGuardrailPropertiesTest {

    private static final SequentialGuardrail HIGHER = SequentialGuardrail.builder().minSamples(2)
            .proportion("errors").mean("latency").build();
    private static final SequentialGuardrail LOWER = SequentialGuardrail.builder().minSamples(2)
            .proportion("errors", Direction.LOWER_IS_WORSE, 0).mean("latency", Direction.LOWER_IS_WORSE, 0).build();

    @Property
    void look_anyIntervals_givesAVerdictWithNonNegativeEValues(@ForAll("intervals") @Size(max = 30) List<Interval> intervals) {
        Look look = lookAll(HIGHER, intervals);

        assertThat(look.state().intervals()).isEqualTo(intervals.size());
        for (Evidence evidence : look.verdict().evidence()) {
            assertThat(evidence.value()).satisfiesAnyOf(
                    value -> assertThat(value).isNaN(), value -> assertThat(value).isGreaterThanOrEqualTo(0));
        }
    }

    @Property
    void look_swappedArmsJudgedTheOtherWay_mirrorsTheEValues(@ForAll("intervals") @Size(min = 1, max = 30) List<Interval> intervals) {
        Look look = lookAll(HIGHER, intervals);
        Look mirrored = lookAll(LOWER, intervals.stream().map(SequentialGuardrailPropertiesTest::swapped).toList());

        for (int metric = 0; metric < 2; metric++) {
            Evidence evidence = look.verdict().evidence().get(metric);
            Evidence mirror = mirrored.verdict().evidence().get(metric);
            assertThat(mirror.outcome()).isEqualTo(evidence.outcome());
            if (Double.isNaN(evidence.value())) {
                assertThat(mirror.value()).isNaN();
            } else if (Double.isFinite(evidence.value()) && evidence.value() > 1e-300) {
                assertThat(Math.log(mirror.value())).isCloseTo(Math.log(evidence.value()), within(1e-6));
            } else {
                assertThat(mirror.value()).isEqualTo(evidence.value());
            }
        }
    }

    @Property
    void look_moreRequestsOnlyOnTheSuspectArm_neverRaisesTheProportionEValueWithoutErrors(
            @ForAll("intervals") @Size(min = 1, max = 10) List<Interval> intervals) {
        // An interval with no errors carries no evidence about which arm errors come from.
        Look before = lookAll(HIGHER, intervals);
        Interval quiet = Interval.of(Map.of("errors", Arms.of(Counts.of(0, 500), Counts.of(0, 700))));

        Look after = HIGHER.look(before.state(), quiet);

        assertThat(((SequentialGuardrail.State) after.state()).metrics().get(0).logLikelihoodRatios())
                .containsExactly(((SequentialGuardrail.State) before.state()).metrics().get(0).logLikelihoodRatios());
    }

    private static Look lookAll(SequentialGuardrail guardrail, List<Interval> intervals) {
        JudgeState state = guardrail.start();
        Look look = new Look(state, new Verdict(Outcome.INCONCLUSIVE, "nothing yet", List.of()));
        for (Interval interval : intervals) {
            look = guardrail.look(state, interval);
            state = look.state();
        }
        return look;
    }

    private static Interval swapped(Interval interval) {
        Split split = interval.split();
        return Interval.of(Map.of(
                        "errors", interval.metrics().get("errors").swapped(),
                        "latency", interval.metrics().get("latency").swapped()),
                Split.of(1 - split.canaryWeight(), split.canaryUnits(), split.stableUnits()));
    }

    @Provide
    Arbitrary<List<Interval>> intervals() {
        Arbitrary<Interval> interval = Combinators.combine(
                        Arbitraries.longs().between(0, 2_000), Arbitraries.doubles().between(0, 0.3),
                        Arbitraries.longs().between(0, 2_000), Arbitraries.doubles().between(0, 0.3),
                        Arbitraries.doubles().between(-1, 1), Arbitraries.doubles().between(0.05, 0.95))
                .as((stable, stableRate, canary, canaryRate, shift, weight) -> Interval.of(Map.of(
                                "errors", Arms.of(Counts.of(Math.round(stable * stableRate), stable),
                                        Counts.of(Math.round(canary * canaryRate), canary)),
                                "latency", Arms.of(moments(stable, 0), moments(canary, shift))),
                        Split.of(weight, stable, canary)));
        return interval.list();
    }

    /** n values spread evenly over [mean - 1, mean + 1]. */
    private static Moments moments(long n, double mean) {
        if (n == 0) {
            return Moments.EMPTY;
        }
        double sum = 0;
        double squares = 0;
        for (long i = 0; i < n; i++) {
            double value = mean - 1 + (n == 1 ? 1 : 2.0 * i / (n - 1));
            sum += value;
            squares += value * value;
        }
        return new Moments(n, sum, squares);
    }
}
