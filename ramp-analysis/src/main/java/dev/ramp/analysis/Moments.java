package dev.ramp.analysis;

/**
 * The count, sum and sum of squares of a numeric value: enough for its mean and variance, and summed without loss
 * across intervals, servers and arms' shards.
 *
 * @param n how many values
 * @param sum their sum
 * @param sumOfSquares the sum of their squares
 */
public record Moments(long n, double sum, double sumOfSquares) implements Summary {

    /** No values. */
    public static final Moments EMPTY = new Moments(0, 0, 0);

    public Moments {
        if (n < 0) {
            throw new IllegalArgumentException("moments need n >= 0, got " + n);
        }
        if (!Double.isFinite(sum) || !Double.isFinite(sumOfSquares) || sumOfSquares < 0) {
            throw new IllegalArgumentException(
                    "moments need a finite sum and a finite, non-negative sum of squares, got " + sum + " and " + sumOfSquares);
        }
        if (n == 0 && (sum != 0 || sumOfSquares != 0)) {
            throw new IllegalArgumentException("moments of no values need zero sums, got " + sum + " and " + sumOfSquares);
        }
    }

    /** The moments of the given values. */
    public static Moments of(double... values) {
        double sum = 0;
        double squares = 0;
        for (double value : values) {
            sum += value;
            squares += value * value;
        }
        return new Moments(values.length, sum, squares);
    }

    public Moments plus(Moments other) {
        return new Moments(Math.addExact(n, other.n), sum + other.sum, sumOfSquares + other.sumOfSquares);
    }

    @Override
    public long samples() {
        return n;
    }

    /** The mean; NaN without values. */
    @Override
    public double value() {
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The mean; NaN without values. */
    public double mean() {
        return value();
    }

    /** The sample variance (divided by n - 1), never negative; NaN with fewer than two values. */
    public double variance() {
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum / n;
        return Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
    }
}
