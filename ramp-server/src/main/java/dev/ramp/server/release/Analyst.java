package dev.ramp.server.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.analysis.Arms;
import dev.ramp.analysis.Counts;
import dev.ramp.analysis.Direction;
import dev.ramp.analysis.Evidence;
import dev.ramp.analysis.Interval;
import dev.ramp.analysis.Look;
import dev.ramp.analysis.Moments;
import dev.ramp.analysis.SequentialGuardrail;
import dev.ramp.analysis.Split;
import dev.ramp.analysis.ThresholdJudge;
import dev.ramp.analysis.Verdict;
import dev.ramp.core.release.Due;
import dev.ramp.core.release.Measurement;
import dev.ramp.core.release.Measurement.MetricResult;
import dev.ramp.core.release.Measurement.Outcome;
import dev.ramp.core.release.ReleaseDefinition;
import dev.ramp.core.release.ReleaseDefinition.Metric;
import dev.ramp.core.release.ReleasePlan.AnalysisPlan;
import dev.ramp.core.release.ReleaseState;
import dev.ramp.core.route.Durations;
import dev.ramp.core.route.RouteDefinition;
import dev.ramp.core.route.TrafficSplit;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.Json;
import dev.ramp.server.route.GatewayReports;
import dev.ramp.server.route.RouteRegistry;
import dev.ramp.server.route.RouteTraffic;
import dev.ramp.server.state.CatalogState;
import dev.ramp.server.store.ArmTraffic;
import dev.ramp.server.store.ClientEvent;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.StoredFlag;
import dev.ramp.server.store.TrafficPoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Takes one measurement of an analysis: reads each metric's source over the interval, then judges.
 *
 * <ul>
 *   <li>Metrics judged {@code sequential} share one {@link SequentialGuardrail} per run (one α over all its looks and
 *       metrics), whose state the run keeps between measurements. For a per-request canary route the interval's
 *       split goes with it, so a sample-ratio mismatch makes the arms incomparable.</li>
 *   <li>Metrics judged {@code threshold} are judged on this interval alone by a {@link ThresholdJudge} (the analysis
 *       counts failed measurements against its {@code failureLimit}): gateway and event sums need
 *       {@code minSamples} canary samples, a single number needs one.</li>
 *   <li>A source that fails makes the measurement {@code ERROR}; one with nothing on the canary arm makes it
 *       {@code NO_DATA}. Neither is judged, and the judge's state is left as it was.</li>
 * </ul>
 *
 * Nothing here throws: every failure of a source becomes an {@code ERROR} measurement naming it.
 */
final class Analyst {
    /** The most metric events read for one metric and interval. */
    static final int MAX_EVENTS = 200_000;
    /** The most bytes read of an {@code http} metric's answer. */
    static final int MAX_BODY = 1 << 20;

    private final GatewayReports reports;
    private final RouteRegistry routes;
    private final FlagStore store;
    private final Supplier<CatalogState> catalog;
    private final HttpClient http;
    /** One client (and so one connection pool) per Prometheus server the releases name, made at its first query. */
    private final Map<String, PrometheusClient> prometheus = new java.util.concurrent.ConcurrentHashMap<>();

    Analyst(GatewayReports reports, RouteRegistry routes, FlagStore store, Supplier<CatalogState> catalog, HttpClient http) {
        this.reports = reports;
        this.routes = routes;
        this.store = store;
        this.catalog = catalog;
        this.http = http;
    }

    Measurement measure(ReleaseDefinition release, ReleaseState state, Due.Measure due) {
        AnalysisPlan analysis = due.analysis();
        Window window = new Window(release, state, due);
        Map<Metric, Reading> readings = new LinkedHashMap<>();
        for (Metric metric : analysis.metrics()) {
            readings.put(metric, read(window, metric));
        }
        List<MetricResult> held = new ArrayList<>();
        Outcome hold = null;
        for (Map.Entry<Metric, Reading> reading : readings.entrySet()) {
            if (reading.getValue() instanceof Reading.Failed failed) {
                held.add(result(reading.getKey().name(), Outcome.ERROR, failed.reason()));
                hold = Outcome.ERROR;
            } else if (reading.getValue() instanceof Reading.Missing missing) {
                held.add(result(reading.getKey().name(), Outcome.NO_DATA, missing.reason()));
                hold = hold == null ? Outcome.NO_DATA : hold;
            }
        }
        if (hold != null) {
            return new Measurement(due.since(), due.until(), hold, held.get(0).metric() + ": " + held.get(0).reason(),
                    held, due.judgeState());
        }
        return judge(analysis, window, readings, due);
    }

    private Measurement judge(AnalysisPlan analysis, Window window, Map<Metric, Reading> readings, Due.Measure due) {
        List<Verdict> verdicts = new ArrayList<>();
        String judgeState = due.judgeState();
        Map<String, Arms<?>> compared = new LinkedHashMap<>();
        Map<String, Arms<?>> summedLimits = new LinkedHashMap<>();
        Map<String, Arms<?>> scalarLimits = new LinkedHashMap<>();
        SequentialGuardrail.Builder sequential = SequentialGuardrail.builder().alpha(analysis.alpha())
                .minSamples(analysis.minSamples());
        ThresholdJudge.Builder summedJudge = ThresholdJudge.builder().minSamples(analysis.minSamples()).failureLimit(0);
        ThresholdJudge.Builder scalarJudge = ThresholdJudge.builder().minSamples(1).failureLimit(0);
        for (Map.Entry<Metric, Reading> entry : readings.entrySet()) {
            Metric metric = entry.getKey();
            Direction direction = Metric.LOWER_IS_WORSE.equals(metric.direction())
                    ? Direction.LOWER_IS_WORSE : Direction.HIGHER_IS_WORSE;
            if (Metric.SEQUENTIAL.equals(metric.judge())) {
                Arms<?> arms = ((Reading.Summed) entry.getValue()).arms();
                double tolerance = metric.tolerance() == null ? 0 : metric.tolerance();
                if (arms.stable() instanceof Counts) {
                    sequential.proportion(metric.name(), direction, tolerance);
                } else {
                    sequential.mean(metric.name(), direction, Math.log1p(tolerance));
                }
                compared.put(metric.name(), arms);
            } else {
                boolean summed = entry.getValue() instanceof Reading.Summed;
                ThresholdJudge.Builder judge = summed ? summedJudge : scalarJudge;
                boolean logLatency = Metric.GATEWAY.equals(metric.source()) && Metric.LATENCY.equals(metric.measure());
                if (metric.failAbove() != null) {
                    judge.failAbove(metric.name(), logLatency ? Math.log(metric.failAbove() / 1000) : metric.failAbove());
                }
                if (metric.failBelow() != null) {
                    judge.failBelow(metric.name(), logLatency ? Math.log(metric.failBelow() / 1000) : metric.failBelow());
                }
                if (summed) {
                    summedLimits.put(metric.name(), ((Reading.Summed) entry.getValue()).arms());
                } else {
                    double value = ((Reading.Scalar) entry.getValue()).canary();
                    scalarLimits.put(metric.name(), Arms.of(Moments.EMPTY, new Moments(1, value, value * value)));
                }
            }
        }
        if (!compared.isEmpty()) {
            SequentialGuardrail guardrail = sequential.build();
            Look look = guardrail.look(JudgeStates.read(judgeState, guardrail), Interval.of(compared, window.split()));
            judgeState = JudgeStates.write((SequentialGuardrail.State) look.state());
            verdicts.add(look.verdict());
        }
        if (!summedLimits.isEmpty()) {
            ThresholdJudge judge = summedJudge.build();
            verdicts.add(judge.look(judge.start(), Interval.of(summedLimits)).verdict());
        }
        if (!scalarLimits.isEmpty()) {
            ThresholdJudge judge = scalarJudge.build();
            verdicts.add(judge.look(judge.start(), Interval.of(scalarLimits)).verdict());
        }
        List<MetricResult> evidence = new ArrayList<>();
        verdicts.forEach(verdict -> verdict.evidence().forEach(item -> evidence.add(result(item))));
        Outcome outcome = verdicts.stream().anyMatch(verdict -> verdict.outcome() == dev.ramp.analysis.Outcome.FAIL)
                ? Outcome.FAIL
                : verdicts.stream().allMatch(verdict -> verdict.outcome() == dev.ramp.analysis.Outcome.PASS)
                        ? Outcome.PASS : Outcome.INCONCLUSIVE;
        String reason = verdicts.stream()
                .filter(verdict -> verdict.outcome().name().equals(outcome.name()))
                .map(Verdict::reason).findFirst().orElse("every metric passed");
        return new Measurement(due.since(), due.until(), outcome, reason, evidence, judgeState);
    }

    // ---- sources

    private Reading read(Window window, Metric metric) {
        try {
            return switch (metric.source()) {
                case Metric.GATEWAY -> gateway(window, metric);
                case Metric.EVENTS -> events(window, metric);
                case Metric.PROMETHEUS -> prometheus(window, metric);
                default -> http(window, metric);
            };
        } catch (RuntimeException e) {
            // A source's failure is held as an error, never thrown into the controller.
            return new Reading.Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Reading gateway(Window window, Metric metric) {
        RouteTraffic traffic = window.traffic();
        ArmTraffic stable = traffic.arm(window.state.stableArm());
        ArmTraffic canary = traffic.arm(window.state.canaryArm());
        if (Metric.REQUESTS.equals(metric.measure())) {
            return new Reading.Scalar(canary.requests());
        }
        if (canary.requests() == 0) {
            return new Reading.Missing("arm '" + window.state.canaryArm() + "' of route '" + window.release.target().route()
                    + "' served no requests in " + window.span());
        }
        return switch (metric.measure()) {
            case Metric.ERROR_RATE -> {
                if (Metric.SEQUENTIAL.equals(metric.judge()) && stable.requests() == 0) {
                    yield new Reading.Missing("arm '" + window.state.stableArm() + "' served no requests in "
                            + window.span() + ", so there is nothing to compare with");
                }
                yield new Reading.Summed(Arms.of(errors(stable), errors(canary)));
            }
            case Metric.LATENCY -> {
                if (Metric.SEQUENTIAL.equals(metric.judge()) && stable.latencyCount() == 0) {
                    yield new Reading.Missing("arm '" + window.state.stableArm() + "' answered nothing in "
                            + window.span() + ", so there is nothing to compare with");
                }
                yield new Reading.Summed(Arms.of(latency(stable), latency(canary)));
            }
            default -> new Reading.Scalar(canary.p99MillisAtMost());
        };
    }

    private static Counts errors(ArmTraffic arm) {
        return Counts.of(Math.min(arm.serverErrors(), arm.requests()), arm.requests());
    }

    private static Moments latency(ArmTraffic arm) {
        double n = arm.latencyCount();
        // Rounding can leave the sum of squares a hair below what the sum allows.
        double leastSquares = n == 0 ? 0 : arm.logLatencySum() * arm.logLatencySum() / n;
        return new Moments(arm.latencyCount(), arm.logLatencySum(), Math.max(arm.logLatencySumOfSquares(), leastSquares));
    }

    private Reading events(Window window, Metric metric) {
        ReleaseDefinition.Target target = window.release.target();
        Optional<StoredFlag> flag = catalog.get().flag(target.flag());
        if (flag.isEmpty()) {
            return new Reading.Failed("flag '" + target.flag() + "' does not exist");
        }
        FlagDefinition definition = flag.get().definition();
        Optional<String> problem = FlagRollout.problem(definition, target.environment());
        if (problem.isPresent()) {
            return new Reading.Failed(problem.get());
        }
        List<ClientEvent> events = store.metricEvents(target.environment(), metric.event(), window.due.since(),
                window.due.until(), MAX_EVENTS + 1);
        if (events.size() > MAX_EVENTS) {
            return new Reading.Failed("more than " + MAX_EVENTS + " '" + metric.event() + "' events in " + window.span()
                    + "; measure over a shorter interval");
        }
        TrafficSplit split = TrafficSplit.of(FlagRollout.group(definition, target.environment()), window.state.weight());
        Moments stable = Moments.EMPTY;
        Moments canary = Moments.EMPTY;
        for (ClientEvent event : events) {
            Moments one = new Moments(1, event.value(), event.value() * event.value());
            if (split.isCandidate(event.unit())) {
                canary = canary.plus(one);
            } else {
                stable = stable.plus(one);
            }
        }
        if (canary.n() == 0 || (Metric.SEQUENTIAL.equals(metric.judge()) && stable.n() == 0)) {
            return new Reading.Missing("no '" + metric.event() + "' events from units " + (canary.n() == 0
                    ? "in the rollout" : "outside the rollout") + " in " + window.span());
        }
        return new Reading.Summed(Arms.of(stable, canary));
    }

    private Reading prometheus(Window window, Metric metric) {
        String query = PrometheusClient.expand(metric.query(), window.placeholders());
        try {
            double value = prometheus.computeIfAbsent(metric.url(),
                            url -> new PrometheusClient(URI.create(url), Duration.ofSeconds(10)))
                    .query(query, window.due.until());
            return new Reading.Scalar(value);
        } catch (PrometheusClient.NoData e) {
            return new Reading.Missing(e.getMessage());
        } catch (PrometheusClient.QueryFailed e) {
            return new Reading.Failed(e.getMessage());
        }
    }

    private Reading http(Window window, Metric metric) {
        // Encoded for a URL, the values have nothing left that expand escapes for PromQL.
        Map<String, String> encoded = new LinkedHashMap<>();
        window.placeholders().forEach((name, value) ->
                encoded.put(name, java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
        String url = PrometheusClient.expand(metric.url(), encoded);
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            return new Reading.Failed("GET " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reading.Failed("GET " + url + " was interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            return new Reading.Failed("GET " + url + " answered HTTP " + response.statusCode());
        }
        if (response.body().length > MAX_BODY) {
            return new Reading.Failed("GET " + url + " answered more than " + MAX_BODY + " bytes");
        }
        JsonNode value;
        try {
            value = Json.mapper().readTree(response.body()).at(metric.path());
        } catch (java.io.IOException e) {
            return new Reading.Failed("GET " + url + " did not answer JSON: " + e.getMessage());
        }
        if (value.isMissingNode() || value.isNull()) {
            return new Reading.Missing("GET " + url + " holds no value at " + metric.path());
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            return new Reading.Failed("GET " + url + " holds " + abbreviate(value.toString()) + " at " + metric.path()
                    + ", not a finite number");
        }
        return new Reading.Scalar(value.asDouble());
    }

    /** The interval being measured, and what it needs from the release: the route's traffic, read once. */
    private final class Window {
        final ReleaseDefinition release;
        final ReleaseState state;
        final Due.Measure due;
        private RouteTraffic traffic;

        Window(ReleaseDefinition release, ReleaseState state, Due.Measure due) {
            this.release = release;
            this.state = state;
            this.due = due;
        }

        RouteTraffic traffic() {
            if (traffic == null) {
                traffic = reports.traffic(release.target().route(), List.of(state.stableArm(), state.canaryArm()),
                        due.since(), due.until());
            }
            return traffic;
        }

        /**
         * The split to check for a canary route that splits per request (under sticky assignment, request counts
         * are over-dispersed): the canary's share of requests against the weight the gateways reported, when it held
         * through the interval.
         */
        Split split() {
            if (!release.target().isRoute() || release.isBlueGreen()) {
                return Split.NOT_MEASURED;
            }
            Optional<RouteDefinition> route = routes.route(release.target().route()).map(stored -> stored.definition());
            if (route.isEmpty() || !RouteDefinition.Sticky.NONE.equals(route.get().sticky().by())) {
                return Split.NOT_MEASURED;
            }
            List<Integer> weights = traffic().points().stream()
                    .filter(point -> point.traffic().arm().equals(state.canaryArm()))
                    .map(TrafficPoint::requestedPercent).distinct().toList();
            if (weights.size() != 1 || weights.get(0) <= 0 || weights.get(0) >= 100) {
                return Split.NOT_MEASURED;
            }
            return Split.of(weights.get(0) / 100.0, traffic().arm(state.stableArm()).requests(),
                    traffic().arm(state.canaryArm()).requests());
        }

        Map<String, String> placeholders() {
            return Map.of("arm", state.canaryArm(), "stableArm", state.stableArm(),
                    "route", release.target().route(), "flag", release.target().flag(),
                    "interval", Durations.format(due.analysis().interval()));
        }

        String span() {
            return due.since() + " to " + due.until();
        }
    }

    private static MetricResult result(String metric, Outcome outcome, String reason) {
        return new MetricResult(metric, outcome, "none", Double.NaN, Double.NaN, 0, 0, Double.NaN, Double.NaN, reason);
    }

    private static MetricResult result(Evidence evidence) {
        return new MetricResult(evidence.metric(), Outcome.valueOf(evidence.outcome().name()), evidence.statistic(),
                evidence.value(), evidence.bound(), evidence.stableSamples(), evidence.canarySamples(),
                evidence.stableEstimate(), evidence.canaryEstimate(), evidence.reason());
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
