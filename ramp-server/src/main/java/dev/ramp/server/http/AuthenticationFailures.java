package dev.ramp.server.http;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the requests from each client address whose token the server did not know, and refuses an address that
 * presented {@link Limits#AUTHENTICATION_FAILURES} of them in one {@link Limits#AUTHENTICATION_WINDOW} until that
 * window ends. While refused, an address's tokens are not looked at, so it learns nothing about them, good or bad.
 *
 * <p>At most {@link #ADDRESSES} addresses are counted apart; beyond that, new ones share one count, which a flood
 * from many addresses fills soon, without growing the server's memory.
 */
final class AuthenticationFailures {
    static final int ADDRESSES = 10_000;
    private static final String SHARED = "*";

    /** One address's failures since {@code start}. */
    private record Window(Instant start, int failures) {}

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final InstantSource clock;

    AuthenticationFailures(InstantSource clock) {
        this.clock = clock;
    }

    /** How long {@code address} must wait before presenting a token again; empty when it may now. */
    Optional<Duration> refusedFor(String address) {
        Window window = windows.get(key(address));
        if (window == null || window.failures() < Limits.AUTHENTICATION_FAILURES) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), window.start().plus(Limits.AUTHENTICATION_WINDOW));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    /** Counts one failure of {@code address}; true when it is the one that reached the limit. */
    boolean failed(String address) {
        Instant now = clock.instant();
        if (!windows.containsKey(address) && windows.size() >= ADDRESSES) {
            windows.values().removeIf(window -> ended(window, now));
        }
        String key = key(address);
        Window counted = windows.compute(key, (ignored, window) -> window == null || ended(window, now)
                ? new Window(now, 1) : new Window(window.start(), window.failures() + 1));
        return counted.failures() == Limits.AUTHENTICATION_FAILURES;
    }

    /** The count {@code address} goes by: its own when it has one, the shared one when tracking is full. */
    private String key(String address) {
        return windows.containsKey(address) || windows.size() < ADDRESSES ? address : SHARED;
    }

    private static boolean ended(Window window, Instant now) {
        return !now.isBefore(window.start().plus(Limits.AUTHENTICATION_WINDOW));
    }
}
