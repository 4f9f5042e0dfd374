package dev.ramp.gateway;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's metrics, in the Prometheus text format at the admin port's {@code /metrics}. Per route and arm:
 * requests, answers by class, upstream errors, fallbacks, latency, the requested and the observed share. For the
 * gateway: open connections, requests refused before routing (by reason), ejections, mirrored requests and config
 * loads.
 */
final class GatewayMetrics {
    /** The latency histogram's bucket bounds, in seconds. */
    private static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final ConcurrentHashMap<String, ArmMetrics> arms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> ejections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> mirrored = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> configLoads = new ConcurrentHashMap<>();
    final AtomicInteger connections = new AtomicInteger();
    private volatile Collection<ArmMetrics> current = List.of();
    private volatile long configVersion;
    private final Upstreams upstreams;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    GatewayMetrics(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    ArmMetrics arm(String route, String arm) {
        return arms.computeIfAbsent(route + '\u0000' + arm, key -> new ArmMetrics(route, arm));
    }

    /** The table now served: only its arms are shown and reported. */
    void serving(RouteTable table) {
        var live = new ArrayList<ArmMetrics>();
        table.routes().forEach(route -> route.arms().forEach(arm -> live.add(arm.metrics)));
        Set<ArmMetrics> keep = Set.copyOf(live);
        arms.values().removeIf(metrics -> !keep.contains(metrics));
        current = List.copyOf(live);
        configVersion = table.version();
    }

    Collection<ArmMetrics> servedArms() {
        return current;
    }

    void refused(String reason) {
        count(refused, reason);
    }

    void ejected(Upstream upstream) {
        count(ejections, upstream.address());
    }

    void mirrored(String route) {
        count(mirrored, route);
    }

    void configLoaded(String result) {
        count(configLoads, result);
    }

    long refusedCount(String reason) {
        LongAdder adder = refused.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    void write(OutputStream out) throws IOException {
        var snapshots = new ArrayList<MetricSnapshot>();
        Collection<ArmMetrics> served = current;
        snapshots.add(armCounter("ramp_gateway_requests", "Requests sent to each arm of each route.", served, m -> m.requests.sum()));
        var responses = CounterSnapshot.builder().name("ramp_gateway_responses").help("Answers by status class.");
        for (ArmMetrics m : served) {
            long[] counts = {m.informational.sum(), m.success.sum(), m.redirection.sum(), m.clientErrors.sum(), m.serverErrors.sum()};
            for (int i = 0; i < counts.length; i++) {
                responses.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("route", m.route, "arm", m.arm, "class", (i + 1) + "xx")).value(counts[i]).build());
            }
        }
        snapshots.add(responses.build());
        snapshots.add(armCounter("ramp_gateway_upstream_errors", "Requests an arm's upstreams failed: refused or reset connections and timeouts.", served, m -> m.upstreamErrors.sum()));
        snapshots.add(armCounter("ramp_gateway_fallbacks", "Requests sent to the other arm because this arm had no healthy upstream.", served, m -> m.fallbacks.sum()));
        snapshots.add(armGauge("ramp_gateway_requested_percent", "The share of traffic the route asks for this arm.", served, ArmMetrics::requestedPercent));
        snapshots.add(observedShare(served));
        snapshots.add(latency(served));
        snapshots.add(GaugeSnapshot.builder().name("ramp_gateway_connections").help("Client connections open.")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(connections.get()).build()).build());
        snapshots.add(GaugeSnapshot.builder().name("ramp_gateway_config_version").help("Version of the routes being served.")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(configVersion).build()).build());
        snapshots.add(labelled("ramp_gateway_refused_requests", "Requests refused before routing, by reason.", "reason", refused));
        snapshots.add(labelled("ramp_gateway_ejections", "Passive ejections of upstreams.", "upstream", ejections));
        snapshots.add(labelled("ramp_gateway_mirrored_requests", "Requests shadowed to the candidate arm.", "route", mirrored));
        snapshots.add(labelled("ramp_gateway_config_loads", "Config loads, by result.", "result", configLoads));
        var healthy = GaugeSnapshot.builder().name("ramp_gateway_upstream_available").help("1 when the upstream takes requests, 0 when ejected or failing checks.");
        long now = System.nanoTime();
        for (Upstream upstream : upstreams.all()) {
            healthy.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("upstream", upstream.address()))
                    .value(upstream.available(now) ? 1 : 0).build());
        }
        snapshots.add(healthy.build());
        writer.write(out, new MetricSnapshots(snapshots), EscapingScheme.ALLOW_UTF8);
    }

    private static CounterSnapshot armCounter(String name, String help, Collection<ArmMetrics> served, Function<ArmMetrics, Long> value) {
        var builder = CounterSnapshot.builder().name(name).help(help);
        for (ArmMetrics m : served) {
            builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("route", m.route, "arm", m.arm))
                    .value(value.apply(m)).build());
        }
        return builder.build();
    }

    private static GaugeSnapshot armGauge(String name, String help, Collection<ArmMetrics> served, ToDoubleFunction<ArmMetrics> value) {
        var builder = GaugeSnapshot.builder().name(name).help(help);
        for (ArmMetrics m : served) {
            builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("route", m.route, "arm", m.arm))
                    .value(value.applyAsDouble(m)).build());
        }
        return builder.build();
    }

    private static GaugeSnapshot observedShare(Collection<ArmMetrics> served) {
        var totals = new java.util.HashMap<String, Long>();
        for (ArmMetrics m : served) {
            totals.merge(m.route, m.requestsAtCurrentWeight(), Long::sum);
        }
        return armGauge("ramp_gateway_observed_percent",
                "The share of the route's requests this arm took since the requested share last changed.", served, m -> {
                    long total = totals.get(m.route);
                    return total == 0 ? 0 : 100.0 * m.requestsAtCurrentWeight() / total;
                });
    }

    private static HistogramSnapshot latency(Collection<ArmMetrics> served) {
        var builder = HistogramSnapshot.builder().name("ramp_gateway_request_duration_seconds")
                .help("From a request's first byte to its answer's last, per arm; updated every second.");
        for (ArmMetrics m : served) {
            var histogram = m.cumulativeLatency();
            double[] bounds = new double[BOUNDS.length + 1];
            long[] counts = new long[BOUNDS.length + 1];
            long below = 0;
            for (int i = 0; i < BOUNDS.length; i++) {
                bounds[i] = BOUNDS[i];
                long upTo = histogram.getCountBetweenValues(0, (long) (BOUNDS[i] * 1e6));
                counts[i] = upTo - below;
                below = upTo;
            }
            bounds[BOUNDS.length] = Double.POSITIVE_INFINITY;
            counts[BOUNDS.length] = histogram.getTotalCount() - below;
            double sum = 0;
            for (var value : histogram.recordedValues()) {
                sum += histogram.medianEquivalentValue(value.getValueIteratedTo()) / 1e6 * value.getCountAtValueIteratedTo();
            }
            builder.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(Labels.of("route", m.route, "arm", m.arm))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(sum).build());
        }
        return builder.build();
    }

    private static CounterSnapshot labelled(String name, String help, String label, Map<String, LongAdder> counts) {
        var builder = CounterSnapshot.builder().name(name).help(help);
        counts.forEach((value, adder) -> builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, value)).value(adder.sum()).build()));
        return builder.build();
    }

    private static void count(Map<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
}
