package dev.ramp.server.store;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.Objects;

/**
 * One arm's traffic in one second, summed over the gateways whose report interval started in that second.
 *
 * @param at               the second's start
 * @param requestedPercent the largest share, in percent, any of those gateways said the route asked of the arm
 * @param traffic          the sums
 */
public record TrafficPoint(Instant at, int requestedPercent, @JsonUnwrapped ArmTraffic traffic) {
    public TrafficPoint {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(traffic, "traffic");
    }
}
