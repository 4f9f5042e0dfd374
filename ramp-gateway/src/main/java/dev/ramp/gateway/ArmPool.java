package dev.ramp.gateway;

import dev.ramp.core.route.RouteDefinition;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** One arm of a compiled route: its upstreams, how they are balanced, and the arm's metrics. */
final class ArmPool {
    final String name;
    final List<Upstream> upstreams;
    final ArmMetrics metrics;
    private final boolean leastOutstanding;
    private final AtomicInteger next = new AtomicInteger();

    ArmPool(RouteDefinition.Arm arm, List<Upstream> upstreams, ArmMetrics metrics) {
        this.name = arm.name();
        this.upstreams = List.copyOf(upstreams);
        this.metrics = metrics;
        this.leastOutstanding = RouteDefinition.Arm.LEAST_OUTSTANDING.equals(arm.balance());
    }

    /** The upstream for the next request, other than {@code tried}; null when none is available. */
    Upstream pick(long nowNanos, Upstream tried) {
        int size = upstreams.size();
        int start = Math.floorMod(next.getAndIncrement(), size);
        Upstream best = null;
        for (int i = 0; i < size; i++) {
            Upstream candidate = upstreams.get((start + i) % size);
            if (candidate == tried || !candidate.available(nowNanos)) {
                continue;
            }
            if (!leastOutstanding) {
                return candidate;
            }
            if (best == null || candidate.outstanding() < best.outstanding()) {
                best = candidate;
            }
        }
        return best;
    }

    /** Whether some upstream of the arm is available. */
    boolean healthy(long nowNanos) {
        for (Upstream upstream : upstreams) {
            if (upstream.available(nowNanos)) {
                return true;
            }
        }
        return false;
    }
}
