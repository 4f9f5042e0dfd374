package dev.ramp.core.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A release: the plan that moves a target's exposure to a new version in steps, watched by analyses, rolled back on
 * a failed one. This is the {@code kind: Release} document, YAML or JSON. Absent fields take the defaults named
 * here; {@link ReleaseCheck} says what is wrong with a document, and {@link ReleasePlan#of} may be called only on a
 * document it passed.
 *
 * @param name      the release's key, unique among releases
 * @param target    what the release moves: a route, or a flag's rollout in one environment
 * @param canary    the steps of a canary release; set this or {@code blueGreen}
 * @param blueGreen the phases of a blue/green release; set this or {@code canary}
 * @param analyses  named analyses that steps and phases refer to by name
 * @param hooks     webhooks called at the release's gates and events
 */
@JsonIgnoreProperties(value = {"kind"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public record ReleaseDefinition(
        String name,
        Target target,
        Canary canary,
        BlueGreen blueGreen,
        Map<String, Analysis> analyses,
        List<Hook> hooks) {

    public ReleaseDefinition {
        name = text(name);
        target = target == null ? new Target(null, null, null) : target;
        analyses = analyses == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(analyses));
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
    }

    /** The document's kind, written with it. */
    @com.fasterxml.jackson.annotation.JsonProperty
    public String kind() {
        return "Release";
    }

    /** Whether this is a blue/green release. */
    public boolean isBlueGreen() {
        return blueGreen != null;
    }

    /** The hooks called {@code on} that occasion, in the document's order. */
    public List<Hook> hooks(String on) {
        return hooks.stream().filter(hook -> hook.on().equals(on)).toList();
    }

    /** The same release under {@code newName}. */
    public ReleaseDefinition withName(String newName) {
        return new ReleaseDefinition(newName, target, canary, blueGreen, analyses, hooks);
    }

    /**
     * What a release moves: exactly one of a gateway route (its canary weight, or its active arm for a blue/green
     * route) and a flag's rollout percentage in one environment.
     *
     * @param route       the route's name
     * @param flag        the flag's key; its environment must hold exactly one {@code flexibleRollout} strategy, whose
     *                    {@code rollout} the release moves
     * @param environment the flag's environment
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public record Target(String route, String flag, String environment) {
        public Target {
            route = text(route);
            flag = text(flag);
            environment = text(environment);
        }

            public boolean isRoute() {
            return !route.isEmpty();
        }
    }

    /**
     * A canary release's steps: either {@code steps}, or the shorthand {@code stepWeights} with {@code interval}
     * and/or {@code stepAnalysis}, which means, for each weight: set it, pause for {@code interval}, run
     * {@code stepAnalysis}. A release that does not end at 100 gets a last {@code setWeight: 100}.
     *
     * @param steps        the steps in order
     * @param stepWeights  the shorthand's weights, growing, each 1 to 100
     * @param interval     the shorthand's pause after each weight, such as {@code 1m}
     * @param stepAnalysis the shorthand's analysis after each weight: the name of one of {@code analyses}
     * @param analysis     the background analysis, run from the first weight above 0 to the end; the name of one of
     *                     {@code analyses}, or inline
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Canary(List<Step> steps, List<Integer> stepWeights, String interval, Analysis stepAnalysis,
                         Analysis analysis) {
        public Canary {
            steps = steps == null ? List.of() : List.copyOf(steps);
            stepWeights = stepWeights == null ? List.of() : List.copyOf(stepWeights);
            interval = text(interval);
        }
    }

    /**
     * One canary step: exactly one of its fields.
     *
     * @param setWeight send this percent of units to the new version
     * @param pause     wait for a duration, or until promoted
     * @param analysis  run an analysis to its end: passed goes on, failed rolls back
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(Integer setWeight, Pause pause, Analysis analysis) {}

    /**
     * A pause: for {@code duration}, or until promoted when it is empty. Written {@code pause: 30s},
     * {@code pause: {duration: 30s}} or {@code pause: {}}.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Pause(String duration) {
        public Pause {
            duration = text(duration);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Pause of(String duration) {
            return new Pause(duration);
        }
    }

    /**
     * A blue/green release: the new version is reachable by preview while {@code prePromotionAnalysis} judges it;
     * it is promoted after {@code autoPromotion} (or when promoted by hand, when absent), by switching the route's
     * active arm; {@code postPromotionAnalysis} then watches it, and a failure switches back; the previous arm is
     * kept for {@code keepPrevious}, during which an abort switches back at once.
     *
     * @param prePromotionAnalysis  judges the new version on preview traffic
     * @param autoPromotion         how long after the preview (and its analysis) to switch; absent: wait for promote
     * @param postPromotionAnalysis watches the new version once it serves everything
     * @param keepPrevious          how long the previous arm stays ready for an instant switch back ({@code 0s}
     *                              when absent)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record BlueGreen(Analysis prePromotionAnalysis, String autoPromotion, Analysis postPromotionAnalysis,
                            String keepPrevious) {
        public BlueGreen {
            autoPromotion = text(autoPromotion);
            keepPrevious = text(keepPrevious);
        }
    }

    /**
     * An analysis: its metrics are measured every {@code interval}, each measurement judged; {@code count} passing
     * measurements end it successfully. Written inline, or as the name of one of the release's {@code analyses}.
     *
     * @param template          the name of one of the release's {@code analyses}; when set, no other field may be
     * @param interval          the time between measurements, each over the interval just ended ({@code 10s})
     * @param count             passing measurements that end the analysis (3); background analyses run to the end
     *                          and take none
     * @param failureLimit      failed measurements tolerated; one more rolls back (0)
     * @param inconclusiveLimit inconclusive measurements in a row tolerated (held); one more rolls back (6)
     * @param errorLimit        measurements in a row whose metric source failed, tolerated; one more rolls back (3)
     * @param noDataLimit       measurements in a row without data, tolerated; one more rolls back (6)
     * @param alpha             the sequential judge's chance of ever failing a healthy canary, over all its looks
     *                          and metrics (0.01)
     * @param minSamples        samples on each arm before the sequential judge passes or fails, and on the canary
     *                          before a threshold on a gateway or event metric is judged (100)
     * @param metrics           what is measured and how each is judged
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public record Analysis(String template, String interval, Integer count, Integer failureLimit,
                           Integer inconclusiveLimit, Integer errorLimit, Integer noDataLimit, Double alpha,
                           Long minSamples, List<Metric> metrics) {
        public Analysis {
            template = text(template);
            interval = text(interval);
            metrics = metrics == null ? List.of() : List.copyOf(metrics);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Analysis of(String template) {
            return new Analysis(template, null, null, null, null, null, null, null, null, null);
        }

        /** Whether this names a template instead of saying everything itself. */
            public boolean isReference() {
            return !template.isEmpty();
        }
    }

    /**
     * One metric of an analysis: where its values come from and how they are judged.
     *
     * <ul>
     *   <li>{@code source: gateway} (route targets): {@code measure} is {@code errorRate} (5xx among requests),
     *       {@code latency} (of each request, judged on its logarithm), {@code requests} or {@code p99} (an upper
     *       bound of the 99th percentile latency in milliseconds);</li>
     *   <li>{@code source: prometheus}: {@code query} is PromQL that returns one value, with {@code {{arm}}},
     *       {@code {{route}}} and {@code {{interval}}} placeholders, asked of the Prometheus at {@code url};</li>
     *   <li>{@code source: http}: a GET of {@code url} (with the same placeholders) whose JSON answer holds the
     *       value at the JSON pointer {@code path};</li>
     *   <li>{@code source: events} (flag targets): the values of the metric events named {@code event} that SDKs
     *       sent through {@code track}, each counted in the arm its unit is in.</li>
     * </ul>
     *
     * @param name      the metric's name, unique in its analysis
     * @param source    {@code gateway}, {@code prometheus}, {@code http} or {@code events}
     * @param measure   {@code gateway}: which measure
     * @param query     {@code prometheus}: the PromQL
     * @param url       {@code prometheus}: the server's base URL; {@code http}: the URL to GET
     * @param path      {@code http}: the JSON pointer to the value, such as {@code /data/errorRate}
     * @param event     {@code events}: the metric event's name
     * @param judge     {@code sequential} (canary against stable, anytime-valid; the default for gateway
     *                  {@code errorRate} and {@code latency} and for events) or {@code threshold} (the canary's
     *                  value in each measurement against fixed limits; the only judge of the other measures and
     *                  sources)
     * @param failAbove {@code threshold}: the canary fails when its value is above this
     * @param failBelow {@code threshold}: the canary fails when its value is below this
     * @param tolerance {@code sequential}: how much worse the canary may be, relative, before it counts as worse
     *                  ({@code 0.1} tolerates a 10% higher error rate or latency; 0 by default)
     * @param direction {@code higherIsWorse} (the default) or {@code lowerIsWorse}
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public record Metric(String name, String source, String measure, String query, String url, String path,
                         String event, String judge, Double failAbove, Double failBelow, Double tolerance,
                         String direction) {
        public static final String GATEWAY = "gateway";
        public static final String PROMETHEUS = "prometheus";
        public static final String HTTP = "http";
        public static final String EVENTS = "events";
        public static final String SEQUENTIAL = "sequential";
        public static final String THRESHOLD = "threshold";
        public static final String ERROR_RATE = "errorRate";
        public static final String LATENCY = "latency";
        public static final String REQUESTS = "requests";
        public static final String P99 = "p99";
        public static final String HIGHER_IS_WORSE = "higherIsWorse";
        public static final String LOWER_IS_WORSE = "lowerIsWorse";

        public Metric {
            name = text(name);
            source = text(source);
            measure = text(measure);
            query = text(query);
            url = text(url);
            path = text(path);
            event = text(event);
            judge = text(judge).isEmpty() ? defaultJudge(source, measure) : judge;
            direction = text(direction).isEmpty() ? HIGHER_IS_WORSE : direction;
        }

        /** Whether the sequential judge can compare this metric's arms: both arms' values are summed per arm. */
            public boolean comparable() {
            return comparable(source, measure);
        }

        private static boolean comparable(String source, String measure) {
            return (GATEWAY.equals(source) && (ERROR_RATE.equals(measure) || LATENCY.equals(measure)))
                    || EVENTS.equals(source);
        }

        private static String defaultJudge(String source, String measure) {
            return comparable(source, measure) ? SEQUENTIAL : THRESHOLD;
        }
    }

    /**
     * A webhook: a POST of a JSON body about the release to {@code url}.
     *
     * <ul>
     *   <li>{@code confirm-rollout} and {@code confirm-promotion} are gates: the release waits before its first step
     *       (before the promotion) until the hook answers 2xx, asking again every 10 seconds;</li>
     *   <li>{@code pre-step}, {@code post-promotion}, {@code rollback} and {@code event} (every timeline entry) are
     *       notifications: sent at least once, with a {@code Ramp-Delivery} id to drop repeats by.</li>
     * </ul>
     *
     * @param on      when it is called
     * @param url     where, {@code http} or {@code https}
     * @param timeout how long to wait for an answer ({@code 5s})
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public record Hook(String on, String url, String timeout) {
        public static final String CONFIRM_ROLLOUT = "confirm-rollout";
        public static final String PRE_STEP = "pre-step";
        public static final String CONFIRM_PROMOTION = "confirm-promotion";
        public static final String POST_PROMOTION = "post-promotion";
        public static final String ROLLBACK = "rollback";
        public static final String EVENT = "event";
        public static final List<String> KINDS = List.of(CONFIRM_ROLLOUT, PRE_STEP, CONFIRM_PROMOTION, POST_PROMOTION,
                ROLLBACK, EVENT);

        public Hook {
            on = text(on);
            url = text(url);
            timeout = text(timeout).isEmpty() ? "5s" : timeout;
        }

            public boolean isGate() {
            return CONFIRM_ROLLOUT.equals(on) || CONFIRM_PROMOTION.equals(on);
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
