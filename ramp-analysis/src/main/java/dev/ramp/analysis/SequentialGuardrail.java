package dev.ramp.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Ramp's default judge: one-sided, anytime-valid comparisons of canary against stable, which may be looked at every
 * second for as long as a release runs while the chance of ever failing a canary that is as good as stable stays at
 * most α.
 *
 * <p>Each metric is an e-process (a nonnegative supermartingale under "the canary is no worse"):
 *
 * <ul>
 *   <li>a {@linkplain Builder#proportion proportion} (errors among requests, slow requests among requests) is judged
 *       on which arm each event came from, exactly, conditioned on each interval's requests per arm (see
 *       {@link OddsShiftMixture});
 *   <li>a {@linkplain Builder#mean mean} (of log-latency, say) is judged by a mixture sequential probability ratio
 *       test on the difference of means (see {@link MeanShiftMixture}).
 * </ul>
 *
 * <p>One α budget covers every look and every metric: each of k metrics fails when its e-value reaches k/α (Ville's
 * inequality with a Bonferroni split), and a failure stays failed. A metric passes once both arms have the minimum
 * number of samples and it has not failed; the judge passes when every metric passes. The split is checked too: an
 * e-value of 1,000 or more (the 0.001 level) that the observed split differs from the requested weight makes every
 * look inconclusive, because the arms are then no longer comparable; failures still count, since both tests condition
 * on the samples each arm actually got.
 *
 * <p>Keep one state for the whole release: the weight may change between intervals and the budget is spent once.
 */
public final class SequentialGuardrail implements Judge {

    /** The e-value at which the split is declared mismatched: the 0.001 level, as for experiments. */
    public static final double SPLIT_BOUND = 1_000;
    /** The name the split check's evidence goes by; no metric may take it. */
    private static final String SPLIT = "split";

    /** Scale of the half-normal prior on the log rate ratio of a proportion metric (e¹ ≈ 2.7 times the rate). */
    private static final double RATE_RATIO_SCALE = 1.0;
    /** Scale of the half-normal prior on a difference of means, in pooled standard deviations. */
    private static final double MEAN_SHIFT_SCALE = 0.25;
    /** Scale of the normal prior on the log-odds shift of the split (0.1 ≈ 2.5 points at 50%). */
    private static final double SPLIT_SHIFT_SCALE = 0.1;

    private static final OddsShiftMixture SPLIT_MIXTURE = OddsShiftMixture.twoSided(SPLIT_SHIFT_SCALE);

    private final double alpha;
    private final long minSamples;
    private final List<Guard> guards;
    private final double bound;

    private SequentialGuardrail(Builder builder) {
        this.alpha = builder.alpha;
        this.minSamples = builder.minSamples;
        this.bound = builder.metrics.size() / alpha;
        List<Guard> guards = new ArrayList<>();
        for (MetricSpec spec : builder.metrics) {
            guards.add(spec.proportion()
                    ? new ProportionGuard(spec.name(), spec.direction(), spec.tolerance())
                    : new MeanGuard(spec.name(), spec.direction(), spec.tolerance()));
        }
        this.guards = List.copyOf(guards);
    }

    public static Builder builder() {
        return new Builder();
    }

    public double alpha() {
        return alpha;
    }

    public long minSamples() {
        return minSamples;
    }

    @Override
    public State start() {
        List<MetricTrack> tracks = new ArrayList<>();
        for (Guard guard : guards) {
            tracks.add(guard.start());
        }
        return new State(0, tracks, new SplitTrack(0, 0, Double.NaN, SPLIT_MIXTURE.start(), -1));
    }

    @Override
    public Look look(JudgeState state, Interval interval) {
        if (!(state instanceof State previous) || !belongsHere(previous)) {
            throw new IllegalArgumentException("state " + state + " does not belong to this sequential guardrail");
        }
        long intervals = previous.intervals() + 1;
        List<MetricTrack> tracks = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        for (int i = 0; i < guards.size(); i++) {
            Guard guard = guards.get(i);
            MetricTrack track = previous.metrics().get(i);
            Arms<?> arms = interval.metrics().get(guard.name());
            if (arms != null) {
                track = guard.add(track, arms);
            }
            double logEValue = guard.hasSamples(track) ? guard.logEValue(track) : Double.NaN;
            if (track.failedAt() < 0 && logEValue >= Math.log(bound)) {
                track = track.withFailedAt(intervals);
            }
            tracks.add(track);
            evidence.add(guard.evidence(track, logEValue));
        }
        SplitTrack split = addSplit(previous.split(), interval.split(), intervals);
        if (split.stableUnits() + split.canaryUnits() > 0) {
            evidence.add(splitEvidence(split));
        }
        return new Look(new State(intervals, tracks, split), verdict(evidence, intervals));
    }

    private boolean belongsHere(State state) {
        if (state.metrics().size() != guards.size()) {
            return false;
        }
        for (int i = 0; i < guards.size(); i++) {
            if (!state.metrics().get(i).metric().equals(guards.get(i).name())) {
                return false;
            }
        }
        return true;
    }

    private Verdict verdict(List<Evidence> evidence, long intervals) {
        boolean failed = evidence.stream().anyMatch(item -> item.outcome() == Outcome.FAIL);
        for (Evidence item : evidence) {
            if (!failed && item.metric().equals(SPLIT) && item.outcome() == Outcome.INCONCLUSIVE) {
                return new Verdict(Outcome.INCONCLUSIVE, item.reason(), evidence);
            }
        }
        String names = String.join(", ", guards.stream().map(Guard::name).toList());
        return Verdicts.of(evidence, "no regression on " + names + " after " + intervals + " intervals");
    }

    private SplitTrack addSplit(SplitTrack track, Split split, long intervals) {
        if (!split.isMeasured()) {
            return track;
        }
        long stable = Math.addExact(track.stableUnits(), split.stableUnits());
        long canary = Math.addExact(track.canaryUnits(), split.canaryUnits());
        double[] logRatios = SPLIT_MIXTURE.update(track.logLikelihoodRatios(), split.canaryWeight(),
                split.canaryUnits(), split.stableUnits() + split.canaryUnits());
        long mismatchedAt = track.mismatchedAt();
        if (mismatchedAt < 0 && OddsShiftMixture.logEValue(logRatios) >= Math.log(SPLIT_BOUND)) {
            mismatchedAt = intervals;
        }
        return new SplitTrack(stable, canary, split.canaryWeight(), logRatios, mismatchedAt);
    }

    private static Evidence splitEvidence(SplitTrack split) {
        double eValue = eValue(OddsShiftMixture.logEValue(split.logLikelihoodRatios()));
        long units = split.stableUnits() + split.canaryUnits();
        double observed = (double) split.canaryUnits() / units;
        boolean mismatched = split.mismatchedAt() >= 0;
        String reason = mismatched
                ? format("sample ratio mismatch since interval %d: the canary got %.2f%% of %d units against a requested %.2f%%",
                        split.mismatchedAt(), 100 * observed, units, 100 * split.canaryWeight())
                : format("split as requested: the canary got %.2f%% of %d units against a requested %.2f%%, e-value %.3g < %.0f",
                        100 * observed, units, 100 * split.canaryWeight(), eValue, SPLIT_BOUND);
        return new Evidence(SPLIT, mismatched ? Outcome.INCONCLUSIVE : Outcome.PASS, "e-value", eValue, SPLIT_BOUND,
                split.stableUnits(), split.canaryUnits(), split.canaryWeight(), observed, reason);
    }

    /**
     * An e-value from its log, held to the largest double: arms without spread make a mean's e-value infinite, and
     * evidence is written as JSON, which has no infinity. NaN (too few samples) stays NaN.
     */
    private static double eValue(double logEValue) {
        return Math.min(Math.exp(logEValue), Double.MAX_VALUE);
    }

    private static String format(String pattern, Object... arguments) {
        return String.format(Locale.ROOT, pattern, arguments);
    }

    /** One metric's test. */
    private abstract class Guard {
        private final String name;
        final Direction direction;
        final double tolerance;

        Guard(String name, Direction direction, double tolerance) {
            this.name = name;
            this.direction = direction;
            this.tolerance = tolerance;
        }

        String name() {
            return name;
        }

        abstract MetricTrack start();

        /** Adds one interval's summaries to what the track has seen. */
        abstract MetricTrack add(MetricTrack track, Arms<?> arms);

        abstract double logEValue(MetricTrack track);

        abstract String describe(MetricTrack track);

        final boolean hasSamples(MetricTrack track) {
            return track.stable().samples() >= minSamples && track.canary().samples() >= minSamples;
        }

        /** @param logEValue the track's log e-value, NaN before both arms have the minimum samples */
        final Evidence evidence(MetricTrack track, double logEValue) {
            Summary stable = track.stable();
            Summary canary = track.canary();
            double eValue = eValue(logEValue);
            Outcome outcome;
            String reason;
            if (track.failedAt() >= 0) {
                outcome = Outcome.FAIL;
                reason = format("%s: canary worse than stable (%s): the e-value reached %.0f at interval %d, now %.3g",
                        name, describe(track), bound, track.failedAt(), eValue);
            } else if (!hasSamples(track)) {
                outcome = Outcome.INCONCLUSIVE;
                reason = format("%s: %d stable and %d canary samples so far, %d per arm needed",
                        name, stable.samples(), canary.samples(), minSamples);
            } else {
                outcome = Outcome.PASS;
                reason = format("%s: no regression (%s), e-value %.3g < %.0f", name, describe(track), eValue, bound);
            }
            return new Evidence(name, outcome, "e-value", eValue, bound, stable.samples(), canary.samples(),
                    stable.value(), canary.value(), reason);
        }

        final <S extends Summary> S require(Class<S> kind, Summary summary) {
            if (!kind.isInstance(summary)) {
                throw new IllegalArgumentException("metric " + name + " is judged on " + kind.getSimpleName()
                        + " but the interval has " + summary.getClass().getSimpleName());
            }
            return kind.cast(summary);
        }
    }

    private final class ProportionGuard extends Guard {
        private final OddsShiftMixture mixture;
        private final double nullRateRatio;

        ProportionGuard(String name, Direction direction, double tolerance) {
            super(name, direction, tolerance);
            boolean higherIsWorse = direction == Direction.HIGHER_IS_WORSE;
            this.mixture = OddsShiftMixture.oneSided(RATE_RATIO_SCALE, higherIsWorse);
            this.nullRateRatio = higherIsWorse ? 1 + tolerance : 1 - tolerance;
        }

        @Override
        MetricTrack start() {
            return new MetricTrack(name(), Counts.EMPTY, Counts.EMPTY, mixture.start(), -1);
        }

        @Override
        MetricTrack add(MetricTrack track, Arms<?> arms) {
            Counts stable = require(Counts.class, arms.stable());
            Counts canary = require(Counts.class, arms.canary());
            double[] logRatios = track.logLikelihoodRatios();
            long trials = stable.trials() + canary.trials();
            if (trials > 0) {
                double exposure = (double) canary.trials() / trials;
                double nullShare = nullRateRatio * exposure / (nullRateRatio * exposure + 1 - exposure);
                logRatios = mixture.update(logRatios, nullShare, canary.events(), stable.events() + canary.events());
            }
            return new MetricTrack(name(), ((Counts) track.stable()).plus(stable),
                    ((Counts) track.canary()).plus(canary), logRatios, track.failedAt());
        }

        @Override
        double logEValue(MetricTrack track) {
            return OddsShiftMixture.logEValue(track.logLikelihoodRatios());
        }

        @Override
        String describe(MetricTrack track) {
            return format("canary %.3f%% of %d, stable %.3f%% of %d", 100 * track.canary().value(),
                    track.canary().samples(), 100 * track.stable().value(), track.stable().samples());
        }
    }

    private final class MeanGuard extends Guard {

        MeanGuard(String name, Direction direction, double tolerance) {
            super(name, direction, tolerance);
        }

        @Override
        MetricTrack start() {
            return new MetricTrack(name(), Moments.EMPTY, Moments.EMPTY, new double[0], -1);
        }

        @Override
        MetricTrack add(MetricTrack track, Arms<?> arms) {
            Moments stable = require(Moments.class, arms.stable());
            Moments canary = require(Moments.class, arms.canary());
            return new MetricTrack(name(), ((Moments) track.stable()).plus(stable),
                    ((Moments) track.canary()).plus(canary), track.logLikelihoodRatios(), track.failedAt());
        }

        @Override
        double logEValue(MetricTrack track) {
            Moments stable = (Moments) track.stable();
            Moments canary = (Moments) track.canary();
            double difference = canary.mean() - stable.mean();
            if (direction == Direction.LOWER_IS_WORSE) {
                difference = -difference;
            }
            double variance = canary.variance() / canary.n() + stable.variance() / stable.n();
            double priorVariance = MEAN_SHIFT_SCALE * MEAN_SHIFT_SCALE * (canary.variance() + stable.variance()) / 2;
            if (priorVariance == 0) {
                return difference - tolerance > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            }
            return MeanShiftMixture.logEValue(difference - tolerance, variance, priorVariance);
        }

        @Override
        String describe(MetricTrack track) {
            return format("canary mean %.4g of %d, stable mean %.4g of %d", track.canary().value(),
                    track.canary().samples(), track.stable().value(), track.stable().samples());
        }
    }

    /**
     * The guardrail's memory: per metric what each arm has shown so far and its test's running likelihood ratios,
     * and the split's.
     *
     * @param intervals how many intervals have been seen
     * @param metrics one track per metric, in the order the guardrail was built
     * @param split the sample-ratio check's track
     */
    public record State(long intervals, List<MetricTrack> metrics, SplitTrack split) implements JudgeState {

        public State {
            metrics = List.copyOf(metrics);
            Objects.requireNonNull(split, "split");
        }
    }

    /**
     * One metric's running test.
     *
     * @param metric the metric's name
     * @param stable what the stable arm has shown so far ({@link Counts} or {@link Moments})
     * @param canary what the canary arm has shown so far
     * @param logLikelihoodRatios a proportion's running log likelihood ratio per alternative (empty for a mean, whose
     *     test is a function of the moments)
     * @param failedAt the interval at which the metric failed, or -1
     */
    public record MetricTrack(String metric, Summary stable, Summary canary, double[] logLikelihoodRatios, long failedAt) {

        public MetricTrack {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(stable, "stable");
            Objects.requireNonNull(canary, "canary");
            logLikelihoodRatios = logLikelihoodRatios.clone();
        }

        @Override
        public double[] logLikelihoodRatios() {
            return logLikelihoodRatios.clone();
        }

        MetricTrack withFailedAt(long interval) {
            return new MetricTrack(metric, stable, canary, logLikelihoodRatios, interval);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof MetricTrack track && metric.equals(track.metric) && stable.equals(track.stable)
                    && canary.equals(track.canary) && Arrays.equals(logLikelihoodRatios, track.logLikelihoodRatios)
                    && failedAt == track.failedAt;
        }

        @Override
        public int hashCode() {
            return Objects.hash(metric, stable, canary, Arrays.hashCode(logLikelihoodRatios), failedAt);
        }

        @Override
        public String toString() {
            return "MetricTrack[metric=" + metric + ", stable=" + stable + ", canary=" + canary + ", failedAt="
                    + failedAt + "]";
        }
    }

    /**
     * The sample-ratio check's running test.
     *
     * @param stableUnits units the stable arm has got so far
     * @param canaryUnits units the canary arm has got so far
     * @param canaryWeight the canary's requested weight in the last measured interval (NaN before any)
     * @param logLikelihoodRatios the running log likelihood ratio per alternative split
     * @param mismatchedAt the interval at which the split was found mismatched, or -1
     */
    public record SplitTrack(
            long stableUnits, long canaryUnits, double canaryWeight, double[] logLikelihoodRatios, long mismatchedAt) {

        public SplitTrack {
            logLikelihoodRatios = logLikelihoodRatios.clone();
        }

        @Override
        public double[] logLikelihoodRatios() {
            return logLikelihoodRatios.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SplitTrack track && stableUnits == track.stableUnits
                    && canaryUnits == track.canaryUnits && Double.compare(canaryWeight, track.canaryWeight) == 0
                    && Arrays.equals(logLikelihoodRatios, track.logLikelihoodRatios)
                    && mismatchedAt == track.mismatchedAt;
        }

        @Override
        public int hashCode() {
            return Objects.hash(stableUnits, canaryUnits, canaryWeight, Arrays.hashCode(logLikelihoodRatios),
                    mismatchedAt);
        }

        @Override
        public String toString() {
            return "SplitTrack[stableUnits=" + stableUnits + ", canaryUnits=" + canaryUnits + ", canaryWeight="
                    + canaryWeight + ", mismatchedAt=" + mismatchedAt + "]";
        }
    }

    private record MetricSpec(String name, boolean proportion, Direction direction, double tolerance) {}

    /**
     * Configures a guardrail. Every setting is checked at {@link #build()}, which reports all bad settings at once.
     */
    public static final class Builder {
        private double alpha = 0.01;
        private long minSamples = 100;
        private final List<MetricSpec> metrics = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        private Builder() {}

        /** The chance, at most, of ever failing a canary that is no worse than stable, over all looks and metrics. Default 0.01. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Samples each arm needs on a metric before it can pass or fail. Default 100. */
        public Builder minSamples(long minSamples) {
            this.minSamples = minSamples;
            return this;
        }

        /** A proportion where higher is worse (errors among requests), with no tolerance. */
        public Builder proportion(String name) {
            return proportion(name, Direction.HIGHER_IS_WORSE, 0);
        }

        /**
         * A proportion of {@link Counts}, judged on the rate ratio of canary to stable.
         *
         * @param tolerance how much worse the canary may be, relative to stable, before it counts as a regression:
         *     0.1 means a rate up to 10% higher (or, for {@link Direction#LOWER_IS_WORSE}, lower) is tolerated
         */
        public Builder proportion(String name, Direction direction, double tolerance) {
            if (accept(name, direction, tolerance)) {
                if (direction == Direction.LOWER_IS_WORSE && tolerance >= 1) {
                    errors.add("proportion " + name + ": tolerance must be below 1 when lower is worse, got " + tolerance);
                } else {
                    metrics.add(new MetricSpec(name, true, direction, tolerance));
                }
            }
            return this;
        }

        /** A mean where higher is worse (log-latency), with no tolerance. */
        public Builder mean(String name) {
            return mean(name, Direction.HIGHER_IS_WORSE, 0);
        }

        /**
         * A mean of {@link Moments}, judged on the difference of canary and stable means. For latency, pass the moments
         * of the log of each request's latency: the difference is then a log ratio, and {@code Math.log(1.05)} as
         * tolerance lets the canary be up to 5% slower.
         *
         * @param tolerance the difference, in the metric's unit, tolerated in the harmful direction
         */
        public Builder mean(String name, Direction direction, double tolerance) {
            if (accept(name, direction, tolerance)) {
                metrics.add(new MetricSpec(name, false, direction, tolerance));
            }
            return this;
        }

        private boolean accept(String name, Direction direction, double tolerance) {
            if (name == null || name.isBlank()) {
                errors.add("metric name must not be blank, got " + (name == null ? "null" : "'" + name + "'"));
                return false;
            }
            if (name.equals(SPLIT)) {
                errors.add("metric name 'split' is taken by the sample-ratio check");
                return false;
            }
            if (!names.add(name)) {
                errors.add("metric " + name + " is configured twice");
                return false;
            }
            if (direction == null) {
                errors.add("metric " + name + ": direction must not be null");
                return false;
            }
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                errors.add("metric " + name + ": tolerance must be finite and >= 0, got " + tolerance);
                return false;
            }
            return true;
        }

        /**
         * @throws IllegalArgumentException listing every bad setting
         */
        public SequentialGuardrail build() {
            List<String> all = new ArrayList<>(errors);
            if (!(alpha > 0 && alpha < 1)) {
                all.add("alpha must lie in (0, 1), got " + alpha);
            }
            if (minSamples < 2) {
                all.add("minSamples must be at least 2, got " + minSamples);
            }
            if (metrics.isEmpty() && errors.isEmpty()) {
                all.add("a guardrail needs at least one metric");
            }
            if (!all.isEmpty()) {
                throw new IllegalArgumentException("invalid sequential guardrail: " + String.join("; ", all));
            }
            return new SequentialGuardrail(this);
        }
    }
}
