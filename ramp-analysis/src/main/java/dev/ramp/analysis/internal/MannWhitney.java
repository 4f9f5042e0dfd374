package dev.ramp.analysis.internal;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;

/**
 * The Mann–Whitney (Wilcoxon rank-sum) test of two samples, with the confidence interval and Hodges–Lehmann estimate
 * of the shift between them, exactly as R's
 * {@code wilcox.test(x, y, conf.int = TRUE, conf.level = c, exact = FALSE, correct = TRUE)} computes them.
 *
 * <p>Method. Always the normal approximation, even for small samples: the statistic's z-score has the variance
 * corrected for ties and a continuity correction of half a rank towards zero. The shift {@code d} (x minus y) enters
 * by ranking {@code x - d} against {@code y}; the z-score is then a decreasing step function of {@code d}. The
 * Hodges–Lehmann estimate is the {@code d} where it crosses 0 (without the continuity correction: R sets
 * {@code correct <- FALSE} before solving for it, which Kayenta's port does not, so Kayenta's estimate can differ from
 * R's by a few hundredths of a unit; Ramp follows R), and the bounds of the two-sided interval are where it
 * crosses ±Φ⁻¹(1 − α/2). Each is found by Brent's method, stepped as R's {@code zeroin} steps it, over {@code [min(x) − max(y), max(x) − min(y)]} with R's
 * {@code uniroot} tolerance of 1e-4, so the roots agree with R to about that; a bound whose crossing lies outside the
 * range is the range's end, as in R.
 *
 * <p>References: R's {@code src/library/stats/R/wilcox.test.R}; Kayenta's port of it,
 * {@code kayenta-mannwhitney/.../MannWhitney.scala}, used by its {@code NetflixACAJudge}; J. L. Hodges and
 * E. L. Lehmann, "Estimates of location based on rank tests", Ann. Math. Statist. 34 (1963); D. F. Bauer,
 * "Constructing confidence sets using rank statistics", JASA 67 (1972).
 */
public final class MannWhitney {

    /** R's {@code uniroot} default tolerance, which {@code wilcox.test} passes on as {@code tol.root}. */
    private static final double ROOT_TOLERANCE = 1e-4;

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.MAXIMAL, TiesStrategy.AVERAGE);

    private MannWhitney() {
    }

    /**
     * What the test found.
     *
     * @param statistic R's W: the rank sum of {@code x} minus {@code nx(nx + 1)/2}
     * @param pValue the two-sided p-value of no shift
     * @param lower the lower bound of the confidence interval for the shift x − y
     * @param upper the upper bound of that interval
     * @param estimate the Hodges–Lehmann estimate of the shift x − y
     */
    public record Result(double statistic, double pValue, double lower, double upper, double estimate) {
    }

    /**
     * Tests whether {@code x} is shifted against {@code y}.
     *
     * @param x the first sample (Kayenta's experiment, Ramp's canary), not empty, all finite
     * @param y the second sample (the control, Ramp's stable arm), not empty, all finite
     * @param confidenceLevel the interval's confidence level, in (0, 1)
     * @throws IllegalArgumentException if a sample is empty or has a value that is not finite, the level lies outside (0, 1), or each sample
     *     holds a single value (R fails then too; Kayenta adds noise first)
     */
    public static Result test(double[] x, double[] y, double confidenceLevel) {
        requireSample("x", x);
        requireSample("y", y);
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw new IllegalArgumentException("confidence level must lie in (0, 1), got " + confidenceLevel);
        }
        if (min(x) == max(x) && min(y) == max(y)) {
            throw new IllegalArgumentException("cannot compute a confidence interval when each sample holds a single"
                    + " value (all observations tie at the range's ends), got " + x[0] + " and " + y[0]);
        }
        double nx = x.length;
        double ny = y.length;

        Shifted noShift = Shifted.of(x, y, 0);
        double statistic = noShift.rankSumOfX - nx * (nx + 1) / 2;
        double z = noShift.zScore(true);
        double pValue = 2 * Math.min(STANDARD_NORMAL.cumulativeProbability(z), STANDARD_NORMAL.survivalProbability(z));

        double alpha = 1 - confidenceLevel;
        double shiftMin = min(x) - max(y);
        double shiftMax = max(x) - min(y);
        DoubleUnaryOperator zOfShift = shift -> Shifted.of(x, y, shift).zScore(true);
        double zAtMin = zOfShift.applyAsDouble(shiftMin);
        double zAtMax = zOfShift.applyAsDouble(shiftMax);
        double lower = boundedRoot(zOfShift, STANDARD_NORMAL.inverseSurvivalProbability(alpha / 2),
                shiftMin, zAtMin, shiftMax, zAtMax);
        double upper = boundedRoot(zOfShift, STANDARD_NORMAL.inverseCumulativeProbability(alpha / 2),
                shiftMin, zAtMin, shiftMax, zAtMax);
        DoubleUnaryOperator uncorrectedZOfShift = shift -> Shifted.of(x, y, shift).zScore(false);
        double estimate = Zeroin.root(uncorrectedZOfShift, shiftMin, shiftMax,
                uncorrectedZOfShift.applyAsDouble(shiftMin), uncorrectedZOfShift.applyAsDouble(shiftMax),
                ROOT_TOLERANCE);
        return new Result(statistic, pValue, lower, upper, estimate);
    }

    /** Where the z-score crosses {@code quantile}, or the end of the range it crosses beyond, as R's {@code root}. */
    private static double boundedRoot(DoubleUnaryOperator zOfShift, double quantile,
            double shiftMin, double zAtMin, double shiftMax, double zAtMax) {
        if (zAtMin - quantile <= 0) {
            return shiftMin;
        }
        if (zAtMax - quantile >= 0) {
            return shiftMax;
        }
        return Zeroin.root(shift -> zOfShift.applyAsDouble(shift) - quantile,
                shiftMin, shiftMax, zAtMin - quantile, zAtMax - quantile, ROOT_TOLERANCE);
    }

    /** {@code x - shift} ranked against {@code y}: the rank sum of the x side and the tie correction. */
    private record Shifted(double nx, double ny, double rankSumOfX, double tieCubes) {

        static Shifted of(double[] x, double[] y, double shift) {
            double[] pooled = new double[x.length + y.length];
            for (int i = 0; i < x.length; i++) {
                pooled[i] = x[i] - shift;
            }
            System.arraycopy(y, 0, pooled, x.length, y.length);
            double[] ranks = RANKING.apply(pooled);
            double rankSumOfX = 0;
            for (int i = 0; i < x.length; i++) {
                rankSumOfX += ranks[i];
            }
            return new Shifted(x.length, y.length, rankSumOfX, tieCubes(pooled));
        }

        /** Σ(t³ − t) over the groups of t equal values. */
        private static double tieCubes(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double sum = 0;
            int start = 0;
            for (int i = 1; i <= sorted.length; i++) {
                if (i == sorted.length || sorted[i] != sorted[start]) {
                    double ties = i - start;
                    sum += ties * ties * ties - ties;
                    start = i;
                }
            }
            return sum;
        }

        /** The z-score of the rank sum, as R's {@code W(d)}, with or without half a rank towards zero. */
        double zScore(boolean continuityCorrection) {
            double centred = rankSumOfX - nx * (nx + 1) / 2 - nx * ny / 2;
            double n = nx + ny;
            double sigma = Math.sqrt(nx * ny / 12 * ((n + 1) - tieCubes / (n * (n - 1))));
            double correction = continuityCorrection ? Math.signum(centred) * 0.5 : 0;
            return (centred - correction) / sigma;
        }
    }

    private static void requireSample(String name, double[] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException(name + " needs at least one value, got none");
        }
        for (double value : sample) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must hold finite values only, got " + Arrays.toString(sample));
            }
        }
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
