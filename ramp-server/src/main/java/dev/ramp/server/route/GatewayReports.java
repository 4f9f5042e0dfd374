package dev.ramp.server.route;

import dev.ramp.core.route.ArmReport;
import dev.ramp.core.route.GatewayReport;
import dev.ramp.core.route.RouteCheck;
import dev.ramp.server.model.FieldError;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.ArmTraffic;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.GatewaySeen;
import dev.ramp.server.store.StoreException;
import dev.ramp.server.store.TrafficPoint;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The traffic reports gateways post every second: checked and bounded ({@link #add}), stored a row per arm, pruned
 * once past the retention, and read back per route over a window ({@link #traffic}), which is what the release
 * controller calls in-process.
 *
 * <p>Pruning is bounded work on the reporting path: at most once per second of the server's clock, the report that
 * arrives first deletes up to {@link #PRUNE_BATCH} of the oldest rows past the retention, so a backlog (after a long
 * stop, say) drains over the next seconds instead of in one request.
 */
public final class GatewayReports {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayReports.class);
    /** How long reports are kept by default. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    /** Arm reports in one gateway report. */
    public static final int MAX_ARMS = 1_000;
    /** The longest interval one report may cover. */
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(60);
    /** How far after the server's clock a report's interval may end: gateways' clocks drift a little. */
    public static final Duration MAX_CLOCK_AHEAD = Duration.ofMinutes(5);
    /** The largest count an arm report may carry. */
    public static final long MAX_COUNT = 1_000_000_000_000L;
    /** The largest magnitude of an arm report's sums and latencies. */
    public static final double MAX_VALUE = 1e15;
    /** Characters in a gateway's id. */
    public static final int MAX_GATEWAY_ID = 256;
    /** Field errors one refused report lists; checking stops once it has found this many. */
    public static final int MAX_ERRORS = 100;
    /** The longest window {@link #traffic} reads: 3,600 points per arm. */
    public static final Duration MAX_WINDOW = Duration.ofHours(1);
    /** A gateway is listed while its last report is at most this old. */
    public static final Duration SEEN_WITHIN = Duration.ofMinutes(5);
    /** The most report rows one prune deletes. */
    public static final int PRUNE_BATCH = 10_000;

    private final FlagStore store;
    private final InstantSource clock;
    private final Duration retention;
    /** The second of the server's clock in which reports were last pruned. */
    private final AtomicLong prunedInSecond = new AtomicLong(Long.MIN_VALUE);

    public GatewayReports(FlagStore store, InstantSource clock, Duration retention) {
        if (retention.compareTo(MAX_INTERVAL) < 0) {
            throw new IllegalArgumentException("the report retention must be at least " + MAX_INTERVAL + ", got " + retention);
        }
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    /** How long reports are kept. */
    public Duration retention() {
        return retention;
    }

    /** Checks and stores a report; a report with problems is refused whole ({@link Rejection}), naming each field. */
    public void add(GatewayReport report) {
        Instant now = clock.instant();
        List<FieldError> errors = problems(report, now);
        if (!errors.isEmpty()) {
            throw Rejection.invalid(errors);
        }
        store.addReport(report, now);
        long second = now.getEpochSecond();
        long last = prunedInSecond.get();
        if (second > last && prunedInSecond.compareAndSet(last, second)) {
            try {
                store.pruneReports(now.minus(retention), PRUNE_BATCH);
            } catch (StoreException e) {
                // The report is stored; the rows stay for the next second's prune.
                LOG.warn("pruning gateway reports failed; will retry: {}", e.getMessage());
            }
        }
    }

    /**
     * {@code route}'s traffic from {@code since} (inclusive) to {@code until} (exclusive), at most
     * {@link #MAX_WINDOW}, with {@code arms} (the route's, in its order) first among the totals.
     */
    public RouteTraffic traffic(String route, List<String> arms, Instant since, Instant until) {
        if (!since.isBefore(until)) {
            throw Rejection.invalid("since", "must be before until (" + until + "), got " + since);
        }
        if (Duration.between(since, until).compareTo(MAX_WINDOW) > 0) {
            throw Rejection.invalid("since", "the window from since to until may be at most " + MAX_WINDOW.toMinutes()
                    + " minutes (" + MAX_WINDOW.toSeconds() + " points per arm), got " + Duration.between(since, until));
        }
        List<TrafficPoint> points = store.traffic(route, since, until);
        Map<String, ArmTraffic> totals = new LinkedHashMap<>();
        arms.forEach(arm -> totals.put(arm, ArmTraffic.none(arm)));
        Map<String, ArmTraffic> others = new java.util.TreeMap<>();
        for (TrafficPoint point : points) {
            String arm = point.traffic().arm();
            (totals.containsKey(arm) ? totals : others).merge(arm, point.traffic(), ArmTraffic::plus);
        }
        totals.putAll(others);
        return new RouteTraffic(route, since, until, List.copyOf(totals.values()), points);
    }

    /** The gateways that reported in the last {@link #SEEN_WITHIN}. */
    public List<GatewaySeen> gateways() {
        return store.gateways(clock.instant().minus(SEEN_WITHIN));
    }

    /** Everything wrong with {@code report}, received at {@code now}; at most {@link #MAX_ERRORS}. */
    List<FieldError> problems(GatewayReport report, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        String gateway = report.gateway();
        if (gateway.isEmpty() || gateway.length() > MAX_GATEWAY_ID || gateway.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("gateway", "is required: the gateway's id, 1 to " + MAX_GATEWAY_ID
                    + " characters, none a control character"));
        }
        if (report.from() == null) {
            errors.add(new FieldError("from", "is required: the interval's start, an ISO-8601 instant"));
        } else if (report.from().isBefore(now.minus(retention))) {
            errors.add(new FieldError("from", "is more than the retention (" + retention + ") before the server's clock ("
                    + now + "): the report would be pruned at once; got " + report.from()));
        }
        if (report.to() == null) {
            errors.add(new FieldError("to", "is required: the interval's end, an ISO-8601 instant"));
        } else if (report.to().isAfter(now.plus(MAX_CLOCK_AHEAD))) {
            errors.add(new FieldError("to", "is more than " + MAX_CLOCK_AHEAD.toMinutes()
                    + " minutes after the server's clock (" + now + "): is the gateway's clock right? got " + report.to()));
        }
        if (report.from() != null && report.to() != null) {
            if (!report.to().isAfter(report.from())) {
                errors.add(new FieldError("to", "must be after from (" + report.from() + "), got " + report.to()));
            } else if (Duration.between(report.from(), report.to()).compareTo(MAX_INTERVAL) > 0) {
                errors.add(new FieldError("to", "an interval may last at most " + MAX_INTERVAL.toSeconds()
                        + " seconds, got " + Duration.between(report.from(), report.to())));
            }
        }
        if (report.arms().size() > MAX_ARMS) {
            errors.add(new FieldError("arms", "may hold at most " + MAX_ARMS + " arm reports, got " + report.arms().size()));
            return errors;
        }
        Map<List<String>, Integer> seen = new HashMap<>();
        for (int i = 0; i < report.arms().size() && errors.size() < MAX_ERRORS; i++) {
            String at = "arms[" + i + "]";
            ArmReport arm = report.arms().get(i);
            name(errors, at + ".route", arm.route());
            name(errors, at + ".arm", arm.arm());
            Integer same = seen.putIfAbsent(List.of(String.valueOf(arm.route()), String.valueOf(arm.arm())), i);
            if (same != null) {
                errors.add(new FieldError(at, "reports route '" + arm.route() + "' arm '" + arm.arm()
                        + "' again, as arms[" + same + "] did; send one report per arm"));
            }
            if (arm.requestedPercent() < 0 || arm.requestedPercent() > 100) {
                errors.add(new FieldError(at + ".requestedPercent", "must be a percent from 0 to 100, got "
                        + arm.requestedPercent()));
            }
            count(errors, at + ".requests", arm.requests());
            count(errors, at + ".informational", arm.informational());
            count(errors, at + ".success", arm.success());
            count(errors, at + ".redirection", arm.redirection());
            count(errors, at + ".clientErrors", arm.clientErrors());
            count(errors, at + ".serverErrors", arm.serverErrors());
            count(errors, at + ".upstreamErrors", arm.upstreamErrors());
            count(errors, at + ".latencyCount", arm.latencyCount());
            value(errors, at + ".logLatencySum", arm.logLatencySum(), -MAX_VALUE);
            value(errors, at + ".logLatencySumOfSquares", arm.logLatencySumOfSquares(), 0);
            value(errors, at + ".p50Millis", arm.p50Millis(), 0);
            value(errors, at + ".p90Millis", arm.p90Millis(), 0);
            value(errors, at + ".p99Millis", arm.p99Millis(), 0);
            value(errors, at + ".maxMillis", arm.maxMillis(), 0);
        }
        return errors.subList(0, Math.min(errors.size(), MAX_ERRORS));
    }

    private static void name(List<FieldError> errors, String field, String name) {
        if (name == null || !RouteCheck.NAME.matcher(name).matches()) {
            errors.add(new FieldError(field, "must be 1 to 100 of a-z, 0-9, '.', '_' and '-', starting with a letter"
                    + " or digit, got " + (name == null ? "nothing" : "'" + abbreviate(name) + "'")));
        }
    }

    private static void count(List<FieldError> errors, String field, long count) {
        if (count < 0 || count > MAX_COUNT) {
            errors.add(new FieldError(field, "must be a whole number from 0 to " + MAX_COUNT + ", got " + count));
        }
    }

    private static void value(List<FieldError> errors, String field, double value, double low) {
        if (!(value >= low && value <= MAX_VALUE)) {
            errors.add(new FieldError(field, "must be a finite number from " + (low == 0 ? "0" : "-1e15") + " to 1e15, got "
                    + value));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
