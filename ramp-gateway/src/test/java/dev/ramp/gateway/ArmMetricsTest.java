package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ArmMetricsTest {

    @Test
    void report_givesTheIntervalsFigures_thenStartsAfresh() {
        var metrics = new ArmMetrics("shop", "canary");
        metrics.requested(10);
        for (int i = 0; i < 90; i++) {
            metrics.requests.increment();
            metrics.answered(200, TimeUnit.MILLISECONDS.toNanos(2));
        }
        for (int i = 0; i < 10; i++) {
            metrics.requests.increment();
            metrics.answered(503, TimeUnit.MILLISECONDS.toNanos(100));
        }
        metrics.upstreamErrors.increment();

        var report = metrics.report();
        assertThat(report.route()).isEqualTo("shop");
        assertThat(report.requestedPercent()).isEqualTo(10);
        assertThat(report.requests()).isEqualTo(100);
        assertThat(report.success()).isEqualTo(90);
        assertThat(report.serverErrors()).isEqualTo(10);
        assertThat(report.errors()).isEqualTo(10);
        assertThat(report.upstreamErrors()).isEqualTo(1);
        assertThat(report.latencyCount()).isEqualTo(100);
        double expectedLogSum = 90 * Math.log(0.002) + 10 * Math.log(0.1);
        assertThat(report.logLatencySum()).isCloseTo(expectedLogSum, within(Math.abs(expectedLogSum) * 0.01));
        double expectedSquares = 90 * Math.pow(Math.log(0.002), 2) + 10 * Math.pow(Math.log(0.1), 2);
        assertThat(report.logLatencySumOfSquares()).isCloseTo(expectedSquares, within(expectedSquares * 0.01));
        assertThat(report.p50Millis()).isCloseTo(2, within(0.05));
        assertThat(report.p99Millis()).isCloseTo(100, within(1.0));
        assertThat(report.maxMillis()).isCloseTo(100, within(1.0));

        var next = metrics.report();
        assertThat(next.requests()).isZero();
        assertThat(next.latencyCount()).isZero();
        assertThat(next.p99Millis()).isZero();
        assertThat(metrics.cumulativeLatency().getTotalCount()).isEqualTo(100);
    }

    @Test
    void observedShare_restartsWhenTheRequestedShareChanges() {
        var metrics = new ArmMetrics("shop", "canary");
        metrics.requested(10);
        metrics.requests.add(50);
        assertThat(metrics.requestsAtCurrentWeight()).isEqualTo(50);
        metrics.requested(10);
        assertThat(metrics.requestsAtCurrentWeight()).isEqualTo(50);
        metrics.requested(25);
        metrics.requests.add(7);
        assertThat(metrics.requestsAtCurrentWeight()).isEqualTo(7);
    }
}
