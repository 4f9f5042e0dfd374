package dev.ramp.analysis;

import java.util.Objects;

/**
 * Why a judge reached its outcome on one metric: the statistic it computed, the bound it compared it with, and the
 * samples and estimates it had. This is what a release's timeline shows for each decision.
 *
 * @param metric the metric's name; {@code "split"} for the sample-ratio check
 * @param outcome this metric's outcome
 * @param statistic what {@code value} is, for example {@code "e-value"}, {@code "canary rate"} or {@code "score"}
 * @param value the statistic's value
 * @param bound the value at which the statistic decides (NaN when there is none)
 * @param stableSamples samples on the stable arm behind the statistic: requests or values so far for the sequential
 *     guardrail, in the interval for the threshold judge, points (one per interval) for the Mann-Whitney judge
 * @param canarySamples samples on the canary arm, counted the same way
 * @param stableEstimate the metric's value on the stable arm (NaN without data); for {@code split}, the requested
 *     canary weight
 * @param canaryEstimate the metric's value on the canary arm (NaN without data); for {@code split}, the canary's
 *     observed share
 * @param reason one sentence for people
 */
public record Evidence(
        String metric,
        Outcome outcome,
        String statistic,
        double value,
        double bound,
        long stableSamples,
        long canarySamples,
        double stableEstimate,
        double canaryEstimate,
        String reason) {

    public Evidence {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(statistic, "statistic");
        Objects.requireNonNull(reason, "reason");
    }
}
