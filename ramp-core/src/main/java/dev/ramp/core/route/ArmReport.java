package dev.ramp.core.route;

/**
 * What one gateway saw of one arm of one route in one interval (a second, as gateways report): the figures a
 * release's analysis reads. Gateways post a {@link GatewayReport} of these to the server every second.
 *
 * @param route            the route's name
 * @param arm              the arm's name
 * @param requestedPercent the percent of traffic the route asked this arm for during the interval (at its end)
 * @param requests         requests sent to the arm (overrides and fallbacks included: where they went, not where
 *                         the split would have sent them)
 * @param informational    answers 1xx (101 Switching Protocols)
 * @param success          answers 2xx
 * @param redirection      answers 3xx
 * @param clientErrors     answers 4xx
 * @param serverErrors     answers 5xx, the gateway's own 502, 503 and 504 included
 * @param upstreamErrors   requests the arm's upstreams failed: refused or reset connections and timeouts
 * @param latencyCount     answers timed
 * @param logLatencySum    the sum of {@code ln(seconds)} of their latencies (from the request's first byte to the
 *                         answer's last), for a test on log-latency
 * @param logLatencySumOfSquares the sum of the squares of those logarithms
 * @param p50Millis        the median latency in milliseconds, 0 when none was timed
 * @param p90Millis        the 90th percentile
 * @param p99Millis        the 99th percentile
 * @param maxMillis        the slowest
 */
public record ArmReport(
        String route,
        String arm,
        int requestedPercent,
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
        double p50Millis,
        double p90Millis,
        double p99Millis,
        double maxMillis) {

    /** Every answer counted, whatever its class. */
    public long responses() {
        return informational + success + redirection + clientErrors + serverErrors;
    }

    /** Failed requests, as analysis counts errors: 5xx answers. */
    public long errors() {
        return serverErrors;
    }
}
