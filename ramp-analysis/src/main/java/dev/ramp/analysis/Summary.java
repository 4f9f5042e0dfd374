package dev.ramp.analysis;

/**
 * Sufficient statistics of one metric on one arm over some time: either {@link Counts} (errors among requests) or
 * {@link Moments} (the count, sum and sum of squares of a numeric value, such as the log of each request's latency).
 * Summaries of consecutive intervals add up with {@code plus}.
 */
public sealed interface Summary permits Counts, Moments {

    /** How many observations this summary holds: requests for {@link Counts}, values for {@link Moments}. */
    long samples();

    /** The summary's point value: the rate for {@link Counts}, the mean for {@link Moments}; NaN when empty. */
    double value();
}
