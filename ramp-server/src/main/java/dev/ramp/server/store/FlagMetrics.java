package dev.ramp.server.store;

import java.time.Instant;
import java.util.Map;

/**
 * How often SDKs of one application evaluated one flag in one environment during one bucket of time
 * ({@link #BUCKET} long, starting at {@code start}): {@code yes} times on, {@code no} times off, and how often each
 * variant was served.
 */
public record FlagMetrics(String flag, String environment, String appName, Instant start, long yes, long no, Map<String, Long> variants) {
    public static final java.time.Duration BUCKET = java.time.Duration.ofMinutes(1);

    public FlagMetrics {
        variants = Map.copyOf(variants);
    }
}
