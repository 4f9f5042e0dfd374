package dev.ramp.core.release;

import dev.ramp.core.route.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked release document turned into what the {@link ReleaseMachine} walks: one list of {@link Step}s for both
 * strategies, with every analysis resolved (templates looked up, defaults filled in).
 *
 * <ul>
 *   <li>A canary's steps are its own, or for each of {@code stepWeights} a {@code setWeight}, a pause of
 *       {@code interval} and a run of {@code stepAnalysis}; a {@code setWeight: 100} ends it when the last weight set
 *       is lower. A {@code confirm-promotion} hook gates that last weight.</li>
 *   <li>A blue/green release is: the pre-promotion analysis, a pause ({@code autoPromotion}, or until promoted), the
 *       {@code confirm-promotion} gate, the switch, the post-promotion analysis, and a pause of
 *       {@code keepPrevious}.</li>
 *   <li>A {@code confirm-rollout} hook gates the first step of either.</li>
 * </ul>
 */
public final class ReleasePlan {
    /** The interval of an analysis that does not give one. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_COUNT = 3;
    public static final int DEFAULT_FAILURE_LIMIT = 0;
    public static final int DEFAULT_INCONCLUSIVE_LIMIT = 6;
    public static final int DEFAULT_ERROR_LIMIT = 3;
    public static final int DEFAULT_NO_DATA_LIMIT = 6;
    public static final double DEFAULT_ALPHA = 0.01;
    public static final long DEFAULT_MIN_SAMPLES = 100;

    private final ReleaseDefinition definition;
    private final List<Step> steps;
    private final AnalysisPlan background;

    private ReleasePlan(ReleaseDefinition definition, List<Step> steps, AnalysisPlan background) {
        this.definition = definition;
        this.steps = List.copyOf(steps);
        this.background = background;
    }

    /** The plan of {@code definition}, which {@link ReleaseCheck} must have passed. */
    public static ReleasePlan of(ReleaseDefinition definition) {
        List<Step> steps = new ArrayList<>();
        if (!definition.hooks(ReleaseDefinition.Hook.CONFIRM_ROLLOUT).isEmpty()) {
            steps.add(new Step.Gate(ReleaseDefinition.Hook.CONFIRM_ROLLOUT));
        }
        boolean confirmPromotion = !definition.hooks(ReleaseDefinition.Hook.CONFIRM_PROMOTION).isEmpty();
        AnalysisPlan background = null;
        if (definition.isBlueGreen()) {
            ReleaseDefinition.BlueGreen blueGreen = definition.blueGreen();
            if (blueGreen.prePromotionAnalysis() != null) {
                steps.add(new Step.Analyze(analysis(definition, blueGreen.prePromotionAnalysis(), "pre-promotion", false)));
            }
            steps.add(blueGreen.autoPromotion().isEmpty() ? new Step.PauseUntilPromoted()
                    : new Step.Pause(Durations.parse(blueGreen.autoPromotion()).orElseThrow()));
            if (confirmPromotion) {
                steps.add(new Step.Gate(ReleaseDefinition.Hook.CONFIRM_PROMOTION));
            }
            steps.add(new Step.Switch());
            if (blueGreen.postPromotionAnalysis() != null) {
                steps.add(new Step.Analyze(analysis(definition, blueGreen.postPromotionAnalysis(), "post-promotion", false)));
            }
            Duration keep = blueGreen.keepPrevious().isEmpty() ? Duration.ZERO
                    : Durations.parse(blueGreen.keepPrevious()).orElseThrow();
            if (!keep.isZero()) {
                steps.add(new Step.Pause(keep));
            }
        } else {
            ReleaseDefinition.Canary canary = definition.canary();
            List<Step> own = new ArrayList<>();
            if (!canary.stepWeights().isEmpty()) {
                for (int weight : canary.stepWeights()) {
                    own.add(new Step.SetWeight(weight));
                    if (!canary.interval().isEmpty()) {
                        own.add(new Step.Pause(Durations.parse(canary.interval()).orElseThrow()));
                    }
                    if (canary.stepAnalysis() != null) {
                        own.add(new Step.Analyze(analysis(definition, canary.stepAnalysis(), "step-analysis", false)));
                    }
                }
            } else {
                for (int i = 0; i < canary.steps().size(); i++) {
                    own.add(step(definition, canary.steps().get(i), i));
                }
            }
            int lastWeight = own.stream().filter(Step.SetWeight.class::isInstance).map(Step.SetWeight.class::cast)
                    .reduce((first, second) -> second).map(Step.SetWeight::percent).orElse(0);
            boolean endsFull = lastWeight == 100;
            if (confirmPromotion) {
                int last = endsFull ? lastIndexOfWeight(own, 100) : own.size();
                own.add(last, new Step.Gate(ReleaseDefinition.Hook.CONFIRM_PROMOTION));
            }
            if (!endsFull) {
                own.add(new Step.SetWeight(100));
            }
            steps.addAll(own);
            if (canary.analysis() != null) {
                background = analysis(definition, canary.analysis(), "background", true);
            }
        }
        return new ReleasePlan(definition, steps, background);
    }

    public ReleaseDefinition definition() {
        return definition;
    }

    /** The steps in order; the release is promoted when the last has ended. */
    public List<Step> steps() {
        return steps;
    }

    /** The analysis that runs across all steps, while the new version has some but not all of the traffic. */
    public Optional<AnalysisPlan> background() {
        return Optional.ofNullable(background);
    }

    /** Whether the target is a route (else it is a flag). */
    public boolean movesRoute() {
        return definition.target().isRoute();
    }

    /**
     * One step of a plan.
     */
    public sealed interface Step {
        /** How the step reads on a timeline, such as {@code setWeight 25}. */
        String describe();

        /** Send {@code percent} of units to the new version. */
        record SetWeight(int percent) implements Step {
            @Override
            public String describe() {
                return "setWeight " + percent;
            }
        }

        /** Wait for {@code duration}. */
        record Pause(Duration duration) implements Step {
            public Pause {
                Objects.requireNonNull(duration, "duration");
            }

            @Override
            public String describe() {
                return "pause " + Durations.format(duration);
            }
        }

        /** Wait until promoted. */
        record PauseUntilPromoted() implements Step {
            @Override
            public String describe() {
                return "pause until promoted";
            }
        }

        /** Run an analysis to its end. */
        record Analyze(AnalysisPlan analysis) implements Step {
            public Analyze {
                Objects.requireNonNull(analysis, "analysis");
            }

            @Override
            public String describe() {
                return "analysis " + analysis.name();
            }
        }

        /** Wait until the hook {@code on} answers 2xx. */
        record Gate(String on) implements Step {
            public Gate {
                Objects.requireNonNull(on, "on");
            }

            @Override
            public String describe() {
                return "gate " + on;
            }
        }

        /** Blue/green: make the new version's arm the one that serves. */
        record Switch() implements Step {
            @Override
            public String describe() {
                return "switch";
            }
        }
    }

    /**
     * An analysis with its template resolved and its defaults filled in.
     *
     * @param name       the template's name, or where an inline analysis stands ({@code step-3}, {@code background})
     * @param background whether it runs across all steps (and so has no {@code count})
     */
    public record AnalysisPlan(String name, boolean background, Duration interval, int count, int failureLimit,
                               int inconclusiveLimit, int errorLimit, int noDataLimit, double alpha, long minSamples,
                               List<ReleaseDefinition.Metric> metrics) {
        public AnalysisPlan {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(interval, "interval");
            metrics = List.copyOf(metrics);
        }
    }

    private static Step step(ReleaseDefinition definition, ReleaseDefinition.Step step, int index) {
        if (step.setWeight() != null) {
            return new Step.SetWeight(step.setWeight());
        }
        if (step.pause() != null) {
            return step.pause().duration().isEmpty() ? new Step.PauseUntilPromoted()
                    : new Step.Pause(Durations.parse(step.pause().duration()).orElseThrow());
        }
        return new Step.Analyze(analysis(definition, step.analysis(), "step-" + (index + 1), false));
    }

    private static AnalysisPlan analysis(ReleaseDefinition definition, ReleaseDefinition.Analysis written, String place,
                                         boolean background) {
        ReleaseDefinition.Analysis analysis = written.isReference() ? definition.analyses().get(written.template()) : written;
        String name = written.isReference() ? written.template() : place;
        return new AnalysisPlan(name, background,
                analysis.interval().isEmpty() ? DEFAULT_INTERVAL : Durations.parse(analysis.interval()).orElseThrow(),
                background ? 0 : or(analysis.count(), DEFAULT_COUNT),
                or(analysis.failureLimit(), DEFAULT_FAILURE_LIMIT),
                or(analysis.inconclusiveLimit(), DEFAULT_INCONCLUSIVE_LIMIT),
                or(analysis.errorLimit(), DEFAULT_ERROR_LIMIT),
                or(analysis.noDataLimit(), DEFAULT_NO_DATA_LIMIT),
                analysis.alpha() == null ? DEFAULT_ALPHA : analysis.alpha(),
                analysis.minSamples() == null ? DEFAULT_MIN_SAMPLES : analysis.minSamples(),
                analysis.metrics());
    }

    private static int lastIndexOfWeight(List<Step> steps, int percent) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i) instanceof Step.SetWeight weight && weight.percent() == percent) {
                return i;
            }
        }
        return steps.size();
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
