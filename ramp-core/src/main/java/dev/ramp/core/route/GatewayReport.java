package dev.ramp.core.route;

import java.time.Instant;
import java.util.List;

/**
 * One gateway's report for one interval: {@code POST /api/gateway/reports}.
 *
 * @param gateway the reporting gateway's id, stable for its process's life
 * @param from    the interval's start
 * @param to      the interval's end
 * @param arms    one report per arm of every route the gateway served
 */
public record GatewayReport(String gateway, Instant from, Instant to, List<ArmReport> arms) {
    public GatewayReport {
        gateway = gateway == null ? "" : gateway;
        arms = arms == null ? List.of() : List.copyOf(arms);
    }
}
