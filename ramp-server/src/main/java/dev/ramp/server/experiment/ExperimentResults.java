package dev.ramp.server.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/v1/experiments/{name}/results} answers: per metric and arm, the units, the mean and, against
 * the control, the lifts with their intervals; the sample-ratio check; and a recommendation with its reason.
 * Figures that are undefined (a mean of no units, a relative lift over a control mean of 0) are JSON {@code null}.
 *
 * @param alpha              the level of the classic intervals and p-values: they hold with probability
 *                           {@code 1 - alpha}
 * @param sequentialAlpha    the level of the sequential intervals: {@code alpha} shared among the treatments
 * @param minimumDetectableEffect the relative lift of the primary metric the experiment is sized for
 * @param power              the planned chance to detect it
 * @param units              units exposed to any arm
 * @param unitsInSeveralArms units exposed to more than one arm (each counts in the arm it saw first); many of them
 *                           mean the assignment is not sticky
 * @param plannedUnitsPerArm units each arm needs to detect the minimum detectable effect on the primary metric with
 *                           the planned power, estimated from the control arm; null until the control has data
 * @param sampleRatio        whether the units each arm got fit the weights the experiment started with
 */
public record ExperimentResults(
        String experiment,
        String flag,
        String environment,
        String status,
        Instant startedAt,
        Instant stoppedAt,
        Instant computedAt,
        double alpha,
        double sequentialAlpha,
        double minimumDetectableEffect,
        double power,
        long units,
        long unitsInSeveralArms,
        Long plannedUnitsPerArm,
        SampleRatioResult sampleRatio,
        List<MetricResult> metrics,
        Recommendation recommendation) {

    public ExperimentResults {
        metrics = List.copyOf(metrics);
    }

    /**
     * The sample-ratio mismatch check (Pearson's chi-square; a mismatch below p = 0.001).
     *
     * @param expected each arm's weight when the experiment started, the control first
     * @param observed each arm's units, in the same order
     * @param pValue   null while no unit is exposed
     */
    public record SampleRatioResult(Map<String, Double> expected, Map<String, Long> observed, Double statistic,
                                    Double pValue, boolean mismatch) {
        public SampleRatioResult {
            expected = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(expected));
            observed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(observed));
        }
    }

    /**
     * One metric on every arm, the control first.
     *
     * @param role {@code primary} or {@code guardrail}
     */
    public record MetricResult(String event, String kind, String goal, String role, List<ArmResult> arms) {
        public MetricResult {
            arms = List.copyOf(arms);
        }
    }

    /**
     * One arm of one metric.
     *
     * @param mean       the metric on this arm: a conversion rate, a mean per unit or a mean per event
     * @param comparison against the control; null for the control itself
     */
    public record ArmResult(String variant, boolean control, long units, Double mean, Comparison comparison) {}

    /**
     * A treatment against the control on one metric.
     *
     * @param absoluteLift           {@code treatment - control}, with its {@code 1 - alpha} interval
     * @param relativeLift           {@code treatment / control - 1}, with its {@code 1 - alpha} interval
     * @param sequentialRelativeLift the relative lift's confidence sequence: its interval holds at every look at once,
     *                               so it may be read at any time; the recommendation rests on it
     * @param pValue                 the two-sided p-value of no difference, for a test read once at the planned end
     * @param adjustedPValue         {@code pValue} after Holm's adjustment over the treatments
     * @param chanceToWin            the posterior chance that the treatment moves the metric towards its goal
     * @param expectedLoss           the posterior expected relative loss of shipping the treatment, towards the goal
     * @param verdict                {@code better}, {@code worse} (the sequential interval is all on one side of 0,
     *                               towards the goal or away from it) or {@code inconclusive}
     */
    public record Comparison(Lift absoluteLift, Lift relativeLift, Lift sequentialRelativeLift, Double pValue,
                             Double adjustedPValue, Double chanceToWin, Double expectedLoss, String verdict) {}

    /** An estimate and its interval. */
    public record Lift(Double estimate, Double lower, Double upper) {}

    /**
     * What to do now.
     *
     * @param action  {@code ship}, {@code keep-running} or {@code stop}
     * @param variant the variant to ship; {@code ""} unless the action is {@code ship}
     * @param reason  why, in a sentence that names the figures behind it
     */
    public record Recommendation(String action, String variant, String reason) {}
}
