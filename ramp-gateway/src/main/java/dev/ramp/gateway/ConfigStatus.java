package dev.ramp.gateway;

import java.time.Instant;
import java.util.List;

/**
 * Where a gateway's routes come from and how the last attempt to load them went.
 *
 * @param source    the file's path, or the server's URL
 * @param loadedAt  when the routes being served were loaded; null before any
 * @param failedAt  when the last load failed; null when the last load succeeded
 * @param problems  what was wrong with the last load that failed; the routes before it are still served
 */
public record ConfigStatus(String source, Instant loadedAt, Instant failedAt, List<String> problems) {
    public ConfigStatus {
        problems = List.copyOf(problems);
    }
}
