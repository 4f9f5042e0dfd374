package dev.ramp.sdk.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnection delays: exponential from {@code initial}, doubling per failure up to {@code max}, each drawn
 * uniformly from its upper half ("equal jitter"), so that clients a restart disconnected together do not
 * come back together, and none waits less than half its step.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private long stepMillis;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
        this.stepMillis = initialMillis;
    }

    /** The delay before the next attempt; each call doubles the next step. */
    public Duration next() {
        long step = stepMillis;
        stepMillis = Math.min(maxMillis, stepMillis * 2);
        long half = step / 2;
        return Duration.ofMillis(half + (step - half <= 0 ? 0 : random.nextLong(step - half + 1)));
    }

    /** Back to the initial step, after a success. */
    public void reset() {
        stepMillis = initialMillis;
    }
}
