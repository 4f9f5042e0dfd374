package dev.ramp.server.experiment;

import dev.ramp.analysis.Counts;
import dev.ramp.analysis.Moments;
import dev.ramp.analysis.experiment.BayesianGaussian;
import dev.ramp.analysis.experiment.ConfidenceSequence;
import dev.ramp.analysis.experiment.Lift;
import dev.ramp.analysis.experiment.Means;
import dev.ramp.analysis.experiment.PValues;
import dev.ramp.analysis.experiment.Posterior;
import dev.ramp.analysis.experiment.Proportions;
import dev.ramp.analysis.experiment.RatioMoments;
import dev.ramp.analysis.experiment.Ratios;
import dev.ramp.analysis.experiment.SampleRatio;
import dev.ramp.analysis.experiment.SampleRatioCheck;
import dev.ramp.analysis.experiment.SampleSize;
import dev.ramp.server.experiment.ExperimentResults.ArmResult;
import dev.ramp.server.experiment.ExperimentResults.Comparison;
import dev.ramp.server.experiment.ExperimentResults.MetricResult;
import dev.ramp.server.experiment.ExperimentResults.Recommendation;
import dev.ramp.server.experiment.ExperimentResults.SampleRatioResult;
import dev.ramp.server.model.ExperimentDefinition;
import dev.ramp.server.model.MetricDefinition;
import dev.ramp.server.model.MetricDefinition.Goal;
import dev.ramp.server.model.MetricDefinition.Kind;
import dev.ramp.server.store.ArmTotals;
import dev.ramp.server.store.StoredExperiment;
import dev.ramp.server.store.StoredExperiment.Arm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Turns an experiment's per-arm totals into its {@link ExperimentResults}: per metric and arm the mean and, against
 * the control, the lifts, p-values, posterior figures and a verdict; the sample-ratio check; the units the plan needs;
 * and a recommendation with its reason. Pure: no I/O, no clock.
 *
 * <p><b>Method.</b> Each metric kind maps to its test in {@code ramp-analysis}: {@code conversion} to the
 * two-proportion z test ({@link Proportions}), {@code sum} to Welch's t-test and the delta method ({@link Means}),
 * {@code average} to the delta method for a ratio of per-unit sums ({@link Ratios}). The classic p-value is the
 * absolute lift's, Holm-adjusted over the treatments of the metric ({@link PValues#holm}). The recommendation rests on
 * the relative lift's confidence sequence ({@link ConfidenceSequence}) at {@code alpha / treatments} (Bonferroni), so
 * it may be read at every look. Its mixing variance is fixed by the plan before any data: the variance of the relative
 * lift at which the minimum detectable effect {@code mde} is detected with the planned power,
 * {@code (mde / (z_{1-alpha/2} + z_power))^2}, is where the boundary is made tightest. Chance to win and expected
 * loss come from the flat-prior normal posterior of the relative lift ({@link BayesianGaussian}), taken towards the
 * metric's goal. Arms are checked against their start weights with Pearson's chi-square ({@link SampleRatio}).
 * The recommendation's rules, first match wins: shipped; too few units; sample-ratio mismatch; every treatment
 * worse on some metric; a treatment better on the primary metric and worse on no guardrail (ship the best); every
 * treatment worse or unable to reach the minimum detectable effect (futility); else keep running.
 *
 * <p><b>References.</b> R. Kohavi, D. Tang, Y. Xu (2020), Trustworthy Online Controlled Experiments, ch. 7
 * (guardrail metrics), 18 (the delta method) and 21 (sample-ratio mismatch); S. R. Howard, A. Ramdas, J. McAuliffe,
 * J. Sekhon (2021), "Time-uniform, nonparametric, nonasymptotic confidence sequences", Annals of Statistics 49;
 * S. Holm (1979), "A simple sequentially rejective multiple test procedure", Scandinavian Journal of Statistics 6.
 */
public final class Scorecard {

    /**
     * Units each arm needs before the recommendation reads any lift: below it the normal approximations behind every
     * interval are not yet trustworthy, and the figures are shown but not acted on.
     */
    public static final int MINIMUM_UNITS_PER_ARM = 100;

    /** The fewest units on an arm for a sample variance, and so for any comparison with it. */
    private static final int UNITS_FOR_A_VARIANCE = 2;

    /** Beyond this many units per arm the planned size is reported as undefined: no experiment gets there. */
    private static final double LARGEST_PLANNED_UNITS = 1e12;

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private static final String PRIMARY = "primary";
    private static final String GUARDRAIL = "guardrail";
    private static final String BETTER = "better";
    private static final String WORSE = "worse";
    private static final String INCONCLUSIVE = "inconclusive";
    private static final String SHIP = "ship";
    private static final String KEEP_RUNNING = "keep-running";
    private static final String STOP = "stop";

    private static final ExperimentResults.Lift UNDEFINED_LIFT = new ExperimentResults.Lift(null, null, null);
    private static final Comparison UNDEFINED_COMPARISON = new Comparison(UNDEFINED_LIFT, UNDEFINED_LIFT,
            UNDEFINED_LIFT, null, null, null, null, INCONCLUSIVE);

    private Scorecard() {}

    /**
     * The results of {@code experiment} from its per-arm totals.
     *
     * @param totalsByEvent      per metric event name, one {@link ArmTotals} per arm that has units; a missing arm
     *                           (or event) counts as no units
     * @param unitsInSeveralArms units exposed to more than one arm, passed through
     * @param now                when the results are computed
     * @throws IllegalArgumentException if the control is not one of the experiment's arms
     */
    public static ExperimentResults score(StoredExperiment experiment, Map<String, List<ArmTotals>> totalsByEvent,
                                          long unitsInSeveralArms, Instant now) {
        ExperimentDefinition definition = experiment.definition();
        String status = experiment.status().wireName();
        if (experiment.arms().isEmpty()) {
            return new ExperimentResults(definition.name(), definition.flag(), definition.environment(), status,
                    experiment.startedAt(), experiment.stoppedAt(), now, definition.alpha(), definition.alpha(),
                    definition.minimumDetectableEffect(), definition.power(), 0, unitsInSeveralArms, null,
                    new SampleRatioResult(Map.of(), Map.of(), null, null, false), List.of(),
                    new Recommendation(KEEP_RUNNING, "", "keep running: the experiment has not started"));
        }
        List<Arm> arms = controlFirst(experiment.arms(), definition.control());
        Plan plan = Plan.of(definition, arms.size() - 1);

        List<MetricResult> metrics = new ArrayList<>();
        metrics.add(scoreMetric(definition.primaryMetric(), PRIMARY, arms, totalsByEvent, plan));
        for (MetricDefinition guardrail : definition.guardrailMetrics()) {
            metrics.add(scoreMetric(guardrail, GUARDRAIL, arms, totalsByEvent, plan));
        }
        MetricResult primary = metrics.get(0);
        long units = primary.arms().stream().mapToLong(ArmResult::units).sum();
        SampleRatioResult sampleRatio = sampleRatio(arms, primary);
        ArmTotals primaryControl = totalsOf(arms, totalsByEvent.get(definition.primaryMetric().event())).get(0);
        Long plannedUnitsPerArm = plannedUnitsPerArm(definition.primaryMetric(), primaryControl, plan);

        Recommendation recommendation = recommend(experiment, metrics, sampleRatio, plannedUnitsPerArm, plan);
        return new ExperimentResults(definition.name(), definition.flag(), definition.environment(), status,
                experiment.startedAt(), experiment.stoppedAt(), now, plan.alpha(), plan.sequentialAlpha(),
                plan.minimumDetectableEffect(), plan.power(), units, unitsInSeveralArms, plannedUnitsPerArm,
                sampleRatio, metrics, recommendation);
    }

    /**
     * What the plan fixes before any data.
     *
     * @param sequentialAlpha the confidence sequences' level: alpha shared among the treatments
     * @param mixingVariance  the confidence sequences' mixing variance, tightest at the planned end
     */
    private record Plan(double alpha, double power, double minimumDetectableEffect, double sequentialAlpha,
                        double mixingVariance) {

        static Plan of(ExperimentDefinition definition, int treatments) {
            double alpha = definition.alpha();
            double power = definition.power();
            double mde = definition.minimumDetectableEffect();
            double sequentialAlpha = alpha / Math.max(1, treatments);
            double plannedStandardError = mde / zSum(alpha, power);
            return new Plan(alpha, power, mde, sequentialAlpha,
                    ConfidenceSequence.mixingVariance(plannedStandardError * plannedStandardError, sequentialAlpha));
        }

        /** {@code z_{1-alpha/2} + z_power}: how many standard errors the effect a test is sized for spans. */
        static double zSum(double alpha, double power) {
            return STANDARD_NORMAL.inverseSurvivalProbability(alpha / 2)
                    + STANDARD_NORMAL.inverseCumulativeProbability(power);
        }
    }

    private static List<Arm> controlFirst(List<Arm> arms, String control) {
        Arm controlArm = arms.stream().filter(arm -> arm.variant().equals(control)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("control '" + control + "' is not one of the arms "
                        + arms));
        List<Arm> ordered = new ArrayList<>();
        ordered.add(controlArm);
        arms.stream().filter(arm -> arm != controlArm).forEach(ordered::add);
        return ordered;
    }

    /** One {@link ArmTotals} per arm, in the arms' order; {@code totals} may be null or miss arms. */
    private static List<ArmTotals> totalsOf(List<Arm> arms, List<ArmTotals> totals) {
        Map<String, ArmTotals> byVariant = totals == null ? Map.of()
                : totals.stream().collect(Collectors.toMap(ArmTotals::variant, Function.identity()));
        return arms.stream()
                .map(arm -> byVariant.getOrDefault(arm.variant(), ArmTotals.empty(arm.variant())))
                .toList();
    }

    private static MetricResult scoreMetric(MetricDefinition metric, String role, List<Arm> arms,
                                            Map<String, List<ArmTotals>> totalsByEvent, Plan plan) {
        Kind kind = metric.parsedKind();
        Goal goal = metric.parsedGoal();
        List<ArmTotals> totals = totalsOf(arms, totalsByEvent.get(metric.event()));
        ArmTotals control = totals.get(0);

        int treatments = totals.size() - 1;
        Lift[] absolute = new Lift[treatments];
        Lift[] relative = new Lift[treatments];
        List<Double> definedPValues = new ArrayList<>();
        for (int i = 0; i < treatments; i++) {
            ArmTotals treatment = totals.get(i + 1);
            if (control.units() >= UNITS_FOR_A_VARIANCE && treatment.units() >= UNITS_FOR_A_VARIANCE) {
                absolute[i] = absoluteLift(kind, control, treatment, plan.alpha());
                relative[i] = relativeLift(kind, control, treatment, plan.alpha());
                if (!Double.isNaN(absolute[i].pValue())) {
                    definedPValues.add(absolute[i].pValue());
                }
            }
        }
        double[] adjusted = PValues.holm(definedPValues.stream().mapToDouble(Double::doubleValue).toArray());

        List<ArmResult> results = new ArrayList<>();
        results.add(new ArmResult(control.variant(), true, control.units(), mean(kind, control), null));
        int nextAdjusted = 0;
        for (int i = 0; i < treatments; i++) {
            ArmTotals treatment = totals.get(i + 1);
            Comparison comparison = UNDEFINED_COMPARISON;
            if (absolute[i] != null) {
                Double adjustedPValue = Double.isNaN(absolute[i].pValue()) ? null : adjusted[nextAdjusted++];
                comparison = compare(absolute[i], relative[i], adjustedPValue, goal, plan);
            }
            results.add(new ArmResult(treatment.variant(), false, treatment.units(), mean(kind, treatment),
                    comparison));
        }
        return new MetricResult(metric.event(), kind.wireName(), goal.wireName(), role, results);
    }

    private static Comparison compare(Lift absolute, Lift relative, Double adjustedPValue, Goal goal, Plan plan) {
        Double pValue = defined(absolute.pValue());
        // A standard error of 0 (no event on an arm yet) is the delta method breaking down, not certainty.
        if (!Double.isFinite(relative.estimate()) || !(relative.standardError() > 0 && Double.isFinite(relative.standardError()))) {
            return new Comparison(lift(absolute), lift(relative), UNDEFINED_LIFT, pValue, adjustedPValue, null, null,
                    INCONCLUSIVE);
        }
        Lift sequential = ConfidenceSequence.lift(relative.estimate(), relative.standardError(),
                plan.mixingVariance(), plan.sequentialAlpha());
        double towardsGoal = goal == Goal.INCREASE ? 1 : -1;
        Posterior posterior = BayesianGaussian.posterior(towardsGoal * relative.estimate(), relative.standardError());
        String verdict = INCONCLUSIVE;
        if (towardsGoal * sequential.lower() > 0 && towardsGoal * sequential.upper() > 0) {
            verdict = BETTER;
        } else if (towardsGoal * sequential.lower() < 0 && towardsGoal * sequential.upper() < 0) {
            verdict = WORSE;
        }
        return new Comparison(lift(absolute), lift(relative), lift(sequential), pValue, adjustedPValue,
                posterior.chanceToWin(), posterior.expectedLossOfShipping(), verdict);
    }

    private static Lift absoluteLift(Kind kind, ArmTotals control, ArmTotals treatment, double alpha) {
        return switch (kind) {
            case CONVERSION -> Proportions.absoluteLift(counts(control), counts(treatment), alpha);
            case SUM -> Means.absoluteLift(moments(control), moments(treatment), alpha);
            case AVERAGE -> Ratios.absoluteLift(ratioMoments(control), ratioMoments(treatment), alpha);
        };
    }

    private static Lift relativeLift(Kind kind, ArmTotals control, ArmTotals treatment, double alpha) {
        return switch (kind) {
            case CONVERSION -> Proportions.relativeLift(counts(control), counts(treatment), alpha);
            case SUM -> Means.relativeLift(moments(control), moments(treatment), alpha);
            case AVERAGE -> Ratios.relativeLift(ratioMoments(control), ratioMoments(treatment), alpha);
        };
    }

    private static Counts counts(ArmTotals totals) {
        return new Counts(totals.converted(), totals.units());
    }

    private static Moments moments(ArmTotals totals) {
        return new Moments(totals.units(), totals.sum(), totals.sumOfSquares());
    }

    private static RatioMoments ratioMoments(ArmTotals totals) {
        return new RatioMoments(totals.units(), totals.sum(), totals.events(), totals.sumOfSquares(),
                totals.eventsSquares(), totals.products());
    }

    private static Double mean(Kind kind, ArmTotals totals) {
        return switch (kind) {
            case CONVERSION -> totals.units() == 0 ? null : (double) totals.converted() / totals.units();
            case SUM -> totals.units() == 0 ? null : totals.sum() / totals.units();
            case AVERAGE -> totals.events() == 0 ? null : totals.sum() / totals.events();
        };
    }

    private static ExperimentResults.Lift lift(Lift lift) {
        return new ExperimentResults.Lift(defined(lift.estimate()), defined(lift.lower()), defined(lift.upper()));
    }

    private static Double defined(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static SampleRatioResult sampleRatio(List<Arm> arms, MetricResult primary) {
        Map<String, Double> expected = new LinkedHashMap<>();
        Map<String, Long> observed = new LinkedHashMap<>();
        long[] units = new long[arms.size()];
        double[] weights = new double[arms.size()];
        for (int i = 0; i < arms.size(); i++) {
            units[i] = primary.arms().get(i).units();
            weights[i] = arms.get(i).weight();
            expected.put(arms.get(i).variant(), weights[i]);
            observed.put(arms.get(i).variant(), units[i]);
        }
        if (arms.size() < 2 || Arrays.stream(units).sum() == 0) {
            return new SampleRatioResult(expected, observed, null, null, false);
        }
        SampleRatioCheck check = SampleRatio.check(units, weights);
        return new SampleRatioResult(expected, observed, check.statistic(), check.pValue(), check.mismatch());
    }

    /**
     * Units per arm to detect the minimum detectable effect (for a rate, in the goal's direction), from the control's
     * rate, or its mean and standard deviation (per unit for {@code sum}; the delta method's {@code sqrt(n Var(R))}
     * for {@code average}). Null when the control has too few units, a mean of 0, no variance, or the figure is undefined.
     */
    private static Long plannedUnitsPerArm(MetricDefinition metric, ArmTotals control, Plan plan) {
        if (control.units() < UNITS_FOR_A_VARIANCE) {
            return null;
        }
        double towardsGoal = metric.parsedGoal() == Goal.INCREASE ? 1 : -1;
        double mde = plan.minimumDetectableEffect();
        if (metric.parsedKind() == Kind.CONVERSION) {
            double rate = (double) control.converted() / control.units();
            double target = rate * (1 + towardsGoal * mde);
            if (!(rate > 0 && rate < 1 && target > 0 && target < 1)) {
                return null;
            }
            return SampleSize.perArmForProportions(rate, target - rate, plan.alpha(), plan.power());
        }
        double mean;
        double standardDeviation;
        if (metric.parsedKind() == Kind.SUM) {
            Moments moments = moments(control);
            mean = moments.mean();
            standardDeviation = Math.sqrt(moments.variance());
        } else {
            RatioMoments moments = ratioMoments(control);
            mean = moments.ratio();
            standardDeviation = Math.sqrt(moments.ratioVariance() * control.units());
        }
        double effect = mean * mde;
        if (!(Double.isFinite(effect) && effect != 0 && standardDeviation > 0 && Double.isFinite(standardDeviation))) {
            return null;
        }
        double z = Plan.zSum(plan.alpha(), plan.power());
        if (!(2 * z * z * standardDeviation * standardDeviation / (effect * effect) < LARGEST_PLANNED_UNITS)) {
            return null;
        }
        return SampleSize.perArmForMeans(standardDeviation, effect, plan.alpha(), plan.power());
    }

    private static Recommendation recommend(StoredExperiment experiment, List<MetricResult> metrics,
                                            SampleRatioResult sampleRatio, Long plannedUnitsPerArm, Plan plan) {
        if (experiment.status() == StoredExperiment.Status.SHIPPED) {
            return new Recommendation(SHIP, experiment.shippedVariant(),
                    "shipped " + experiment.shippedVariant() + " at " + experiment.stoppedAt());
        }
        MetricResult primary = metrics.get(0);
        List<ArmResult> arms = primary.arms();
        if (arms.stream().allMatch(arm -> arm.units() == 0)) {
            return notYet(experiment, "no unit has been exposed yet");
        }
        ArmResult smallest = arms.stream().min(Comparator.comparingLong(ArmResult::units)).orElseThrow();
        if (smallest.units() < MINIMUM_UNITS_PER_ARM) {
            return notYet(experiment, "arm " + smallest.variant() + " has " + count(smallest.units())
                    + " units, fewer than the " + MINIMUM_UNITS_PER_ARM + " each arm needs before its lifts are read");
        }
        if (sampleRatio.mismatch()) {
            return new Recommendation(STOP, "", "stop: sample ratio mismatch: the arms got " + shares(sampleRatio, arms)
                    + " of the units (p = " + String.format(Locale.ROOT, "%.2g", sampleRatio.pValue())
                    + "); the arms are not comparable: find the cause before trusting any lift");
        }

        List<ArmResult> treatments = arms.subList(1, arms.size());
        Map<String, String> worse = new LinkedHashMap<>();
        for (ArmResult treatment : treatments) {
            firstWorse(metrics, treatment.variant()).ifPresent(reason -> worse.put(treatment.variant(), reason));
        }
        if (!treatments.isEmpty() && worse.size() == treatments.size()) {
            return new Recommendation(STOP, "", "stop: every treatment made a metric worse: "
                    + String.join("; ", worse.values()));
        }

        double towardsGoal = primary.goal().equals(Goal.INCREASE.wireName()) ? 1 : -1;
        List<ArmResult> candidates = treatments.stream()
                .filter(treatment -> !worse.containsKey(treatment.variant()))
                .toList();
        Optional<ArmResult> best = candidates.stream()
                .filter(treatment -> treatment.comparison().verdict().equals(BETTER))
                .max(Comparator.comparingDouble(treatment -> towardsGoal
                        * treatment.comparison().relativeLift().estimate()));
        if (best.isPresent()) {
            ArmResult ship = best.get();
            String guardrails = metrics.size() > 1 ? " and no guardrail got worse" : "";
            return new Recommendation(SHIP, ship.variant(), "ship " + ship.variant() + ": "
                    + moved(primary, ship.comparison().relativeLift().estimate()) + " ("
                    + sequential(ship.comparison()) + ", which excludes 0 at every look)" + guardrails);
        }

        double mde = plan.minimumDetectableEffect();
        boolean noneCanReach = !candidates.isEmpty() && candidates.stream().allMatch(treatment -> {
            ExperimentResults.Lift interval = treatment.comparison().sequentialRelativeLift();
            return interval.lower() != null && (towardsGoal > 0 ? interval.upper() < mde : interval.lower() > -mde);
        });
        if (noneCanReach) {
            StringBuilder reason = new StringBuilder("stop: no treatment can reach the minimum detectable effect, "
                    + (towardsGoal > 0 ? "a rise" : "a fall") + " of " + percent(mde) + " in " + name(primary)
                    + ": the sequential intervals (");
            reason.append(candidates.stream()
                    .map(treatment -> treatment.variant() + ": " + interval(treatment.comparison()))
                    .collect(Collectors.joining("; ")));
            reason.append(") lie entirely short of it");
            worse.values().forEach(text -> reason.append("; ").append(text));
            return new Recommendation(STOP, "", reason.toString());
        }

        StringBuilder reason = new StringBuilder("the sequential intervals of " + name(primary) + " still include 0 (");
        reason.append(candidates.stream()
                .map(treatment -> treatment.variant() + ": " + interval(treatment.comparison()))
                .collect(Collectors.joining("; ")));
        reason.append("); units so far: ").append(arms.stream()
                .map(arm -> arm.variant() + " " + count(arm.units())).collect(Collectors.joining(", ")));
        if (plannedUnitsPerArm != null) {
            reason.append(", of ").append(count(plannedUnitsPerArm)).append(" planned per arm");
        }
        worse.values().forEach(text -> reason.append("; ").append(text));
        return notYet(experiment, reason.toString());
    }

    /**
     * Not enough evidence yet, because of {@code why}: keep running, or, for an experiment already stopped, ship
     * nothing.
     */
    private static Recommendation notYet(StoredExperiment experiment, String why) {
        return experiment.status() == StoredExperiment.Status.STOPPED
                ? new Recommendation(STOP, "", "stopped before the evidence was conclusive, so ship nothing: " + why)
                : new Recommendation(KEEP_RUNNING, "", "keep running: " + why);
    }

    /**
     * The first metric (primary first) on which {@code variant} is worse, as "variant: metric (role) rose ..."; empty
     * when it is worse on none.
     */
    private static Optional<String> firstWorse(List<MetricResult> metrics, String variant) {
        for (MetricResult metric : metrics) {
            for (ArmResult arm : metric.arms()) {
                if (arm.variant().equals(variant) && !arm.control() && arm.comparison().verdict().equals(WORSE)) {
                    return Optional.of(variant + ": " + metric.role() + " " + moved(metric,
                            arm.comparison().relativeLift().estimate()) + " (" + sequential(arm.comparison()) + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** How a metric reads in a sentence: "checkout conversion", "revenue per unit", "latency per event". */
    private static String name(MetricResult metric) {
        return switch (Kind.parse(metric.kind()).orElseThrow()) {
            case CONVERSION -> metric.event() + " conversion";
            case SUM -> metric.event() + " per unit";
            case AVERAGE -> metric.event() + " per event";
        };
    }

    private static String moved(MetricResult metric, double relativeLift) {
        return name(metric) + (relativeLift >= 0 ? " rose " : " fell ") + percent(Math.abs(relativeLift));
    }

    private static String sequential(Comparison comparison) {
        return "sequential interval " + interval(comparison);
    }

    private static String interval(Comparison comparison) {
        ExperimentResults.Lift lift = comparison.sequentialRelativeLift();
        if (lift.lower() == null) {
            return "not defined yet";
        }
        return percent(lift.lower()) + " to " + percent(lift.upper());
    }

    private static String shares(SampleRatioResult sampleRatio, List<ArmResult> arms) {
        double total = arms.stream().mapToLong(ArmResult::units).sum();
        return arms.stream()
                .map(arm -> arm.variant() + " " + percent(arm.units() / total) + " (expected "
                        + percent(sampleRatio.expected().get(arm.variant())) + ")")
                .collect(Collectors.joining(", "));
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    private static String count(long units) {
        return String.format(Locale.ROOT, "%,d", units);
    }
}
