package dev.ramp.analysis;

import dev.ramp.analysis.internal.MannWhitney;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Kayenta's judge ({@code NetflixACAJudge} with its {@code MannWhitneyClassifier}), reproduced: each metric is a time
 * series of one point per interval and arm, and each look compares the canary's series with the stable arm's by the
 * Mann–Whitney test, then scores the share of metrics that pass.
 *
 * <p>Per metric, in Kayenta's order:
 * <ol>
 *   <li>Each interval adds its summary's {@link Summary#value() value} (the rate, or the mean) as one point per arm;
 *       NaN points (an arm without data) are dropped. The window grows from the first interval.
 *   <li>An arm without points: Nodata, or NodataFailMetric if the metric {@link Metric#mustHaveData() must have
 *       data} and is not {@link Metric#critical() critical}.
 *   <li>The same points on both arms, or a single value across both: Pass.
 *   <li>If each arm holds a single value, Gaussian noise of standard deviation value × 1e-5 is added to every point
 *       so the ranks are not all tied. Kayenta draws it at random; here it comes from the state's seed and the
 *       number of intervals, so a look is repeatable. If each arm still holds a single value (one point per arm, as
 *       at the first look, or a value of 0, which gets no noise), the test cannot run: Error, as in Kayenta.
 *   <li>The Mann–Whitney interval for the shift canary − stable at the judge's confidence (R's {@code wilcox.test},
 *       normal approximation). With tolerance t and Hodges–Lehmann estimate e, a {@link Direction#HIGHER_IS_WORSE}
 *       metric is High if the lower bound exceeds t × |e| and the mean ratio (canary mean / stable mean, NaN if a
 *       mean is 0) is NaN or at least {@link Metric#allowedIncrease()}; a {@link Direction#LOWER_IS_WORSE} metric is
 *       Low if the upper bound is below −t × |e| and the ratio is NaN or at most {@link Metric#allowedDecrease()}.
 *       Otherwise Pass. A critical metric that is High with a ratio of at least {@link Metric#criticalIncrease()}
 *       (or Low with at most {@link Metric#criticalDecrease()}; a NaN ratio counts as beyond either) fails the
 *       release outright.
 * </ol>
 *
 * <p>The score is 100 × #Pass / (#Pass + #High + #Low + #NodataFailMetric), rounded to two decimals, with every
 * metric weighted equally (Kayenta's groups and weights are not reproduced: a single group). Nodata and Error
 * metrics are left out of it. The score is 0 if a critical metric is anything but Pass (Nodata included), or if half the metrics or
 * more are Nodata. A score of at least {@code pass} is {@link Outcome#PASS}; at least {@code marginal} is Kayenta's
 * Marginal, {@link Outcome#INCONCLUSIVE}; below it {@link Outcome#FAIL}. When no metric can be scored (each is Nodata or
 * Error) the outcome is {@link Outcome#INCONCLUSIVE}.
 *
 * <p>Each metric's {@link Evidence} carries the interval bound that decides it: for a higher-is-worse metric the
 * lower bound ({@code statistic} "Mann-Whitney lower bound", {@code bound} +t × |e|), for a lower-is-worse one the
 * upper bound ("Mann-Whitney upper bound", {@code bound} −t × |e|); the samples are the points per arm and the
 * estimates their means. The last evidence is the score ({@code statistic} "score", {@code bound} the marginal
 * threshold). The judge does not check the {@link Split}: Kayenta has no sample-ratio check.
 *
 * <p>Known weaknesses, kept for parity (Kayenta issues 780, 426): the bound scales with the shift itself, so a jump on
 * most but not all points can pass (a hundredfold rise on 7 of 10 points does); a rise in variance alone passes;
 * sparse or zero-inflated rates pass; and re-testing the growing window at every look, without a sequential
 * correction, raises the false failure rate with the number of looks. {@link SequentialGuardrail} has none of these.
 */
public final class MannWhitneyJudge implements Judge {

    private static final double TIE_NOISE_SCALE = 1e-5;
    private static final long SEED_MIX = 0x9E3779B97F4A7C15L;
    private static final double NODATA_SHARE_THAT_ZEROES_THE_SCORE = 0.5;

    private final List<Metric> metrics;
    private final double confidence;
    private final double tolerance;
    private final double passScore;
    private final double marginalScore;
    private final long seed;

    private MannWhitneyJudge(Builder builder) {
        this.metrics = List.copyOf(builder.metrics.values());
        this.confidence = builder.confidence;
        this.tolerance = builder.tolerance;
        this.passScore = builder.passScore;
        this.marginalScore = builder.marginalScore;
        this.seed = builder.seed;
    }

    /** A builder with Kayenta's defaults: confidence 0.98, tolerance 0.25, scores 95 to pass and 75 marginal, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public State start() {
        return new State(Map.of(), 0, seed);
    }

    @Override
    public Look look(JudgeState state, Interval interval) {
        State next = requireOwn(state).plus(interval, metrics);
        RandomGenerator tieNoise = new SplittableRandom(seed ^ (next.intervals() * SEED_MIX));
        List<Judgement> judgements = new ArrayList<>();
        for (Metric metric : metrics) {
            judgements.add(judge(metric, next.series().get(metric.name()), tieNoise));
        }
        return new Look(next, verdict(judgements));
    }

    private State requireOwn(JudgeState state) {
        if (!(state instanceof State own)) {
            throw new IllegalArgumentException("a MannWhitneyJudge needs its own state, got " + state);
        }
        if (own.seed() != seed) {
            throw new IllegalArgumentException(
                    "state was started by a judge with seed " + own.seed() + ", this judge has seed " + seed);
        }
        for (String name : own.series().keySet()) {
            if (metrics.stream().noneMatch(metric -> metric.name().equals(name))) {
                throw new IllegalArgumentException("state holds metric " + name + ", which this judge does not judge");
            }
        }
        return own;
    }

    private enum Label {
        PASS("Pass", Outcome.PASS),
        HIGH("High", Outcome.FAIL),
        LOW("Low", Outcome.FAIL),
        NODATA("Nodata", Outcome.INCONCLUSIVE),
        NODATA_FAIL_METRIC("NodataFailMetric", Outcome.FAIL),
        ERROR("Error", Outcome.INCONCLUSIVE);

        private final String kayentaName;
        private final Outcome outcome;

        Label(String kayentaName, Outcome outcome) {
            this.kayentaName = kayentaName;
            this.outcome = outcome;
        }
    }

    /** One metric's classification; {@code failsRelease} marks a critical metric that is not Pass. */
    private record Judgement(Metric metric, Label label, boolean failsRelease, Evidence evidence) {
    }

    private Judgement judge(Metric metric, Series series, RandomGenerator tieNoise) {
        double[] stable = series == null ? new double[0] : toArray(series.stable());
        double[] canary = series == null ? new double[0] : toArray(series.canary());
        String statistic = metric.direction() == Direction.HIGHER_IS_WORSE
                ? "Mann-Whitney lower bound" : "Mann-Whitney upper bound";
        if (stable.length == 0 || canary.length == 0) {
            Label label = metric.mustHaveData() && !metric.critical() ? Label.NODATA_FAIL_METRIC : Label.NODATA;
            String reason = metric.name() + ": " + label.kayentaName + ": "
                    + (stable.length == 0 ? "the stable arm" : "the canary arm") + " has no data yet";
            return earlyExit(metric, label, statistic, stable, canary, reason);
        }
        double[] sortedStable = stable.clone();
        double[] sortedCanary = canary.clone();
        Arrays.sort(sortedStable);
        Arrays.sort(sortedCanary);
        if (Arrays.equals(sortedStable, sortedCanary)) {
            return earlyExit(metric, Label.PASS, statistic, stable, canary,
                    metric.name() + ": Pass: the canary and stable data are identical");
        }
        if (isSingleValue(sortedStable) && isSingleValue(sortedCanary) && sortedStable[0] == sortedCanary[0]) {
            return earlyExit(metric, Label.PASS, statistic, stable, canary,
                    metric.name() + ": Pass: one value across both arms");
        }
        double[] testedStable = stable;
        double[] testedCanary = canary;
        if (isSingleValue(sortedStable) && isSingleValue(sortedCanary)) {
            testedStable = withTieNoise(stable, tieNoise);
            testedCanary = withTieNoise(canary, tieNoise);
        }
        if (isSingleValue(testedStable) && isSingleValue(testedCanary)) {
            return earlyExit(metric, Label.ERROR, statistic, stable, canary, metric.name()
                    + ": Error: each arm still holds a single value after the tie noise, which cannot be ranked");
        }
        return compare(metric, statistic, stable, canary, MannWhitney.test(testedCanary, testedStable, confidence));
    }

    private Judgement compare(Metric metric, String statistic, double[] stable, double[] canary,
            MannWhitney.Result test) {
        double stableMean = mean(stable);
        double canaryMean = mean(canary);
        double ratio = stableMean == 0 || canaryMean == 0 ? Double.NaN : canaryMean / stableMean;
        double allowance = tolerance * Math.abs(test.estimate());
        boolean higherIsWorse = metric.direction() == Direction.HIGHER_IS_WORSE;
        Label label = Label.PASS;
        boolean failsRelease = false;
        if (higherIsWorse && test.lower() > allowance && (Double.isNaN(ratio) || ratio >= metric.allowedIncrease())) {
            label = Label.HIGH;
            failsRelease = metric.critical() && (Double.isNaN(ratio) || ratio >= metric.criticalIncrease());
        } else if (!higherIsWorse && test.upper() < -allowance
                && (Double.isNaN(ratio) || ratio <= metric.allowedDecrease())) {
            label = Label.LOW;
            failsRelease = metric.critical() && (Double.isNaN(ratio) || ratio <= metric.criticalDecrease());
        }
        double value = higherIsWorse ? test.lower() : test.upper();
        double bound = higherIsWorse ? allowance : -allowance;
        String reason = String.format(Locale.ROOT,
                "%s: %s%s: shift %.4g, %.4g%% interval [%.4g, %.4g], p = %.3g; tolerance bound %.4g, mean ratio %.4g",
                metric.name(), label.kayentaName, failsRelease ? " (critical)" : "", test.estimate(),
                confidence * 100, test.lower(), test.upper(), test.pValue(), bound, ratio);
        Evidence evidence = new Evidence(metric.name(), label.outcome, statistic, value, bound,
                stable.length, canary.length, stableMean, canaryMean, reason);
        return new Judgement(metric, label, failsRelease, evidence);
    }

    private static Judgement earlyExit(Metric metric, Label label, String statistic, double[] stable,
            double[] canary, String reason) {
        Evidence evidence = new Evidence(metric.name(), label.outcome, statistic, Double.NaN, Double.NaN,
                stable.length, canary.length, mean(stable), mean(canary), reason);
        return new Judgement(metric, label, metric.critical() && label != Label.PASS, evidence);
    }

    private Verdict verdict(List<Judgement> judgements) {
        long passed = count(judgements, Label.PASS);
        long nodata = count(judgements, Label.NODATA);
        long counted = judgements.size() - nodata - count(judgements, Label.ERROR);
        double rawScore = counted == 0 ? 0 : Math.round(10000.0 * passed / counted) / 100.0;
        List<Judgement> criticalFailures = judgements.stream().filter(Judgement::failsRelease).toList();
        boolean mostlyNodata = nodata >= NODATA_SHARE_THAT_ZEROES_THE_SCORE * judgements.size();
        double score = criticalFailures.isEmpty() && !mostlyNodata ? rawScore : 0;

        Outcome outcome;
        String reason;
        if (counted == 0) {
            outcome = Outcome.INCONCLUSIVE;
            reason = "no metric could be scored yet: " + names(judgements);
        } else {
            outcome = score >= passScore ? Outcome.PASS : score >= marginalScore ? Outcome.INCONCLUSIVE : Outcome.FAIL;
            reason = scoreSentence(score, outcome) + because(judgements, criticalFailures, mostlyNodata, nodata);
        }
        List<Evidence> evidence = new ArrayList<>(judgements.stream().map(Judgement::evidence).toList());
        long stablePoints = evidence.stream().mapToLong(Evidence::stableSamples).sum();
        long canaryPoints = evidence.stream().mapToLong(Evidence::canarySamples).sum();
        evidence.add(new Evidence("score", outcome, "score", score, marginalScore, stablePoints, canaryPoints,
                Double.NaN, Double.NaN, reason));
        return new Verdict(outcome, reason, evidence);
    }

    private String scoreSentence(double score, Outcome outcome) {
        return switch (outcome) {
            case PASS -> String.format(Locale.ROOT, "score %.2f reaches pass %.2f", score, passScore);
            case INCONCLUSIVE -> String.format(Locale.ROOT,
                    "score %.2f is marginal: at least %.2f but below pass %.2f", score, marginalScore, passScore);
            case FAIL -> String.format(Locale.ROOT, "score %.2f is below marginal %.2f", score, marginalScore);
        };
    }

    private static String because(List<Judgement> judgements, List<Judgement> criticalFailures, boolean mostlyNodata,
            long nodata) {
        if (!criticalFailures.isEmpty()) {
            return ", because critical " + names(criticalFailures);
        }
        if (mostlyNodata) {
            return ", because " + nodata + " of " + judgements.size() + " metrics have no data (half or more scores 0)";
        }
        List<Judgement> notPassed = judgements.stream().filter(judgement -> judgement.label() != Label.PASS).toList();
        return notPassed.isEmpty() ? ": every metric passed" : "; not passed: " + names(notPassed);
    }

    private static String names(List<Judgement> judgements) {
        return judgements.stream()
                .map(judgement -> judgement.metric().name() + " " + judgement.label().kayentaName)
                .collect(Collectors.joining(", "));
    }

    private static long count(List<Judgement> judgements, Label label) {
        return judgements.stream().filter(judgement -> judgement.label() == label).count();
    }

    private static double[] withTieNoise(double[] values, RandomGenerator tieNoise) {
        double[] noisy = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            noisy[i] = values[i] + tieNoise.nextGaussian() * Math.abs(values[i]) * TIE_NOISE_SCALE;
        }
        return noisy;
    }

    private static boolean isSingleValue(double[] values) {
        return Arrays.stream(values).distinct().count() == 1;
    }

    private static double[] toArray(List<Double> points) {
        return points.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
    }
    /**
     * One metric's settings, Kayenta's {@code analysisConfigurations.canary} with the {@code meanRatio} effect size.
     *
     * @param name the metric's name in each {@link Interval}
     * @param direction which way is worse: HIGHER_IS_WORSE is Kayenta's "increase" (only High counts against the
     *     canary), LOWER_IS_WORSE its "decrease" (only Low)
     * @param critical whether this metric failing (or having no data) sets the score to 0
     * @param mustHaveData whether no data counts against a non-critical metric (NodataFailMetric) instead of being left
     *     out of the score
     * @param allowedIncrease for HIGHER_IS_WORSE, the mean ratio from which a significant rise counts as High
     * @param allowedDecrease for LOWER_IS_WORSE, the mean ratio up to which a significant fall counts as Low
     * @param criticalIncrease for a critical HIGHER_IS_WORSE metric, the mean ratio from which High fails the release
     * @param criticalDecrease for a critical LOWER_IS_WORSE metric, the mean ratio up to which Low fails the release
     */
    public record Metric(
            String name,
            Direction direction,
            boolean critical,
            boolean mustHaveData,
            double allowedIncrease,
            double allowedDecrease,
            double criticalIncrease,
            double criticalDecrease) {

        public Metric {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(direction, "direction");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a metric needs a name, got \"" + name + "\"");
            }
            requireRatio(name, "allowedIncrease", allowedIncrease);
            requireRatio(name, "allowedDecrease", allowedDecrease);
            requireRatio(name, "criticalIncrease", criticalIncrease);
            requireRatio(name, "criticalDecrease", criticalDecrease);
        }

        /** A metric with Kayenta's defaults: not critical, no data allowed, every effect-size ratio 1.0. */
        public static Metric of(String name, Direction direction) {
            return builder(name, direction).build();
        }

        public static Builder builder(String name, Direction direction) {
            return new Builder(name, direction);
        }

        private static double requireRatio(String metric, String setting, double ratio) {
            if (!(Double.isFinite(ratio) && ratio > 0)) {
                throw new IllegalArgumentException(
                        setting + " of metric " + metric + " must be a finite ratio above 0, got " + ratio);
            }
            return ratio;
        }

        /** Builds a {@link Metric}; a setting that does not apply to the metric's direction is refused. */
        public static final class Builder {

            private final String name;
            private final Direction direction;
            private boolean critical;
            private boolean mustHaveData;
            private double allowedIncrease = 1.0;
            private double allowedDecrease = 1.0;
            private double criticalIncrease = 1.0;
            private double criticalDecrease = 1.0;

            private Builder(String name, Direction direction) {
                this.name = Objects.requireNonNull(name, "name");
                this.direction = Objects.requireNonNull(direction, "direction");
            }

            /** Marks the metric critical: if it is not Pass, the score is 0. */
            public Builder critical() {
                this.critical = true;
                return this;
            }

            /** Counts no data against the metric (NodataFailMetric) unless it is critical. */
            public Builder mustHaveData() {
                this.mustHaveData = true;
                return this;
            }

            public Builder allowedIncrease(double ratio) {
                this.allowedIncrease = requireRatio(name, "allowedIncrease", ratio);
                requireDirection("allowedIncrease", Direction.HIGHER_IS_WORSE);
                return this;
            }

            public Builder allowedDecrease(double ratio) {
                this.allowedDecrease = requireRatio(name, "allowedDecrease", ratio);
                requireDirection("allowedDecrease", Direction.LOWER_IS_WORSE);
                return this;
            }

            public Builder criticalIncrease(double ratio) {
                this.criticalIncrease = requireRatio(name, "criticalIncrease", ratio);
                requireDirection("criticalIncrease", Direction.HIGHER_IS_WORSE);
                return this;
            }

            public Builder criticalDecrease(double ratio) {
                this.criticalDecrease = requireRatio(name, "criticalDecrease", ratio);
                requireDirection("criticalDecrease", Direction.LOWER_IS_WORSE);
                return this;
            }

            private void requireDirection(String setting, Direction needed) {
                if (direction != needed) {
                    throw new IllegalArgumentException(setting + " has no effect on metric " + name + ", which is "
                            + direction + "; it applies to " + needed + " metrics");
                }
            }

            public Metric build() {
                return new Metric(name, direction, critical, mustHaveData,
                        allowedIncrease, allowedDecrease, criticalIncrease, criticalDecrease);
            }
        }
    }

    /** Which kind of {@link Summary} a metric's intervals carry; it must not change from one interval to the next. */
    public enum SummaryKind {
        COUNTS,
        MOMENTS;

        static SummaryKind of(Summary summary) {
            return summary instanceof Counts ? COUNTS : MOMENTS;
        }
    }

    /**
     * One metric's points so far: one per interval and arm that had data.
     *
     * @param kind the kind of summary the metric's intervals carry
     * @param stable the stable arm's points, oldest first, all finite
     * @param canary the canary arm's points, oldest first, all finite
     */
    public record Series(SummaryKind kind, List<Double> stable, List<Double> canary) {

        public Series {
            Objects.requireNonNull(kind, "kind");
            stable = List.copyOf(stable);
            canary = List.copyOf(canary);
            if (!Stream.concat(stable.stream(), canary.stream()).allMatch(Double::isFinite)) {
                throw new IllegalArgumentException("series points must be finite, got " + stable + " and " + canary);
            }
        }

        Series plus(Arms<?> arms) {
            List<Double> nextStable = new ArrayList<>(stable);
            List<Double> nextCanary = new ArrayList<>(canary);
            addIfPresent(nextStable, arms.stable().value());
            addIfPresent(nextCanary, arms.canary().value());
            return new Series(kind, nextStable, nextCanary);
        }

        private static void addIfPresent(List<Double> points, double value) {
            if (!Double.isNaN(value)) {
                points.add(value);
            }
        }
    }

    /**
     * What a {@link MannWhitneyJudge} remembers: every point so far (the window grows from the start, as Kayenta's
     * does by default), the number of intervals, and the seed of the tie noise. Plain data, so it can be persisted as
     * JSON.
     *
     * @param series the points per metric name; a metric not yet seen in any interval is absent
     * @param intervals how many intervals the state has seen
     * @param seed the seed from which each look derives its tie noise
     */
    public record State(Map<String, Series> series, long intervals, long seed) implements JudgeState {

        public State {
            series = Map.copyOf(series);
            if (intervals < 0) {
                throw new IllegalArgumentException("intervals must not be negative, got " + intervals);
            }
        }

        State plus(Interval interval, List<Metric> metrics) {
            Map<String, Series> next = new LinkedHashMap<>(series);
            for (Metric metric : metrics) {
                Arms<?> arms = interval.metrics().get(metric.name());
                if (arms == null) {
                    continue;
                }
                SummaryKind kind = SummaryKind.of(arms.stable());
                Series previous = next.getOrDefault(metric.name(), new Series(kind, List.of(), List.of()));
                if (previous.kind() != kind) {
                    throw new IllegalArgumentException("metric " + metric.name() + " had " + previous.kind()
                            + " summaries in earlier intervals and now has " + kind);
                }
                next.put(metric.name(), previous.plus(arms));
            }
            return new State(next, Math.addExact(intervals, 1), seed);
        }
    }

    /** Builds a {@link MannWhitneyJudge}, refusing a bad setting at once with a message naming it. */
    public static final class Builder {

        private final Map<String, Metric> metrics = new LinkedHashMap<>();
        private double confidence = 0.98;
        private double tolerance = 0.25;
        private double passScore = 95;
        private double marginalScore = 75;
        private long seed;

        private Builder() {
        }

        /** Adds a metric with Kayenta's defaults. */
        public Builder metric(String name, Direction direction) {
            return metric(Metric.of(name, direction));
        }

        /** Adds a metric; the judge judges them, and lists their evidence, in the order they were added. */
        public Builder metric(Metric metric) {
            Objects.requireNonNull(metric, "metric");
            if (metrics.containsKey(metric.name())) {
                throw new IllegalArgumentException("metric " + metric.name() + " is already configured");
            }
            metrics.put(metric.name(), metric);
            return this;
        }

        /** The confidence level of the Mann–Whitney interval, in (0, 1); Kayenta hard-codes 0.98. */
        public Builder confidence(double confidence) {
            if (!(confidence > 0 && confidence < 1)) {
                throw new IllegalArgumentException("confidence must lie in (0, 1), got " + confidence);
            }
            this.confidence = confidence;
            return this;
        }

        /** The share of the estimated shift the interval must clear, at least 0; Kayenta hard-codes 0.25. */
        public Builder tolerance(double tolerance) {
            if (!(Double.isFinite(tolerance) && tolerance >= 0)) {
                throw new IllegalArgumentException("tolerance must be finite and at least 0, got " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /** The scores from which the canary passes and is marginal, with 0 <= marginal <= pass <= 100. */
        public Builder scoreThresholds(double pass, double marginal) {
            if (!(marginal >= 0 && marginal <= pass && pass <= 100)) {
                throw new IllegalArgumentException(
                        "score thresholds need 0 <= marginal <= pass <= 100, got pass " + pass + " and marginal " + marginal);
            }
            this.passScore = pass;
            this.marginalScore = marginal;
            return this;
        }

        /** The seed of the noise that breaks all-tied series; the same seed gives the same verdicts. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @throws IllegalStateException if no metric was added */
        public MannWhitneyJudge build() {
            if (metrics.isEmpty()) {
                throw new IllegalStateException("a MannWhitneyJudge needs at least one metric, got none");
            }
            return new MannWhitneyJudge(this);
        }
    }
}
