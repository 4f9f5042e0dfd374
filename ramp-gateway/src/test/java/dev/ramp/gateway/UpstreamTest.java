package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.route.RouteDefinition;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UpstreamTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final RouteDefinition.Ejection policy = new RouteDefinition.Ejection(3, "5s", "20s");

    @Test
    void failures_inARow_ejectForTheBaseTime_thenDoubleUpToTheMaximum() {
        var upstream = new Upstream("127.0.0.1:9000");
        long now = 1000 * SECOND;
        assertThat(upstream.failed(now, policy)).isZero();
        assertThat(upstream.failed(now, policy)).isZero();
        assertThat(upstream.failed(now, policy)).isEqualTo(5 * SECOND);
        assertThat(upstream.available(now + 5 * SECOND - 1)).isFalse();
        assertThat(upstream.available(now + 5 * SECOND)).isTrue();

        now += 5 * SECOND;
        for (int i = 0; i < 2; i++) {
            upstream.failed(now, policy);
        }
        assertThat(upstream.failed(now, policy)).isEqualTo(10 * SECOND);
        now += 10 * SECOND;
        for (int i = 0; i < 2; i++) {
            upstream.failed(now, policy);
        }
        assertThat(upstream.failed(now, policy)).isEqualTo(20 * SECOND);
        now += 20 * SECOND;
        for (int i = 0; i < 2; i++) {
            upstream.failed(now, policy);
        }
        assertThat(upstream.failed(now, policy)).as("capped at maxTime").isEqualTo(20 * SECOND);
    }

    @Test
    void failures_whileEjected_neitherEjectAgainNorLengthenTheEjection() {
        var upstream = new Upstream("127.0.0.1:9000");
        long now = 1000 * SECOND;
        for (int i = 0; i < 3; i++) {
            upstream.failed(now, policy);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(upstream.failed(now + SECOND, policy)).isZero();
        }
        assertThat(upstream.available(now + 5 * SECOND)).isTrue();
        upstream.failed(now + 5 * SECOND, policy);
        upstream.failed(now + 5 * SECOND, policy);
        assertThat(upstream.failed(now + 5 * SECOND, policy)).as("the second ejection in a row").isEqualTo(10 * SECOND);
    }

    @Test
    void aBurstOfFailuresOnManyThreads_ejectsOnce_forTheBaseTime() throws Exception {
        var upstream = new Upstream("127.0.0.1:9000");
        long now = 1000 * SECOND;
        int threads = 8;
        var start = new java.util.concurrent.CountDownLatch(1);
        var ejections = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < 1000; i++) {
                        long time = upstream.failed(now, policy);
                        if (time > 0) {
                            ejections.add(time);
                        }
                    }
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ejections).containsExactly(5 * SECOND);
    }

    @Test
    void success_resetsTheFailuresAndTheBackOff() {
        var upstream = new Upstream("127.0.0.1:9000");
        long now = 1000 * SECOND;
        for (int i = 0; i < 3; i++) {
            upstream.failed(now, policy);
        }
        now += 5 * SECOND;
        upstream.failed(now, policy);
        upstream.failed(now, policy);
        upstream.succeeded();
        assertThat(upstream.failed(now, policy)).as("the count restarted").isZero();
        upstream.failed(now, policy);
        assertThat(upstream.failed(now, policy)).as("the back-off restarted").isEqualTo(5 * SECOND);
    }

    @Test
    void ejection_withZeroFailures_isOff() {
        var upstream = new Upstream("127.0.0.1:9000");
        var off = new RouteDefinition.Ejection(0, null, null);
        for (int i = 0; i < 100; i++) {
            assertThat(upstream.failed(1, off)).isZero();
        }
        assertThat(upstream.available(1)).isTrue();
    }

    @Test
    void activeChecks_takeOutAndPutBack_onTheirThresholds() {
        var upstream = new Upstream("[::1]:9000");
        var checks = new RouteDefinition.Health("/health", null, null, 2, 2);
        assertThat(upstream.socketAddress().getHostString()).isEqualTo("::1");
        assertThat(upstream.checked(false, checks)).isFalse();
        assertThat(upstream.checked(false, checks)).isTrue();
        assertThat(upstream.available(0)).isFalse();
        assertThat(upstream.checked(true, checks)).isFalse();
        assertThat(upstream.checked(true, checks)).isTrue();
        assertThat(upstream.available(0)).isTrue();
    }
}
