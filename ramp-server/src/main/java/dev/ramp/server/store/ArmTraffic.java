package dev.ramp.server.store;

/**
 * What gateways reported of one arm of a route, summed over gateways and over some time: a second (in a
 * {@link TrafficPoint}) or a whole window. Counts add up; latency percentiles do not, so only bounds are kept.
 *
 * @param arm                    the arm's name
 * @param requests               requests sent to the arm
 * @param informational          answers 1xx
 * @param success                answers 2xx
 * @param redirection            answers 3xx
 * @param clientErrors           answers 4xx
 * @param serverErrors           answers 5xx, the gateways' own 502, 503 and 504 included
 * @param upstreamErrors         requests the arm's upstreams failed (refused or reset connections, timeouts)
 * @param latencyCount           answers timed
 * @param logLatencySum          the sum of {@code ln(seconds)} of their latencies
 * @param logLatencySumOfSquares the sum of the squares of those logarithms
 * @param p99MillisAtMost        the largest 99th percentile any gateway reported for any second: an upper bound of
 *                               the 99th percentile of all the answers together, not that percentile
 * @param maxMillis              the slowest answer any gateway reported
 */
public record ArmTraffic(
        String arm,
        long requests,
        long informational,
        long success,
        long redirection,
        long clientErrors,
        long serverErrors,
        long upstreamErrors,
        long latencyCount,
        double logLatencySum,
        double logLatencySumOfSquares,
        double p99MillisAtMost,
        double maxMillis) {

    /** Nothing reported of {@code arm}. */
    public static ArmTraffic none(String arm) {
        return new ArmTraffic(arm, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** This traffic and {@code other}'s (of the same arm) together. */
    public ArmTraffic plus(ArmTraffic other) {
        return new ArmTraffic(arm, requests + other.requests, informational + other.informational,
                success + other.success, redirection + other.redirection, clientErrors + other.clientErrors,
                serverErrors + other.serverErrors, upstreamErrors + other.upstreamErrors,
                latencyCount + other.latencyCount, logLatencySum + other.logLatencySum,
                logLatencySumOfSquares + other.logLatencySumOfSquares, Math.max(p99MillisAtMost, other.p99MillisAtMost),
                Math.max(maxMillis, other.maxMillis));
    }
}
