package dev.ramp.gateway;

import dev.ramp.core.route.ArmReport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the gateway counts for one arm of one route: requests, answers by class, upstream errors and latency. The
 * counters are cumulative, for {@code /metrics}; each {@link #report} takes the figures since the last one, for the
 * server's analysis, and folds that interval's latencies into the cumulative histogram {@code /metrics} shows. Kept
 * across config changes while the route and arm exist.
 */
final class ArmMetrics {
    /** Latencies are recorded in microseconds, from 1 µs to an hour, to 2 significant digits. */
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    final String route;
    final String arm;
    final LongAdder requests = new LongAdder();
    final LongAdder informational = new LongAdder();
    final LongAdder success = new LongAdder();
    final LongAdder redirection = new LongAdder();
    final LongAdder clientErrors = new LongAdder();
    final LongAdder serverErrors = new LongAdder();
    final LongAdder upstreamErrors = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    /** Whether the arm's requests are going to the other arm; an event is raised when this changes. */
    volatile boolean fallingBack;
    private final Recorder latency = new Recorder(1, HIGHEST_MICROS, 2);
    private final Histogram cumulative = new Histogram(1, HIGHEST_MICROS, 2);
    private Histogram interval;
    private long[] reported = new long[8];
    private volatile long requestsAtWeight;
    private volatile int requestedPercent;

    ArmMetrics(String route, String arm) {
        this.route = route;
        this.arm = arm;
    }

    void answered(int status, long nanos) {
        switch (status / 100) {
            case 1 -> informational.increment();
            case 2 -> success.increment();
            case 3 -> redirection.increment();
            case 4 -> clientErrors.increment();
            default -> serverErrors.increment();
        }
        latency.recordValue(Math.max(1, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos))));
    }

    /** The route asks this arm for {@code percent}; the observed share restarts when that changes. */
    void requested(int percent) {
        if (percent != requestedPercent) {
            requestedPercent = percent;
            requestsAtWeight = requests.sum();
        }
    }

    int requestedPercent() {
        return requestedPercent;
    }

    /** Requests since the requested percent last changed. */
    long requestsAtCurrentWeight() {
        return requests.sum() - requestsAtWeight;
    }

    /** The figures since the last report; call from one thread. */
    synchronized ArmReport report() {
        interval = latency.getIntervalHistogram(interval);
        cumulative.add(interval);
        long[] now = {requests.sum(), informational.sum(), success.sum(), redirection.sum(), clientErrors.sum(),
                serverErrors.sum(), upstreamErrors.sum(), 0};
        long[] delta = new long[now.length];
        for (int i = 0; i < now.length; i++) {
            delta[i] = now[i] - reported[i];
        }
        reported = now;
        double logSum = 0;
        double logSquares = 0;
        for (var value : interval.recordedValues()) {
            double log = Math.log(interval.medianEquivalentValue(value.getValueIteratedTo()) / 1e6);
            logSum += log * value.getCountAtValueIteratedTo();
            logSquares += log * log * value.getCountAtValueIteratedTo();
        }
        long count = interval.getTotalCount();
        return new ArmReport(route, arm, requestedPercent, delta[0], delta[1], delta[2], delta[3], delta[4], delta[5],
                delta[6], count, logSum, logSquares, millis(interval, 50), millis(interval, 90), millis(interval, 99),
                count == 0 ? 0 : interval.getMaxValue() / 1000.0);
    }

    /** A copy of every latency reported so far, in microseconds. */
    synchronized Histogram cumulativeLatency() {
        return cumulative.copy();
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
