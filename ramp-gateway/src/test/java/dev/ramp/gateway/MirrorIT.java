package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.core.route.RouteDefinition;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MirrorIT {

    static RouteDefinition mirrored(Backend stable, Backend canary, int percent) {
        var base = Routes.canary("shop", stable.address(), canary.address(), 0, null);
        return new RouteDefinition(base.name(), base.match(), null, base.arms(), 0, null, null, null, null, null, percent,
                null, null, null);
    }

    @Test
    void mirror_copiesItsShareOfRequestsToTheCandidate_andTheClientSeesOnlyTheBaseline() throws Exception {
        try (var stable = new Backend("stable"); var canary = new Backend("canary"); var fixture = new GatewayFixture()) {
            fixture.serve(mirrored(stable, canary, 50));
            for (int i = 0; i < 100; i++) {
                assertThat(GatewayFixture.arm(fixture.get("/page/" + i))).isEqualTo("stable");
            }
            for (int i = 0; i < 10; i++) {
                var posted = fixture.client.send(HttpRequest.newBuilder(fixture.uri("/echo"))
                        .POST(HttpRequest.BodyPublishers.ofString("order " + i)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(posted.body()).isEqualTo("order " + i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> canary.requests.get() == 55);
            assertThat(stable.requests.get()).isEqualTo(110);
            assertThat(fixture.metrics()).contains("ramp_gateway_mirrored_requests_total{route=\"shop\"} 55.0",
                    "ramp_gateway_requests_total{arm=\"canary\",route=\"shop\"} 0.0");
        }
    }

    @Test
    void mirror_toAFailingCandidate_neverFailsTheRealRequest() throws Exception {
        try (var stable = new Backend("stable"); var fixture = new GatewayFixture()) {
            var canary = new Backend("canary");
            canary.close();
            fixture.serve(mirrored(stable, canary, 100));
            for (int i = 0; i < 50; i++) {
                var response = fixture.get("/");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(GatewayFixture.arm(response)).isEqualTo("stable");
            }
        }
    }
}
