package dev.ramp.server.route;

import dev.ramp.server.store.ArmTraffic;
import dev.ramp.server.store.TrafficPoint;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What gateways reported of one route over a window, summed over gateways: reports count in the window (and in the
 * second) their interval starts in.
 *
 * @param route  the route's name
 * @param since  the window's start, inclusive
 * @param until  its end, exclusive
 * @param arms   each arm's totals over the window: the route's arms in its order (with zeros when nothing was
 *               reported), then any other arm reports named, by name
 * @param points each arm's traffic per second, in time order then by arm; only seconds with reports
 */
public record RouteTraffic(String route, Instant since, Instant until, List<ArmTraffic> arms, List<TrafficPoint> points) {
    public RouteTraffic {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        arms = List.copyOf(arms);
        points = List.copyOf(points);
    }

    /** The totals of {@code arm}; zeros when nothing was reported of it. */
    public ArmTraffic arm(String arm) {
        return arms.stream().filter(traffic -> traffic.arm().equals(arm)).findFirst().orElse(ArmTraffic.none(arm));
    }
}
