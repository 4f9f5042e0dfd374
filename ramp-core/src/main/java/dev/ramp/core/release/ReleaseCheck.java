package dev.ramp.core.release;

import dev.ramp.core.route.Durations;
import dev.ramp.core.route.RouteCheck;
import dev.ramp.core.route.RouteCheck.Problem;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything wrong with a release document, field by field ({@code canary.steps[2].setWeight: must be ...}), all at
 * once. A document without problems can be planned ({@link ReleasePlan#of}).
 */
public final class ReleaseCheck {
    /** Steps in a canary's {@code steps} or {@code stepWeights}. */
    public static final int MAX_STEPS = 100;
    /** Metrics in one analysis. */
    public static final int MAX_METRICS = 20;
    /** Hooks in one release. */
    public static final int MAX_HOOKS = 20;
    /** Named analyses in one release. */
    public static final int MAX_ANALYSES = 50;
    /** Characters in a PromQL query, a URL or a JSON pointer. */
    public static final int MAX_TEXT = 4_000;
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);
    public static final Duration MAX_PAUSE = Duration.ofDays(7);
    public static final Duration MAX_HOOK_TIMEOUT = Duration.ofSeconds(60);
    public static final int MAX_COUNT = 1_000;
    public static final int MAX_LIMIT = 1_000;

    private static final Set<String> SOURCES = Set.of(ReleaseDefinition.Metric.GATEWAY,
            ReleaseDefinition.Metric.PROMETHEUS, ReleaseDefinition.Metric.HTTP, ReleaseDefinition.Metric.EVENTS);
    private static final Set<String> MEASURES = Set.of(ReleaseDefinition.Metric.ERROR_RATE,
            ReleaseDefinition.Metric.LATENCY, ReleaseDefinition.Metric.REQUESTS, ReleaseDefinition.Metric.P99);

    private final ReleaseDefinition release;
    private final List<Problem> problems = new ArrayList<>();

    private ReleaseCheck(ReleaseDefinition release) {
        this.release = release;
    }

    /** The problems of {@code release}; empty when it is good. */
    public static List<Problem> release(ReleaseDefinition release) {
        var check = new ReleaseCheck(release);
        check.check();
        return List.copyOf(check.problems);
    }

    private void check() {
        if (!RouteCheck.NAME.matcher(release.name()).matches()) {
            problem("name", "must be 1 to 100 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit, got "
                    + quoted(release.name()));
        }
        target(release.target());
        if ((release.canary() == null) == (release.blueGreen() == null)) {
            problem("canary", "give exactly one of canary (steps of growing weight) and blueGreen (one switch), got "
                    + (release.canary() == null ? "neither" : "both"));
        } else if (release.canary() != null) {
            canary(release.canary());
        } else {
            blueGreen(release.blueGreen());
        }
        if (release.analyses().size() > MAX_ANALYSES) {
            problem("analyses", "may hold at most " + MAX_ANALYSES + " analyses, got " + release.analyses().size());
        }
        for (Map.Entry<String, ReleaseDefinition.Analysis> named : release.analyses().entrySet()) {
            String field = "analyses." + named.getKey();
            if (!RouteCheck.NAME.matcher(named.getKey()).matches()) {
                problem(field, "an analysis's name must be 1 to 100 of a-z, 0-9, '.', '_' and '-'");
            }
            if (named.getValue() == null) {
                problem(field, "is empty: give its interval and metrics");
            } else if (named.getValue().isReference()) {
                problem(field + ".template", "a named analysis cannot refer to another; write its metrics here");
            } else {
                analysis(field, named.getValue(), false, false);
            }
        }
        hooks();
    }

    private void target(ReleaseDefinition.Target target) {
        boolean route = !target.route().isEmpty();
        boolean flag = !target.flag().isEmpty();
        if (route == flag) {
            problem("target", "give exactly one of target.route (a gateway route) and target.flag (a flag's rollout),"
                    + " got " + (route ? "both" : "neither"));
            return;
        }
        if (route) {
            name("target.route", target.route());
            if (!target.environment().isEmpty()) {
                problem("target.environment", "is for flag targets; a route has no environment");
            }
        } else {
            if (target.flag().length() > 100 || target.flag().chars().anyMatch(Character::isISOControl)) {
                problem("target.flag", "must be a flag's key, 1 to 100 characters, got " + quoted(target.flag()));
            }
            if (target.environment().isEmpty()) {
                problem("target.environment", "is required with target.flag: the environment whose rollout moves");
            }
        }
    }

    private void canary(ReleaseDefinition.Canary canary) {
        boolean steps = !canary.steps().isEmpty();
        boolean weights = !canary.stepWeights().isEmpty();
        if (steps == weights) {
            problem("canary.steps", "give exactly one of canary.steps and canary.stepWeights, got "
                    + (steps ? "both" : "neither"));
        }
        if (canary.steps().size() > MAX_STEPS || canary.stepWeights().size() > MAX_STEPS) {
            problem(steps ? "canary.steps" : "canary.stepWeights", "may hold at most " + MAX_STEPS + " steps");
            return;
        }
        if (weights) {
            int previous = 0;
            for (int i = 0; i < canary.stepWeights().size(); i++) {
                Integer weight = canary.stepWeights().get(i);
                String field = "canary.stepWeights[" + i + "]";
                if (weight == null || weight < 1 || weight > 100) {
                    problem(field, "must be a percent from 1 to 100, got " + weight);
                } else if (weight <= previous) {
                    problem(field, "must be above the weight before it (" + previous + "), got " + weight);
                } else {
                    previous = weight;
                }
            }
            if (canary.interval().isEmpty() && canary.stepAnalysis() == null) {
                problem("canary.interval", "stepWeights need an interval (how long each weight holds) or a"
                        + " stepAnalysis (what each weight must pass), or both");
            }
            if (!canary.interval().isEmpty()) {
                duration("canary.interval", canary.interval(), Duration.ZERO, MAX_PAUSE);
            }
            if (canary.stepAnalysis() != null) {
                analysis("canary.stepAnalysis", canary.stepAnalysis(), false, true);
            }
        } else {
            if (!canary.interval().isEmpty() || canary.stepAnalysis() != null) {
                problem(canary.interval().isEmpty() ? "canary.stepAnalysis" : "canary.interval",
                        "goes with stepWeights; with steps, write pause and analysis steps");
            }
            for (int i = 0; i < canary.steps().size(); i++) {
                step("canary.steps[" + i + "]", canary.steps().get(i));
            }
        }
        if (canary.analysis() != null) {
            analysis("canary.analysis", canary.analysis(), true, true);
        }
    }

    private void step(String field, ReleaseDefinition.Step step) {
        if (step == null) {
            problem(field, "is empty: give one of setWeight, pause and analysis");
            return;
        }
        int given = (step.setWeight() == null ? 0 : 1) + (step.pause() == null ? 0 : 1) + (step.analysis() == null ? 0 : 1);
        if (given != 1) {
            problem(field, "give exactly one of setWeight, pause and analysis, got " + (given == 0 ? "none" : given));
            return;
        }
        if (step.setWeight() != null && (step.setWeight() < 0 || step.setWeight() > 100)) {
            problem(field + ".setWeight", "must be a percent from 0 to 100, got " + step.setWeight());
        }
        if (step.pause() != null && !step.pause().duration().isEmpty()) {
            duration(field + ".pause", step.pause().duration(), Duration.ZERO, MAX_PAUSE);
        }
        if (step.analysis() != null) {
            analysis(field + ".analysis", step.analysis(), false, true);
        }
    }

    private void blueGreen(ReleaseDefinition.BlueGreen blueGreen) {
        if (!release.target().flag().isEmpty()) {
            problem("blueGreen", "moves a route's active arm; a flag moves by percentage: use canary");
        }
        if (!blueGreen.autoPromotion().isEmpty()) {
            duration("blueGreen.autoPromotion", blueGreen.autoPromotion(), Duration.ZERO, MAX_PAUSE);
        }
        if (!blueGreen.keepPrevious().isEmpty()) {
            duration("blueGreen.keepPrevious", blueGreen.keepPrevious(), Duration.ZERO, MAX_PAUSE);
        }
        if (blueGreen.prePromotionAnalysis() != null) {
            analysis("blueGreen.prePromotionAnalysis", blueGreen.prePromotionAnalysis(), false, true);
        }
        if (blueGreen.postPromotionAnalysis() != null) {
            ReleaseDefinition.Analysis post = analysis("blueGreen.postPromotionAnalysis",
                    blueGreen.postPromotionAnalysis(), false, true);
            if (post != null) {
                for (int i = 0; i < post.metrics().size(); i++) {
                    ReleaseDefinition.Metric metric = post.metrics().get(i);
                    if (metric != null && ReleaseDefinition.Metric.SEQUENTIAL.equals(metric.judge())) {
                        problem("blueGreen.postPromotionAnalysis.metrics[" + i + "].judge", "after the switch the"
                                + " previous arm serves nothing, so there is no stable arm to compare with: use"
                                + " judge: threshold");
                    }
                }
            }
        }
    }

    /**
     * Checks an analysis where it is used; a reference must name one of the release's analyses. Returns the analysis
     * it stands for (null when a reference names none).
     */
    private ReleaseDefinition.Analysis analysis(String field, ReleaseDefinition.Analysis analysis, boolean background,
                                                boolean used) {
        if (analysis.isReference()) {
            boolean others = analysis.interval().isEmpty() && analysis.count() == null && analysis.metrics().isEmpty()
                    && analysis.failureLimit() == null && analysis.inconclusiveLimit() == null
                    && analysis.errorLimit() == null && analysis.noDataLimit() == null && analysis.alpha() == null
                    && analysis.minSamples() == null;
            if (!others) {
                problem(field, "either names one of the release's analyses or says everything itself, not both");
            }
            ReleaseDefinition.Analysis named = release.analyses().get(analysis.template());
            if (named == null) {
                problem(field, "names analysis " + quoted(analysis.template()) + ", which the release's analyses do not"
                        + " hold" + (release.analyses().isEmpty() ? "" : " (they hold " + release.analyses().keySet() + ")"));
                return null;
            }
            if (background && named.count() != null) {
                problem(field, "a background analysis runs to the release's end, so analysis "
                        + quoted(analysis.template()) + " may not give a count");
            }
            if (used) {
                targetFits(field, named);
            }
            return named;
        }
        if (!analysis.interval().isEmpty()) {
            duration(field + ".interval", analysis.interval(), MIN_INTERVAL, MAX_INTERVAL);
        }
        if (analysis.count() != null) {
            if (background) {
                problem(field + ".count", "a background analysis runs to the release's end and takes no count");
            } else {
                between(field + ".count", analysis.count(), 1, MAX_COUNT);
            }
        }
        between(field + ".failureLimit", analysis.failureLimit(), 0, MAX_LIMIT);
        between(field + ".inconclusiveLimit", analysis.inconclusiveLimit(), 0, MAX_LIMIT);
        between(field + ".errorLimit", analysis.errorLimit(), 0, MAX_LIMIT);
        between(field + ".noDataLimit", analysis.noDataLimit(), 0, MAX_LIMIT);
        if (analysis.alpha() != null && !(analysis.alpha() > 0 && analysis.alpha() <= 0.5)) {
            problem(field + ".alpha", "must be above 0 and at most 0.5, got " + analysis.alpha());
        }
        if (analysis.minSamples() != null && (analysis.minSamples() < 1 || analysis.minSamples() > 1_000_000_000L)) {
            problem(field + ".minSamples", "must be from 1 to 1000000000, got " + analysis.minSamples());
        }
        if (analysis.metrics().isEmpty() || analysis.metrics().size() > MAX_METRICS) {
            problem(field + ".metrics", "must hold 1 to " + MAX_METRICS + " metrics, got " + analysis.metrics().size());
            return analysis;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < analysis.metrics().size(); i++) {
            String at = field + ".metrics[" + i + "]";
            ReleaseDefinition.Metric metric = analysis.metrics().get(i);
            if (metric == null) {
                problem(at, "is empty: give its name and source");
                continue;
            }
            if (!names.add(metric.name())) {
                problem(at + ".name", "is used twice in this analysis: " + quoted(metric.name()));
            }
            metric(at, metric);
        }
        if (used) {
            targetFits(field, analysis);
        }
        return analysis;
    }

    private void metric(String field, ReleaseDefinition.Metric metric) {
        name(field + ".name", metric.name());
        if (!SOURCES.contains(metric.source())) {
            problem(field + ".source", "must be one of gateway, prometheus, http and events, got " + quoted(metric.source()));
            return;
        }
        switch (metric.source()) {
            case ReleaseDefinition.Metric.GATEWAY -> {
                if (!MEASURES.contains(metric.measure())) {
                    problem(field + ".measure", "must be one of errorRate, latency, requests and p99, got "
                            + quoted(metric.measure()));
                }
            }
            case ReleaseDefinition.Metric.PROMETHEUS -> {
                text(field + ".query", metric.query(), "the PromQL, which must return one value");
                url(field + ".url", metric.url(), "the Prometheus server's base URL");
            }
            case ReleaseDefinition.Metric.HTTP -> {
                url(field + ".url", metric.url(), "the URL to GET");
                text(field + ".path", metric.path(), "the JSON pointer to the value, such as /data/value");
                if (!metric.path().isEmpty() && !metric.path().startsWith("/")) {
                    problem(field + ".path", "must be a JSON pointer, starting with '/', got " + quoted(metric.path()));
                }
            }
            default -> text(field + ".event", metric.event(), "the metric event's name, as SDKs track it");
        }
        String[] unused = switch (metric.source()) {
            case ReleaseDefinition.Metric.GATEWAY -> new String[] {"query", metric.query(), "url", metric.url(), "path",
                    metric.path(), "event", metric.event()};
            case ReleaseDefinition.Metric.PROMETHEUS -> new String[] {"measure", metric.measure(), "path", metric.path(),
                    "event", metric.event()};
            case ReleaseDefinition.Metric.HTTP -> new String[] {"measure", metric.measure(), "query", metric.query(),
                    "event", metric.event()};
            default -> new String[] {"measure", metric.measure(), "query", metric.query(), "url", metric.url(), "path",
                    metric.path()};
        };
        for (int i = 0; i < unused.length; i += 2) {
            if (!unused[i + 1].isEmpty()) {
                problem(field + "." + unused[i], "is not used by source " + metric.source());
            }
        }
        switch (metric.judge()) {
            case ReleaseDefinition.Metric.SEQUENTIAL -> {
                if (!metric.comparable()) {
                    problem(field + ".judge", "sequential compares sums per arm (gateway errorRate and latency, events);"
                            + " judge this metric with threshold");
                }
                if (metric.failAbove() != null || metric.failBelow() != null) {
                    problem(field + (metric.failAbove() != null ? ".failAbove" : ".failBelow"),
                            "goes with judge: threshold; the sequential judge compares the canary with stable");
                }
                if (metric.tolerance() != null && !(metric.tolerance() >= 0 && metric.tolerance() <= 10)) {
                    problem(field + ".tolerance", "must be from 0 to 10 (relative: 0.1 is 10% worse), got "
                            + metric.tolerance());
                }
            }
            case ReleaseDefinition.Metric.THRESHOLD -> {
                if (metric.failAbove() == null && metric.failBelow() == null) {
                    problem(field + ".failAbove", "judge: threshold needs failAbove or failBelow, or both");
                }
                finite(field + ".failAbove", metric.failAbove());
                finite(field + ".failBelow", metric.failBelow());
                if (metric.failAbove() != null && metric.failBelow() != null && metric.failBelow() >= metric.failAbove()) {
                    problem(field + ".failBelow", "must be below failAbove (" + metric.failAbove() + "), got "
                            + metric.failBelow());
                }
                if (metric.tolerance() != null) {
                    problem(field + ".tolerance", "goes with judge: sequential");
                }
            }
            default -> problem(field + ".judge", "must be sequential or threshold, got " + quoted(metric.judge()));
        }
        if (!ReleaseDefinition.Metric.HIGHER_IS_WORSE.equals(metric.direction())
                && !ReleaseDefinition.Metric.LOWER_IS_WORSE.equals(metric.direction())) {
            problem(field + ".direction", "must be higherIsWorse or lowerIsWorse, got " + quoted(metric.direction()));
        }
    }

    /** Gateway metrics need a route target, event metrics a flag target. */
    private void targetFits(String field, ReleaseDefinition.Analysis analysis) {
        boolean route = release.target().isRoute();
        boolean flag = !release.target().flag().isEmpty();
        for (int i = 0; i < analysis.metrics().size(); i++) {
            ReleaseDefinition.Metric metric = analysis.metrics().get(i);
            if (metric == null) {
                continue;
            }
            if (flag && ReleaseDefinition.Metric.GATEWAY.equals(metric.source())) {
                problem(field + ".metrics[" + i + "].source", "gateway metrics measure a route's arms; this release"
                        + " moves a flag: use events, prometheus or http");
            }
            if (route && ReleaseDefinition.Metric.EVENTS.equals(metric.source())) {
                problem(field + ".metrics[" + i + "].source", "events are counted by a flag's arms; this release"
                        + " moves a route: use gateway, prometheus or http");
            }
        }
    }

    private void hooks() {
        if (release.hooks().size() > MAX_HOOKS) {
            problem("hooks", "may hold at most " + MAX_HOOKS + " hooks, got " + release.hooks().size());
            return;
        }
        Set<String> gates = new HashSet<>();
        for (int i = 0; i < release.hooks().size(); i++) {
            String field = "hooks[" + i + "]";
            ReleaseDefinition.Hook hook = release.hooks().get(i);
            if (hook == null) {
                problem(field, "is empty: give on and url");
                continue;
            }
            if (!ReleaseDefinition.Hook.KINDS.contains(hook.on())) {
                problem(field + ".on", "must be one of " + String.join(", ", ReleaseDefinition.Hook.KINDS) + ", got "
                        + quoted(hook.on()));
            } else if (hook.isGate() && !gates.add(hook.on())) {
                problem(field + ".on", "a release has at most one " + hook.on() + " gate");
            }
            url(field + ".url", hook.url(), "where the hook is POSTed");
            duration(field + ".timeout", hook.timeout(), Duration.ofMillis(100), MAX_HOOK_TIMEOUT);
        }
    }

    private void duration(String field, String text, Duration least, Duration most) {
        var parsed = Durations.parse(text);
        if (parsed.isEmpty()) {
            problem(field, "must be a whole number and a unit (ms, s, m or h), such as 30s, got " + quoted(text));
        } else if (parsed.get().compareTo(least) < 0 || parsed.get().compareTo(most) > 0) {
            problem(field, "must be from " + Durations.format(least) + " to " + Durations.format(most) + ", got " + text);
        }
    }

    private void between(String field, Integer value, int least, int most) {
        if (value != null && (value < least || value > most)) {
            problem(field, "must be from " + least + " to " + most + ", got " + value);
        }
    }

    private void finite(String field, Double value) {
        if (value != null && !Double.isFinite(value)) {
            problem(field, "must be a finite number, got " + value);
        }
    }

    private void text(String field, String text, String what) {
        if (text.isEmpty()) {
            problem(field, "is required: " + what);
        } else if (text.length() > MAX_TEXT) {
            problem(field, "may be at most " + MAX_TEXT + " characters, got " + text.length());
        }
    }

    private void url(String field, String text, String what) {
        text(field, text, what);
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            return;
        }
        try {
            URI uri = new URI(text.replace("{{", "").replace("}}", ""));
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problem(field, "must be an absolute http or https URL, got " + quoted(text));
            }
        } catch (java.net.URISyntaxException e) {
            problem(field, "must be an absolute http or https URL, got " + quoted(text) + ": " + e.getReason());
        }
    }

    private void name(String field, String name) {
        if (!RouteCheck.NAME.matcher(name).matches()) {
            problem(field, "must be 1 to 100 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit, got "
                    + quoted(name));
        }
    }

    private void problem(String field, String reason) {
        problems.add(new Problem(field, reason));
    }

    private static String quoted(String text) {
        return text.isEmpty() ? "nothing" : "'" + (text.length() <= 80 ? text : text.substring(0, 77) + "...") + "'";
    }
}
