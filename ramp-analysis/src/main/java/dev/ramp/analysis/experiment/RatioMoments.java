package dev.ramp.analysis.experiment;

/**
 * Per-unit sums for a ratio metric on one arm, where the unit of assignment (a user) is not the unit of the metric's
 * denominator (sessions, requests): for revenue per session, each user contributes a numerator {@code a} (their revenue)
 * and a denominator {@code b} (their sessions). The metric is {@code sum(a) / sum(b)}.
 *
 * <p>Sums of consecutive periods or shards add up with {@link #plus}.
 *
 * @param n how many units
 * @param sumNumerator {@code sum(a)}
 * @param sumDenominator {@code sum(b)}
 * @param sumNumeratorSquares {@code sum(a^2)}, at least 0
 * @param sumDenominatorSquares {@code sum(b^2)}, at least 0
 * @param sumProducts {@code sum(a * b)}
 */
public record RatioMoments(
        long n,
        double sumNumerator,
        double sumDenominator,
        double sumNumeratorSquares,
        double sumDenominatorSquares,
        double sumProducts) {

    /** No units. */
    public static final RatioMoments EMPTY = new RatioMoments(0, 0, 0, 0, 0, 0);

    public RatioMoments {
        Check.atLeast("n", n, 0);
        Check.finite("sumNumerator", sumNumerator);
        Check.finite("sumDenominator", sumDenominator);
        Check.nonNegative("sumNumeratorSquares", sumNumeratorSquares);
        Check.nonNegative("sumDenominatorSquares", sumDenominatorSquares);
        Check.finite("sumProducts", sumProducts);
        if (n == 0 && (sumNumerator != 0 || sumDenominator != 0 || sumNumeratorSquares != 0
                || sumDenominatorSquares != 0 || sumProducts != 0)) {
            throw new IllegalArgumentException("ratio moments of no units need zero sums, got n = 0 with sums "
                    + sumNumerator + ", " + sumDenominator + ", " + sumNumeratorSquares + ", "
                    + sumDenominatorSquares + ", " + sumProducts);
        }
    }

    /**
     * The sums of the given per-unit numerators and denominators.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static RatioMoments of(double[] numerators, double[] denominators) {
        if (numerators.length != denominators.length) {
            throw new IllegalArgumentException("numerators and denominators need the same length, got "
                    + numerators.length + " and " + denominators.length);
        }
        double a = 0;
        double b = 0;
        double aa = 0;
        double bb = 0;
        double ab = 0;
        for (int i = 0; i < numerators.length; i++) {
            a += numerators[i];
            b += denominators[i];
            aa += numerators[i] * numerators[i];
            bb += denominators[i] * denominators[i];
            ab += numerators[i] * denominators[i];
        }
        return new RatioMoments(numerators.length, a, b, aa, bb, ab);
    }

    public RatioMoments plus(RatioMoments other) {
        return new RatioMoments(Math.addExact(n, other.n), sumNumerator + other.sumNumerator,
                sumDenominator + other.sumDenominator, sumNumeratorSquares + other.sumNumeratorSquares,
                sumDenominatorSquares + other.sumDenominatorSquares, sumProducts + other.sumProducts);
    }

    /** {@code sum(a) / sum(b)}; NaN when the denominators sum to 0. */
    public double ratio() {
        return sumDenominator == 0 ? Double.NaN : sumNumerator / sumDenominator;
    }

    /**
     * The delta-method variance of {@link #ratio()}: with means {@code ā, b̄} and sample (co)variances
     * {@code s_aa, s_bb, s_ab} (divided by {@code n - 1}), {@code (s_aa - 2 R s_ab + R^2 s_bb) / (n b̄^2)}, never
     * negative. NaN with fewer than two units or when the denominators sum to 0.
     */
    public double ratioVariance() {
        if (n < 2 || sumDenominator == 0) {
            return Double.NaN;
        }
        double ma = sumNumerator / n;
        double mb = sumDenominator / n;
        double saa = (sumNumeratorSquares - n * ma * ma) / (n - 1);
        double sbb = (sumDenominatorSquares - n * mb * mb) / (n - 1);
        double sab = (sumProducts - n * ma * mb) / (n - 1);
        double r = ma / mb;
        return Math.max(0, (saa - 2 * r * sab + r * r * sbb) / (n * mb * mb));
    }
}
