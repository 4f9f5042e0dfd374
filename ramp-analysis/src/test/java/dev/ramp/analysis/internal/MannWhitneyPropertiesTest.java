package dev.ramp.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What holds for any two samples. The values lie on a grid of quarters so that ties are common. The swapped test's
 * estimate is not always exactly the negated one, in R as here: the z-score is zero over the whole gap between the two
 * middle pairwise differences, and the root finder may stop anywhere in it. So the estimate is checked to lie in that
 * gap, which swapping mirrors.
 */
class MannWhitneyPropertiesTest {

    private static final double ROOT_TOLERANCE = 1e-4;

    @Provide
    Arbitrary<List<Double>> sample() {
        return Arbitraries.integers().between(0, 20).map(quarters -> quarters / 4.0).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property
    void test_anySamples_pValueIsAProbability(@ForAll("sample") List<Double> x, @ForAll("sample") List<Double> y) {
        assumeNotEachOneValue(x, y);

        assertThat(MannWhitney.test(array(x), array(y), 0.98).pValue()).isBetween(0.0, 1.0);
    }

    @Property
    void test_anySamples_estimateLiesWithinInterval(@ForAll("sample") List<Double> x, @ForAll("sample") List<Double> y) {
        assumeNotEachOneValue(x, y);

        MannWhitney.Result result = MannWhitney.test(array(x), array(y), 0.98);

        assertThat(result.lower()).isLessThanOrEqualTo(result.estimate() + ROOT_TOLERANCE);
        assertThat(result.estimate()).isLessThanOrEqualTo(result.upper() + ROOT_TOLERANCE);
    }

    @Property
    void test_swappedSamples_mirrorTheIntervalAndNegateTheEstimate(
            @ForAll("sample") List<Double> x, @ForAll("sample") List<Double> y) {
        assumeNotEachOneValue(x, y);

        MannWhitney.Result forward = MannWhitney.test(array(x), array(y), 0.98);
        MannWhitney.Result swapped = MannWhitney.test(array(y), array(x), 0.98);

        assertThat(swapped.lower()).isCloseTo(-forward.upper(), within(2 * ROOT_TOLERANCE));
        assertThat(swapped.upper()).isCloseTo(-forward.lower(), within(2 * ROOT_TOLERANCE));
        double[] middle = middlePairwiseDifferences(x, y);
        assertThat(forward.estimate()).isBetween(middle[0] - ROOT_TOLERANCE, middle[1] + ROOT_TOLERANCE);
        assertThat(-swapped.estimate()).isBetween(middle[0] - ROOT_TOLERANCE, middle[1] + ROOT_TOLERANCE);
    }

    /** The lower and upper median of all differences x_i − y_j: the textbook Hodges–Lehmann estimate's gap. */
    private static double[] middlePairwiseDifferences(List<Double> x, List<Double> y) {
        double[] differences = x.stream().flatMapToDouble(xi -> y.stream().mapToDouble(yj -> xi - yj)).toArray();
        Arrays.sort(differences);
        int count = differences.length;
        return new double[] {differences[(count - 1) / 2], differences[count / 2]};
    }

    private static void assumeNotEachOneValue(List<Double> x, List<Double> y) {
        Assume.that(x.stream().distinct().count() > 1 || y.stream().distinct().count() > 1);
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
