package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.core.route.RouteDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthIT {

    @Test
    void upstreamKilledMidLoad_isEjected_andOnlyRequestsInFlightOnItFail() throws Exception {
        try (var first = new Backend("v1"); var second = new Backend("v1"); var canary = new Backend("canary");
             var fixture = new GatewayFixture()) {
            var route = new RouteDefinition("shop", new RouteDefinition.Match(null, null, Map.of()), null,
                    List.of(new RouteDefinition.Arm("stable", List.of(first.address(), second.address()), null),
                            new RouteDefinition.Arm("canary", List.of(canary.address()), null)),
                    0, null, null, null, null, null, null, null, null, new RouteDefinition.Ejection(3, "1m", "5m"));
            fixture.serve(route);
            int threads = 8;
            long failedBeforeKill;
            int inFlightAtKill;
            try (var load = new Load(fixture.uri("/"), threads, 4000)) {
                while (load.done.get() < 1000) {
                    Thread.onSpinWait();
                }
                failedBeforeKill = load.failed();
                inFlightAtKill = second.inFlight.get();
                second.close();
                int killedAt = load.done.get();
                await().atMost(Duration.ofMinutes(1)).until(() -> load.done.get() >= killedAt + 1500);
                long failedAfterKill = load.failed();
                load.finish();
                assertThat(failedBeforeKill).isZero();
                // Only requests the killed upstream was holding may fail; each client has at most one in flight.
                assertThat(failedAfterKill).as("failures %s with %d in flight at the kill", load.failures, inFlightAtKill)
                        .isLessThanOrEqualTo(threads);
                assertThat(load.failed()).as("nothing fails once the upstream is out").isEqualTo(failedAfterKill);
            }
            assertThat(fixture.metrics()).contains("ramp_gateway_ejections_total{upstream=\"" + second.address() + "\"} 1.0",
                    "ramp_gateway_upstream_available{upstream=\"" + second.address() + "\"} 0.0");
            for (int i = 0; i < 50; i++) {
                assertThat(fixture.get("/").statusCode()).isEqualTo(200);
            }
        }
    }

    static RouteDefinition checked(Backend stable, Backend canary, String fallback) {
        return new RouteDefinition("shop", new RouteDefinition.Match(null, null, Map.of()), null,
                List.of(new RouteDefinition.Arm("stable", List.of(stable.address()), null),
                        new RouteDefinition.Arm("canary", List.of(canary.address()), null)),
                100, null, null, null, null, null, null, fallback,
                new RouteDefinition.Health("/health", "50ms", "1s", 1, 1), null);
    }

    @Test
    void armFailingItsHealthChecks_fallsBackToTheOtherArm_andComesBack() throws Exception {
        try (var stable = new Backend("stable"); var canary = new Backend("canary"); var fixture = new GatewayFixture()) {
            fixture.serve(checked(stable, canary, null));
            assertThat(GatewayFixture.arm(fixture.get("/"))).isEqualTo("canary");
            canary.status = 503;
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/").body().startsWith("stable"));
            assertThat(fixture.metrics()).contains("ramp_gateway_upstream_available{upstream=\"" + canary.address() + "\"} 0.0")
                    .containsPattern("ramp_gateway_fallbacks_total\\{arm=\"canary\",route=\"shop\"} [1-9]");
            canary.status = 200;
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/").body().startsWith("canary"));
        }
    }

    @Test
    void armWithoutAvailableUpstream_andNoFallback_is503() throws Exception {
        try (var stable = new Backend("stable"); var canary = new Backend("canary"); var fixture = new GatewayFixture()) {
            fixture.serve(checked(stable, canary, "none"));
            canary.status = 500;
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/").statusCode() == 503);
            assertThat(fixture.get("/").body()).isEqualTo("503 Service Unavailable: arm 'canary' of route 'shop' has no available upstream\n");
        }
    }
}
