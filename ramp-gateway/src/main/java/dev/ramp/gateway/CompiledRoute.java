package dev.ramp.gateway;

import dev.ramp.core.route.RouteDefinition;
import dev.ramp.core.route.TrafficSplit;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A route ready to serve: its definition with every default resolved, the split, and its two arms. Immutable but
 * for the arms' counters; a config change compiles a new one, and requests in flight keep the one they started on.
 */
final class CompiledRoute {
    final RouteDefinition definition;
    final String name;
    final ArmPool baseline;
    final ArmPool candidate;
    final TrafficSplit split;
    final long pinMaxAgeSeconds;
    private final String matchHost;
    private final boolean wildcardHost;
    private final String pathPrefix;
    private final Map<String, String> matchHeaders;
    private final String previewHost;
    private final AtomicLong keyless = new AtomicLong();
    private final TrafficSplit mirrorShare;
    private final AtomicLong mirrorable = new AtomicLong();

    CompiledRoute(RouteDefinition definition, ArmPool baseline, ArmPool candidate) {
        this.definition = definition;
        this.name = definition.name();
        this.baseline = baseline;
        this.candidate = candidate;
        String group = definition.sticky().group().isEmpty() ? definition.name() : definition.sticky().group();
        this.split = TrafficSplit.of(group, definition.candidatePercent());
        this.mirrorShare = TrafficSplit.of(group, definition.mirror());
        this.pinMaxAgeSeconds = dev.ramp.core.route.Durations.parse(definition.pin().maxAge()).orElseThrow().toSeconds();
        String host = definition.match().host().toLowerCase(Locale.ROOT);
        this.wildcardHost = host.startsWith("*.");
        this.matchHost = wildcardHost ? host.substring(1) : host;
        String prefix = definition.match().pathPrefix();
        this.pathPrefix = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.matchHeaders = definition.match().headers();
        this.previewHost = definition.preview().host().toLowerCase(Locale.ROOT);
        baseline.metrics.requested(100 - definition.candidatePercent());
        candidate.metrics.requested(definition.candidatePercent());
    }

    /** How specific the match is, for ordering: host first, then the prefix's length, then headers. */
    int specificity() {
        return (matchHost.isEmpty() ? 0 : 1 << 20) + (wildcardHost ? 0 : 1 << 19) + pathPrefix.length() * 32 + matchHeaders.size();
    }

    /** Whether the route takes a request for {@code host} (lower case, without port) and {@code path} (no query). */
    boolean matches(String host, String path, HttpHeaders headers) {
        if (!matchesHost(host) && !(definition.isBlueGreen() && !previewHost.isEmpty() && previewHost.equals(host))) {
            return false;
        }
        if (!pathPrefix.equals("/") && !(path.startsWith(pathPrefix)
                && (path.length() == pathPrefix.length() || path.charAt(pathPrefix.length()) == '/'))) {
            return false;
        }
        for (var header : matchHeaders.entrySet()) {
            if (!header.getValue().equals(headers.get(header.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesHost(String host) {
        if (matchHost.isEmpty()) {
            return true;
        }
        return wildcardHost ? host.endsWith(matchHost) && host.length() > matchHost.length() : matchHost.equals(host);
    }

    /**
     * The arm a request goes to, and why. In order: the override header or cookie, a blue/green preview, the pin
     * cookie while its arm takes traffic, then the split by the unit's key, or per request without one.
     */
    Choice choose(String host, HttpHeaders headers, String clientIp) {
        var override = definition.override();
        if (!override.header().isEmpty()) {
            ArmPool forced = arm(headers.get(override.header()));
            if (forced != null) {
                return new Choice(forced, Choice.OVERRIDE);
            }
        }
        Set<Cookie> cookies = null;
        String cookieHeader = headers.get(io.netty.handler.codec.http.HttpHeaderNames.COOKIE);
        if (cookieHeader != null && (!override.cookie().isEmpty() || definition.pin().enabled()
                || RouteDefinition.Sticky.COOKIE.equals(definition.sticky().by()))) {
            cookies = ServerCookieDecoder.LAX.decode(cookieHeader);
        }
        if (cookies != null && !override.cookie().isEmpty()) {
            ArmPool forced = arm(cookie(cookies, override.cookie()));
            if (forced != null) {
                return new Choice(forced, Choice.OVERRIDE);
            }
        }
        if (definition.isBlueGreen()) {
            var preview = definition.preview();
            boolean previewed = (!previewHost.isEmpty() && previewHost.equals(host))
                    || (!preview.header().isEmpty() && headers.contains(preview.header()));
            ArmPool active = split.candidatePercent() == 100 ? candidate : baseline;
            return previewed ? new Choice(active == candidate ? baseline : candidate, Choice.PREVIEW) : new Choice(active, Choice.SPLIT);
        }
        if (cookies != null && definition.pin().enabled()) {
            ArmPool pinned = arm(cookie(cookies, definition.pin().cookie()));
            if (pinned != null && takesTraffic(pinned)) {
                return new Choice(pinned, Choice.PINNED);
            }
        }
        String key = switch (definition.sticky().by()) {
            case RouteDefinition.Sticky.HEADER -> headers.get(definition.sticky().name());
            case RouteDefinition.Sticky.COOKIE -> cookies == null ? null : cookie(cookies, definition.sticky().name());
            case RouteDefinition.Sticky.CLIENT_IP -> clientIp;
            default -> null;
        };
        boolean toCandidate = key == null || key.isEmpty()
                ? split.isCandidate(keyless.getAndIncrement())
                : split.isCandidate(key);
        return new Choice(toCandidate ? candidate : baseline, Choice.SPLIT);
    }

    /**
     * Whether a request sent to the baseline by the split is also copied to the candidate: {@code mirror} percent
     * of them, in a fixed interleaving as keyless splits are.
     */
    boolean mirrors(Choice choice) {
        return mirrorShare.candidatePercent() > 0 && choice.arm() == baseline && Choice.SPLIT.equals(choice.how())
                && mirrorShare.isCandidate(mirrorable.getAndIncrement());
    }

    /** The other arm than {@code arm}. */
    ArmPool other(ArmPool arm) {
        return arm == baseline ? candidate : baseline;
    }

    boolean takesTraffic(ArmPool arm) {
        int percent = split.candidatePercent();
        return arm == candidate ? percent > 0 : percent < 100;
    }

    List<ArmPool> arms() {
        return List.of(baseline, candidate);
    }

    private ArmPool arm(String armName) {
        if (armName == null) {
            return null;
        }
        if (armName.equals(baseline.name)) {
            return baseline;
        }
        return armName.equals(candidate.name) ? candidate : null;
    }

    private static String cookie(Set<Cookie> cookies, String cookieName) {
        for (Cookie cookie : cookies) {
            if (cookie.name().equals(cookieName)) {
                return cookie.value();
            }
        }
        return null;
    }

    /** An arm chosen for a request, and how: {@code split}, {@code override}, {@code preview} or {@code pinned}. */
    record Choice(ArmPool arm, String how) {
        static final String SPLIT = "split";
        static final String OVERRIDE = "override";
        static final String PREVIEW = "preview";
        static final String PINNED = "pinned";
    }
}
