package dev.ramp.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fixed limits on the canary's own value in each interval, checked afresh at every look: the way Argo Rollouts
 * ({@code failureCondition}, {@code failureLimit}) and Flagger ({@code thresholdRange}, {@code threshold}) judge.
 *
 * <p>Each metric's measurement fails when the canary's value in the interval crosses its limit; the metric fails once
 * it has failed more than {@code failureLimit} measurements (Argo's default is 0: the first failed measurement fails
 * the analysis), and stays failed. A measurement with fewer than the minimum samples is inconclusive. Stable is not
 * looked at.
 *
 * <p>It is simple and familiar, but every look is a fresh chance of a false alarm: with a 5% chance per look, 20 looks
 * fail a healthy canary 64% of the time. {@link SequentialGuardrail} does not have that problem.
 */
public final class ThresholdJudge implements Judge {

    private final List<Condition> conditions;
    private final long minSamples;
    private final long failureLimit;

    private ThresholdJudge(Builder builder) {
        this.conditions = List.copyOf(builder.conditions);
        this.minSamples = builder.minSamples;
        this.failureLimit = builder.failureLimit;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public State start() {
        List<Long> zeros = conditions.stream().map(condition -> 0L).toList();
        return new State(0, zeros, conditions.stream().map(condition -> -1L).toList());
    }

    @Override
    public Look look(JudgeState state, Interval interval) {
        if (!(state instanceof State previous) || previous.failures().size() != conditions.size()) {
            throw new IllegalArgumentException("state " + state + " does not belong to this threshold judge");
        }
        long intervals = previous.intervals() + 1;
        List<Long> failures = new ArrayList<>();
        List<Long> failedAt = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            Condition condition = conditions.get(i);
            long failed = previous.failures().get(i);
            long at = previous.failedAt().get(i);
            Arms<?> arms = interval.metrics().get(condition.metric());
            Summary canary = arms == null ? Counts.EMPTY : arms.canary();
            Summary stable = arms == null ? Counts.EMPTY : arms.stable();
            double value = canary.value();
            boolean measured = canary.samples() >= minSamples;
            boolean crossed = measured && condition.isCrossedBy(value);
            if (crossed) {
                failed++;
                if (at < 0 && failed > failureLimit) {
                    at = intervals;
                }
            }
            failures.add(failed);
            failedAt.add(at);
            evidence.add(evidence(condition, stable, canary, measured, crossed, failed, at));
        }
        return new Look(new State(intervals, failures, failedAt), Verdicts.of(evidence, "every metric within its limit"));
    }

    private Evidence evidence(Condition condition, Summary stable, Summary canary, boolean measured, boolean crossed,
            long failed, long failedAt) {
        String limit = String.format(Locale.ROOT, "%s %.6g", condition.failAbove() ? ">" : "<", condition.limit());
        Outcome outcome;
        String reason;
        if (failedAt >= 0) {
            outcome = Outcome.FAIL;
            reason = String.format(Locale.ROOT, "%s: %d failed measurements (fails on %s) since interval %d, more than the %d allowed",
                    condition.metric(), failed, limit, failedAt, failureLimit);
        } else if (!measured) {
            outcome = Outcome.INCONCLUSIVE;
            reason = String.format(Locale.ROOT, "%s: %d canary samples in the interval, %d needed",
                    condition.metric(), canary.samples(), minSamples);
        } else if (crossed) {
            outcome = Outcome.INCONCLUSIVE;
            reason = String.format(Locale.ROOT, "%s: canary %.6g fails on %s, %d of %d allowed failed measurements",
                    condition.metric(), canary.value(), limit, failed, failureLimit);
        } else {
            outcome = Outcome.PASS;
            reason = String.format(Locale.ROOT, "%s: canary %.6g within the limit (fails on %s)",
                    condition.metric(), canary.value(), limit);
        }
        return new Evidence(condition.metric(), outcome, "canary value", canary.value(), condition.limit(),
                stable.samples(), canary.samples(), stable.value(), canary.value(), reason);
    }

    /**
     * A limit on one metric's canary value.
     *
     * @param failAbove true if a value above the limit fails, false if a value below it fails
     */
    record Condition(String metric, boolean failAbove, double limit) {

        boolean isCrossedBy(double value) {
            return failAbove ? value > limit : value < limit;
        }
    }

    /**
     * The judge's memory.
     *
     * @param intervals how many intervals have been seen
     * @param failures per limit, in the order configured: how many measurements crossed it
     * @param failedAt per limit: the interval at which it failed, or -1
     */
    public record State(long intervals, List<Long> failures, List<Long> failedAt) implements JudgeState {

        public State {
            failures = List.copyOf(failures);
            failedAt = List.copyOf(failedAt);
        }
    }

    /** Configures a threshold judge; {@link #build()} reports every bad setting at once. */
    public static final class Builder {
        private final List<Condition> conditions = new ArrayList<>();
        private final Set<String> metrics = new HashSet<>();
        private final List<String> errors = new ArrayList<>();
        private long minSamples = 1;
        private long failureLimit = 0;

        private Builder() {}

        /** Fails a measurement when the canary's value is above {@code limit} (an error rate above 1%, say). */
        public Builder failAbove(String metric, double limit) {
            return add(metric, true, limit);
        }

        /** Fails a measurement when the canary's value is below {@code limit} (a success rate below 99%, say). */
        public Builder failBelow(String metric, double limit) {
            return add(metric, false, limit);
        }

        private Builder add(String metric, boolean failAbove, double limit) {
            if (metric == null || metric.isBlank()) {
                errors.add("metric name must not be blank, got " + (metric == null ? "null" : "'" + metric + "'"));
            } else if (!metrics.add(metric)) {
                errors.add("metric " + metric + " has two limits");
            } else if (!Double.isFinite(limit)) {
                errors.add("metric " + metric + ": limit must be finite, got " + limit);
            } else {
                conditions.add(new Condition(metric, failAbove, limit));
            }
            return this;
        }

        /** Canary samples a measurement needs in its interval to count. Default 1. */
        public Builder minSamples(long minSamples) {
            this.minSamples = minSamples;
            return this;
        }

        /** Failed measurements a metric may have before it fails; Argo's default, and this one's, is 0. */
        public Builder failureLimit(long failureLimit) {
            this.failureLimit = failureLimit;
            return this;
        }

        /**
         * @throws IllegalArgumentException listing every bad setting
         */
        public ThresholdJudge build() {
            List<String> all = new ArrayList<>(errors);
            if (minSamples < 1) {
                all.add("minSamples must be at least 1, got " + minSamples);
            }
            if (failureLimit < 0) {
                all.add("failureLimit must be >= 0, got " + failureLimit);
            }
            if (conditions.isEmpty() && errors.isEmpty()) {
                all.add("a threshold judge needs at least one limit");
            }
            if (!all.isEmpty()) {
                throw new IllegalArgumentException("invalid threshold judge: " + String.join("; ", all));
            }
            return new ThresholdJudge(this);
        }
    }
}
