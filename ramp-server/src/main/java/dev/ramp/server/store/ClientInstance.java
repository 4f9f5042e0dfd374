package dev.ramp.server.store;

import java.time.Instant;
import java.util.List;

/** An SDK instance as it registered through {@code POST /api/client/register}, and when it was last heard from. */
public record ClientInstance(
        String appName, String instanceId, String environment, String sdkVersion, List<String> strategies,
        long intervalMillis, Instant startedAt, Instant lastSeen) {

    public ClientInstance {
        strategies = List.copyOf(strategies);
    }
}
