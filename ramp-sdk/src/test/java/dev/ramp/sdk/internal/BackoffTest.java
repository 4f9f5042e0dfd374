package dev.ramp.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void next_doublesUpToTheMaximum_withEachDelayInTheUpperHalfOfItsStep() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4), new SplittableRandom(3));
        long[] steps = {500, 1000, 2000, 4000, 4000, 4000};

        for (long step : steps) {
            assertThat(backoff.next().toMillis()).isBetween(step / 2, step);
        }
    }

    @Test
    void reset_startsOverFromTheInitialStep() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new SplittableRandom(3));
        for (int i = 0; i < 5; i++) {
            backoff.next();
        }

        backoff.reset();

        assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
    }

    @Test
    void next_spreadsClientsThatFailedTogether() {
        SplittableRandom random = new SplittableRandom(11);
        long distinct = java.util.stream.IntStream.range(0, 100)
                .mapToLong(i -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random).next().toMillis())
                .distinct().count();

        assertThat(distinct).isGreaterThan(80);
    }
}
