package dev.ramp.analysis.experiment;

import dev.ramp.analysis.Moments;

/**
 * Per-unit sums of a metric {@code Y} and a covariate {@code X} on one arm, for {@link Cuped}: {@code X} is the same
 * metric (or another one predicting it) measured on the same unit before the experiment started, so the treatment
 * cannot have changed it. Units without pre-period data take {@code X = 0}.
 *
 * @param n how many units
 * @param sumY {@code sum(Y)}
 * @param sumYSquares {@code sum(Y^2)}, at least 0
 * @param sumX {@code sum(X)}
 * @param sumXSquares {@code sum(X^2)}, at least 0
 * @param sumXY {@code sum(X * Y)}
 */
public record CovariateMoments(
        long n, double sumY, double sumYSquares, double sumX, double sumXSquares, double sumXY) {

    /** No units. */
    public static final CovariateMoments EMPTY = new CovariateMoments(0, 0, 0, 0, 0, 0);

    public CovariateMoments {
        Check.atLeast("n", n, 0);
        Check.finite("sumY", sumY);
        Check.nonNegative("sumYSquares", sumYSquares);
        Check.finite("sumX", sumX);
        Check.nonNegative("sumXSquares", sumXSquares);
        Check.finite("sumXY", sumXY);
        if (n == 0 && (sumY != 0 || sumYSquares != 0 || sumX != 0 || sumXSquares != 0 || sumXY != 0)) {
            throw new IllegalArgumentException("covariate moments of no units need zero sums, got n = 0 with sums "
                    + sumY + ", " + sumYSquares + ", " + sumX + ", " + sumXSquares + ", " + sumXY);
        }
    }

    /**
     * The sums of the given per-unit metric values and covariates.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static CovariateMoments of(double[] y, double[] x) {
        if (y.length != x.length) {
            throw new IllegalArgumentException("y and x need the same length, got " + y.length + " and " + x.length);
        }
        double sy = 0;
        double syy = 0;
        double sx = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < y.length; i++) {
            sy += y[i];
            syy += y[i] * y[i];
            sx += x[i];
            sxx += x[i] * x[i];
            sxy += x[i] * y[i];
        }
        return new CovariateMoments(y.length, sy, syy, sx, sxx, sxy);
    }

    public CovariateMoments plus(CovariateMoments other) {
        return new CovariateMoments(Math.addExact(n, other.n), sumY + other.sumY, sumYSquares + other.sumYSquares,
                sumX + other.sumX, sumXSquares + other.sumXSquares, sumXY + other.sumXY);
    }

    /** The metric's own moments, without the covariate. */
    public Moments metric() {
        return new Moments(n, sumY, sumYSquares);
    }

    /** {@code sum((X - mean X)^2)}, never negative. */
    double centredXSquares() {
        return n == 0 ? 0 : Math.max(0, sumXSquares - sumX * sumX / n);
    }

    /** {@code sum((Y - mean Y)^2)}, never negative. */
    double centredYSquares() {
        return n == 0 ? 0 : Math.max(0, sumYSquares - sumY * sumY / n);
    }

    /** {@code sum((X - mean X)(Y - mean Y))}. */
    double centredProducts() {
        return n == 0 ? 0 : sumXY - sumX * sumY / n;
    }
}
