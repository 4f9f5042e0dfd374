package dev.ramp.core.route;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route: which requests it takes and how it splits them between its two arms. This is the {@code kind: Route}
 * document, the same in the gateway's standalone file and in the server's API. Absent fields take the defaults
 * named here; {@link RouteCheck} says what is wrong with a document, and the accessors that parse a field may be
 * called only on a document it passed.
 *
 * <p>One model serves both strategies. The first arm is the baseline (stable, or blue), the second the candidate
 * (canary, or green). A {@code canary} route sends {@code weight} percent of units to the candidate; a
 * {@code blueGreen} route sends everything to its {@code active} arm, and its other arm is the preview.
 *
 * @param name     the route's key, unique among routes
 * @param match    which requests the route takes
 * @param strategy {@code canary} (the default) or {@code blueGreen}
 * @param arms     exactly two arms, baseline first
 * @param weight   {@code canary}: the candidate's share in percent, 0 to 100 (0 when absent)
 * @param active   {@code blueGreen}: the name of the arm that serves (the first arm when absent)
 * @param sticky   what keeps a unit in one arm; per request when absent
 * @param override how testers force an arm
 * @param pin      an optional cookie that pins a session to the arm it was first sent to
 * @param preview  {@code blueGreen}: how to reach the arm that is not active
 * @param mirror   the percent of the baseline arm's requests also sent to the candidate, whose answers are
 *                 discarded (0, no mirroring, when absent)
 * @param fallback {@code other-arm} (the default): when an arm has no healthy upstream its requests go to the
 *                 other arm; {@code none}: they get 503
 * @param health   active health checks of the upstreams
 * @param ejection passive ejection of upstreams that fail
 */
@JsonIgnoreProperties(value = {"kind", "version", "createdAt", "updatedAt"}, allowGetters = true)
public record RouteDefinition(
        String name,
        Match match,
        String strategy,
        List<Arm> arms,
        Integer weight,
        String active,
        Sticky sticky,
        Override override,
        Pin pin,
        Preview preview,
        Integer mirror,
        String fallback,
        Health health,
        Ejection ejection) {

    public static final String CANARY = "canary";
    public static final String BLUE_GREEN = "blueGreen";
    public static final String FALLBACK_OTHER_ARM = "other-arm";
    public static final String FALLBACK_NONE = "none";

    public RouteDefinition {
        name = text(name);
        match = match == null ? new Match(null, null, null) : match;
        strategy = strategy == null || strategy.isEmpty() ? CANARY : strategy;
        arms = arms == null ? List.of() : List.copyOf(arms);
        weight = weight == null ? 0 : weight;
        active = text(active);
        sticky = sticky == null ? new Sticky(null, null, null) : sticky;
        override = override == null ? new Override(null, null) : override;
        pin = pin == null ? new Pin(null, null) : pin;
        preview = preview == null ? new Preview(null, null) : preview;
        mirror = mirror == null ? 0 : mirror;
        fallback = fallback == null || fallback.isEmpty() ? FALLBACK_OTHER_ARM : fallback;
        health = health == null ? new Health(null, null, null, null, null) : health;
        ejection = ejection == null ? new Ejection(null, null, null) : ejection;
    }

    /** Whether this is a blue/green route; not a field of the document, which says it in {@code strategy}. */
    @JsonIgnore
    public boolean isBlueGreen() {
        return BLUE_GREEN.equals(strategy);
    }

    /**
     * The candidate's share in percent: {@code weight} for a canary; 0 or 100 for blue/green, by which arm is
     * active. Call only on a checked document.
     */
    public int candidatePercent() {
        if (!isBlueGreen()) {
            return weight;
        }
        return arms.size() == 2 && arms.get(1).name().equals(activeArm()) ? 100 : 0;
    }

    /** The active arm's name: {@code active}, or the first arm's when it is empty. */
    public String activeArm() {
        return active.isEmpty() && !arms.isEmpty() ? arms.get(0).name() : active;
    }

    /** The same route under {@code newName}. */
    public RouteDefinition withName(String newName) {
        return new RouteDefinition(newName, match, strategy, arms, weight, active, sticky, override, pin, preview, mirror,
                fallback, health, ejection);
    }

    /** The same route with the candidate at {@code percent}: a canary's new weight. */
    public RouteDefinition withWeight(int percent) {
        return new RouteDefinition(name, match, strategy, arms, percent, active, sticky, override, pin, preview, mirror,
                fallback, health, ejection);
    }

    /** The same blue/green route with {@code arm} active. */
    public RouteDefinition withActive(String arm) {
        return new RouteDefinition(name, match, strategy, arms, weight, arm, sticky, override, pin, preview, mirror,
                fallback, health, ejection);
    }

    /**
     * Which requests a route takes: all of {@code host} (when set), {@code pathPrefix} and {@code headers} must
     * match. Of several routes that match, the most specific wins: one with a host before one without, then the
     * longer path prefix, then the one with more headers.
     *
     * @param host       the Host header without its port, compared ignoring case; {@code *.example.com} matches
     *                   every subdomain; any host when empty
     * @param pathPrefix a prefix of the request's path, on segment boundaries ({@code /api} takes {@code /api} and
     *                   {@code /api/x}, not {@code /apix}); {@code /} when absent
     * @param headers    headers that must be present with exactly these values (names ignore case)
     */
    public record Match(String host, String pathPrefix, Map<String, String> headers) {
        public Match {
            host = text(host);
            pathPrefix = pathPrefix == null || pathPrefix.isEmpty() ? "/" : pathPrefix;
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /**
     * One arm: a pool of upstreams.
     *
     * @param name      the arm's name, as metrics, reports and overrides name it ({@code stable}, {@code canary},
     *                  {@code blue}, {@code green})
     * @param upstreams {@code host:port} of each upstream, at least one
     * @param balance   {@code round-robin} (the default) or {@code least-outstanding}
     */
    public record Arm(String name, List<String> upstreams, String balance) {
        public static final String ROUND_ROBIN = "round-robin";
        public static final String LEAST_OUTSTANDING = "least-outstanding";

        public Arm {
            name = text(name);
            upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
            balance = balance == null || balance.isEmpty() ? ROUND_ROBIN : balance;
        }
    }

    /**
     * What keeps a unit in one arm across requests: its key is hashed with {@link dev.ramp.core.hash.Bucketing},
     * so a unit is in the candidate when its bucket in {@code group} is at most the candidate's percent, exactly as
     * in a flag rollout of that group and percentage. A request without the key is split on its own.
     *
     * @param by    {@code header}, {@code cookie}, {@code clientIp}, or {@code none} (the default: every request
     *              split on its own)
     * @param name  the header's or cookie's name
     * @param group the bucketing group; the route's name when absent
     */
    public record Sticky(String by, String name, String group) {
        public static final String NONE = "none";
        public static final String HEADER = "header";
        public static final String COOKIE = "cookie";
        public static final String CLIENT_IP = "clientIp";

        public Sticky {
            by = by == null || by.isEmpty() ? NONE : by;
            name = text(name);
            group = text(group);
        }
    }

    /**
     * How a tester forces an arm: a request whose header or cookie names one of the route's arms goes to it.
     *
     * @param header the header's name, {@code X-Ramp-Arm} when absent; {@code ""} turns the header off
     * @param cookie the cookie's name, {@code ramp-arm} when absent; {@code ""} turns the cookie off
     */
    public record Override(String header, String cookie) {
        public static final String DEFAULT_HEADER = "X-Ramp-Arm";
        public static final String DEFAULT_COOKIE = "ramp-arm";

        public Override {
            header = header == null ? DEFAULT_HEADER : header;
            cookie = cookie == null ? DEFAULT_COOKIE : cookie;
        }
    }

    /**
     * A cookie that pins a session to its arm: the gateway sets it on the first answer, and later requests that
     * carry it go to that arm while the arm still takes traffic (a canary at weight 0, or an inactive blue/green
     * arm, is not pinned to).
     *
     * @param cookie the cookie's name; no pinning when empty (the default)
     * @param maxAge how long the cookie lasts, as a duration; {@code 1h} when absent
     */
    public record Pin(String cookie, String maxAge) {
        public Pin {
            cookie = text(cookie);
            maxAge = maxAge == null || maxAge.isEmpty() ? "1h" : maxAge;
        }

        /** Whether the route pins sessions. */
        public boolean enabled() {
            return !cookie.isEmpty();
        }
    }

    /**
     * How to reach a blue/green route's preview, the arm that is not active: by host, or by a header with any
     * value. Either may be empty.
     */
    public record Preview(String host, String header) {
        public Preview {
            host = text(host);
            header = text(header);
        }
    }

    /**
     * Active health checks: a {@code GET path} to each upstream every {@code interval}; an answer below 500 within
     * {@code timeout} passes. An upstream is taken out after {@code unhealthyAfter} failures in a row and back in
     * after {@code healthyAfter} passes.
     *
     * @param path           the path to request; no active checks when empty (the default)
     * @param interval       {@code 5s} when absent
     * @param timeout        {@code 1s} when absent
     * @param unhealthyAfter 2 when absent
     * @param healthyAfter   1 when absent
     */
    public record Health(String path, String interval, String timeout, Integer unhealthyAfter, Integer healthyAfter) {
        public Health {
            path = text(path);
            interval = interval == null || interval.isEmpty() ? "5s" : interval;
            timeout = timeout == null || timeout.isEmpty() ? "1s" : timeout;
            unhealthyAfter = unhealthyAfter == null ? 2 : unhealthyAfter;
            healthyAfter = healthyAfter == null ? 1 : healthyAfter;
        }

        public boolean enabled() {
            return !path.isEmpty();
        }

        public Duration intervalDuration() {
            return Durations.of(interval);
        }

        public Duration timeoutDuration() {
            return Durations.of(timeout);
        }
    }

    /**
     * Passive ejection: an upstream that fails {@code consecutiveFailures} times in a row (refused or timed-out
     * connections, 502, 503 and 504 answers) is taken out for {@code baseTime}, doubled at each ejection in a row
     * up to {@code maxTime}; it is re-admitted when that time is up, and its count of ejections resets after a
     * success.
     *
     * @param consecutiveFailures 5 when absent; 0 turns ejection off
     * @param baseTime            {@code 5s} when absent
     * @param maxTime             {@code 60s} when absent
     */
    public record Ejection(Integer consecutiveFailures, String baseTime, String maxTime) {
        public Ejection {
            consecutiveFailures = consecutiveFailures == null ? 5 : consecutiveFailures;
            baseTime = baseTime == null || baseTime.isEmpty() ? "5s" : baseTime;
            maxTime = maxTime == null || maxTime.isEmpty() ? "60s" : maxTime;
        }

        public Duration baseDuration() {
            return Durations.of(baseTime);
        }

        public Duration maxDuration() {
            return Durations.of(maxTime);
        }
    }

    /** The arm named {@code armName}, if the route has it. */
    public Optional<Arm> arm(String armName) {
        return arms.stream().filter(arm -> arm.name().equals(armName)).findFirst();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
