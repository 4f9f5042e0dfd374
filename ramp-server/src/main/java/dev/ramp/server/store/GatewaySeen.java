package dev.ramp.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A gateway as its last report left it.
 *
 * @param gateway      the id it reports under
 * @param lastReportAt when the server received its last report (the server's clock)
 * @param routes       the routes that report named, sorted
 */
public record GatewaySeen(String gateway, Instant lastReportAt, List<String> routes) {
    public GatewaySeen {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(lastReportAt, "lastReportAt");
        routes = List.copyOf(routes);
    }
}
