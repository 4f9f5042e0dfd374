package dev.ramp.core.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything wrong with route documents, field by field, every problem at once rather than the first. The gateway
 * refuses a file with problems and keeps its last good routes; the server answers 400 naming each field.
 */
public final class RouteCheck {
    /** A route's name: lower-case letters, digits, {@code .}, {@code _} and {@code -}, up to 100 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    /** Upstreams in one arm. */
    public static final int MAX_UPSTREAMS = 64;
    /** Headers one route may match on. */
    public static final int MAX_MATCH_HEADERS = 16;
    /** Characters in a path prefix. */
    public static final int MAX_PATH = 1024;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");
    private static final Pattern UPSTREAM = Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]):(\\d{1,5})");
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]*");
    private static final Set<String> STICKY = Set.of(RouteDefinition.Sticky.NONE, RouteDefinition.Sticky.HEADER,
            RouteDefinition.Sticky.COOKIE, RouteDefinition.Sticky.CLIENT_IP);
    private static final Set<String> BALANCE = Set.of(RouteDefinition.Arm.ROUND_ROBIN, RouteDefinition.Arm.LEAST_OUTSTANDING);

    /**
     * What is wrong with one field.
     *
     * @param field  the path from the document's root, such as {@code arms[1].upstreams[0]}
     * @param reason why it is refused, in words a user can act on
     */
    public record Problem(String field, String reason) {
        /** The same problem under {@code prefix}, for a route inside a list. */
        public Problem under(String prefix) {
            return new Problem(prefix + "." + field, reason);
        }

        @java.lang.Override
        public String toString() {
            return field + ": " + reason;
        }
    }

    private final List<Problem> problems = new ArrayList<>();

    private RouteCheck() {}

    /** The problems of one route; empty when it is good. */
    public static List<Problem> route(RouteDefinition route) {
        var check = new RouteCheck();
        check.check(route);
        return List.copyOf(check.problems);
    }

    /**
     * The problems of a whole set of routes, as a gateway serves them: each route's own, named
     * {@code routes[i].field}, and names or matches that two routes share.
     */
    public static List<Problem> table(List<RouteDefinition> routes) {
        var all = new ArrayList<Problem>();
        var names = new HashMap<String, Integer>();
        var matches = new HashMap<RouteDefinition.Match, Integer>();
        for (int i = 0; i < routes.size(); i++) {
            var route = routes.get(i);
            String prefix = "routes[" + i + "]";
            route(route).forEach(problem -> all.add(problem.under(prefix)));
            Integer sameName = names.putIfAbsent(route.name(), i);
            if (sameName != null) {
                all.add(new Problem(prefix + ".name", "'" + route.name() + "' is also the name of routes[" + sameName + "]"));
            }
            Integer sameMatch = matches.putIfAbsent(route.match(), i);
            if (sameMatch != null) {
                all.add(new Problem(prefix + ".match", "routes[" + sameMatch + "] matches the same requests; one of them would never be used"));
            }
        }
        return List.copyOf(all);
    }

    private void check(RouteDefinition route) {
        if (!NAME.matcher(route.name()).matches()) {
            add("name", "must be 1 to 100 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit, got '" + route.name() + "'");
        }
        match(route.match());
        boolean blueGreen = route.isBlueGreen();
        if (!blueGreen && !RouteDefinition.CANARY.equals(route.strategy())) {
            add("strategy", "must be canary or blueGreen, got '" + route.strategy() + "'");
        }
        arms(route.arms());
        if (blueGreen) {
            if (route.weight() != 0) {
                add("weight", "a blueGreen route switches with 'active', not by weight; leave weight out");
            }
            if (!route.active().isEmpty() && route.arm(route.active()).isEmpty()) {
                add("active", "must name one of the route's arms, got '" + route.active() + "'");
            }
        } else {
            if (route.weight() < 0 || route.weight() > 100) {
                add("weight", "must be a percent from 0 to 100, got " + route.weight());
            }
            if (!route.active().isEmpty()) {
                add("active", "only a blueGreen route has an active arm; a canary route splits by weight");
            }
            if (!route.preview().host().isEmpty() || !route.preview().header().isEmpty()) {
                add("preview", "only a blueGreen route has a preview; reach a canary's arm with the override header");
            }
        }
        sticky(route.sticky());
        optionalToken("override.header", route.override().header());
        optionalToken("override.cookie", route.override().cookie());
        optionalToken("pin.cookie", route.pin().cookie());
        duration("pin.maxAge", route.pin().maxAge());
        if (!route.preview().host().isEmpty() && !HOST.matcher(route.preview().host()).matches()) {
            add("preview.host", "must be a host name, got '" + route.preview().host() + "'");
        }
        optionalToken("preview.header", route.preview().header());
        if (route.mirror() < 0 || route.mirror() > 100) {
            add("mirror", "must be a percent from 0 to 100, got " + route.mirror());
        }
        if (!RouteDefinition.FALLBACK_OTHER_ARM.equals(route.fallback()) && !RouteDefinition.FALLBACK_NONE.equals(route.fallback())) {
            add("fallback", "must be other-arm or none, got '" + route.fallback() + "'");
        }
        health(route.health());
        ejection(route.ejection());
    }

    private void match(RouteDefinition.Match match) {
        if (!match.host().isEmpty() && !HOST.matcher(match.host()).matches()) {
            add("match.host", "must be a host name, or *.domain for its subdomains, got '" + match.host() + "'");
        }
        if (match.pathPrefix().length() > MAX_PATH || !PATH.matcher(match.pathPrefix()).matches()) {
            add("match.pathPrefix", "must start with '/' and hold up to " + MAX_PATH + " visible ASCII characters, got '"
                    + match.pathPrefix() + "'");
        }
        if (match.headers().size() > MAX_MATCH_HEADERS) {
            add("match.headers", "may hold at most " + MAX_MATCH_HEADERS + " headers, got " + match.headers().size());
        }
        match.headers().forEach((name, value) -> {
            if (!TOKEN.matcher(name).matches()) {
                add("match.headers", "'" + name + "' is not a header name");
            }
            if (value == null || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                add("match.headers." + name, "must be a header value without control characters");
            }
        });
    }

    private void arms(List<RouteDefinition.Arm> arms) {
        if (arms.size() != 2) {
            add("arms", "a route has exactly two arms, the baseline first; got " + arms.size());
        }
        for (int i = 0; i < arms.size(); i++) {
            var arm = arms.get(i);
            String field = "arms[" + i + "]";
            if (arm == null) {
                add(field, "must be an arm, got null");
                continue;
            }
            if (!NAME.matcher(arm.name()).matches()) {
                add(field + ".name", "must be 1 to 100 of a-z, 0-9, '.', '_' and '-', got '" + arm.name() + "'");
            }
            if (i == 1 && arm.name().equals(arms.get(0) == null ? null : arms.get(0).name())) {
                add(field + ".name", "both arms are named '" + arm.name() + "'");
            }
            if (arm.upstreams().isEmpty() || arm.upstreams().size() > MAX_UPSTREAMS) {
                add(field + ".upstreams", "must list 1 to " + MAX_UPSTREAMS + " upstreams as host:port, got " + arm.upstreams().size());
            }
            for (int u = 0; u < arm.upstreams().size(); u++) {
                String upstream = arm.upstreams().get(u);
                var matcher = UPSTREAM.matcher(upstream == null ? "" : upstream);
                if (!matcher.matches() || Integer.parseInt(matcher.group(2)) == 0 || Integer.parseInt(matcher.group(2)) > 65535) {
                    add(field + ".upstreams[" + u + "]", "must be host:port with a port from 1 to 65535, got '" + upstream + "'");
                }
            }
            if (!BALANCE.contains(arm.balance())) {
                add(field + ".balance", "must be round-robin or least-outstanding, got '" + arm.balance() + "'");
            }
        }
    }

    private void sticky(RouteDefinition.Sticky sticky) {
        if (!STICKY.contains(sticky.by())) {
            add("sticky.by", "must be header, cookie, clientIp or none, got '" + sticky.by() + "'");
        }
        boolean named = RouteDefinition.Sticky.HEADER.equals(sticky.by()) || RouteDefinition.Sticky.COOKIE.equals(sticky.by());
        if (named && !TOKEN.matcher(sticky.name()).matches()) {
            add("sticky.name", "must name the " + sticky.by() + " that holds the unit's key, got '" + sticky.name() + "'");
        }
        if (!named && !sticky.name().isEmpty()) {
            add("sticky.name", "is read only with sticky.by header or cookie");
        }
        if (sticky.group().length() > 200) {
            add("sticky.group", "may hold at most 200 characters");
        }
    }

    private void health(RouteDefinition.Health health) {
        if (health.enabled() && (health.path().length() > MAX_PATH || !PATH.matcher(health.path()).matches())) {
            add("health.path", "must start with '/' and hold only visible ASCII characters, got '" + health.path() + "'");
        }
        positive("health.interval", health.interval());
        positive("health.timeout", health.timeout());
        between("health.unhealthyAfter", health.unhealthyAfter(), 1, 100);
        between("health.healthyAfter", health.healthyAfter(), 1, 100);
    }

    private void ejection(RouteDefinition.Ejection ejection) {
        between("ejection.consecutiveFailures", ejection.consecutiveFailures(), 0, 1000);
        boolean base = positive("ejection.baseTime", ejection.baseTime());
        boolean max = positive("ejection.maxTime", ejection.maxTime());
        if (base && max && ejection.baseDuration().compareTo(ejection.maxDuration()) > 0) {
            add("ejection.maxTime", "must be at least baseTime (" + ejection.baseTime() + "), got " + ejection.maxTime());
        }
    }

    private void between(String field, int value, int low, int high) {
        if (value < low || value > high) {
            add(field, "must be from " + low + " to " + high + ", got " + value);
        }
    }

    private boolean positive(String field, String text) {
        var duration = Durations.parse(text);
        if (duration.isEmpty() || duration.get().isZero()) {
            add(field, "must be a duration above 0 such as 500ms, 5s, 1m or 1h, got '" + text + "'");
            return false;
        }
        return true;
    }

    private void duration(String field, String text) {
        if (Durations.parse(text).isEmpty()) {
            add(field, "must be a duration such as 30s, 10m or 1h, got '" + text + "'");
        }
    }

    private void optionalToken(String field, String name) {
        if (!name.isEmpty() && !TOKEN.matcher(name).matches()) {
            add(field, "must be a header or cookie name (letters, digits and !#$%&'*+.^_`|~-), got '" + name + "'");
        }
    }

    private void add(String field, String reason) {
        problems.add(new Problem(field, reason));
    }
}
