package dev.ramp.core.release;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One measurement of an analysis: its metrics over one interval, judged. The server takes it when
 * {@link ReleaseMachine#due} says so and hands it back to {@link ReleaseMachine#next}.
 *
 * @param since      the interval's start
 * @param until      its end
 * @param outcome    the judges' outcome over everything the analysis has seen so far
 * @param reason     one sentence for people, naming the deciding metric
 * @param evidence   one result per metric
 * @param judgeState what the analysis's sequential judge remembers after this measurement, kept for the next one;
 *                   opaque here ({@code ""} for a fresh judge)
 */
public record Measurement(Instant since, Instant until, Outcome outcome, String reason, List<MetricResult> evidence,
                          String judgeState) {

    /** What a measurement concluded. */
    public enum Outcome {
        /** Good enough to go on. */
        PASS,
        /** Worse than allowed. */
        FAIL,
        /** Not enough evidence yet: held, within the analysis's {@code inconclusiveLimit}. */
        INCONCLUSIVE,
        /** A metric source failed (unreachable, an error answer): held, within {@code errorLimit}. */
        ERROR,
        /** A metric had no data in the interval: held, within {@code noDataLimit}. */
        NO_DATA
    }

    public Measurement {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(judgeState, "judgeState");
    }

    /**
     * What one metric showed, and why it got its outcome: the statistic, the bound it is compared with, the samples
     * and each arm's estimate. NaN where there is no such number (no bound, no data on an arm).
     *
     * @param metric    the metric's name; {@code split} for the sample-ratio check
     * @param statistic what {@code value} is, such as {@code e-value} or {@code canary value}
     */
    public record MetricResult(String metric, Outcome outcome, String statistic, double value, double bound,
                               long stableSamples, long canarySamples, double stableEstimate, double canaryEstimate,
                               String reason) {
        public MetricResult {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(statistic, "statistic");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
