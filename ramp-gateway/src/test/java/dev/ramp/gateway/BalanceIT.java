package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.core.route.RouteDefinition;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BalanceIT {

    static RouteDefinition pool(String balance, Backend... upstreams) {
        var addresses = java.util.Arrays.stream(upstreams).map(Backend::address).toList();
        return new RouteDefinition("shop", new RouteDefinition.Match(null, null, Map.of()), null,
                List.of(new RouteDefinition.Arm("stable", addresses, balance), new RouteDefinition.Arm("canary", addresses, balance)),
                0, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void roundRobin_takesTurns() throws Exception {
        try (var a = new Backend("a"); var b = new Backend("b"); var c = new Backend("c"); var fixture = new GatewayFixture()) {
            fixture.serve(pool(null, a, b, c));
            for (int i = 0; i < 30; i++) {
                fixture.get("/");
            }
            assertThat(List.of(a.requests.get(), b.requests.get(), c.requests.get())).containsExactly(10, 10, 10);
        }
    }

    @Test
    void leastOutstanding_avoidsTheUpstreamThatIsStillBusy() throws Exception {
        try (var slow = new Backend("slow"); var quick = new Backend("quick"); var fixture = new GatewayFixture()) {
            fixture.serve(pool("least-outstanding", slow, quick));
            slow.hold = new CountDownLatch(1);
            quick.hold = new CountDownLatch(1);
            var held = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            // One request on each; then the slow one keeps its request while the quick one answers.
            held.add(fixture.client.sendAsync(HttpRequest.newBuilder(fixture.uri("/hold")).build(), HttpResponse.BodyHandlers.ofString()));
            held.add(fixture.client.sendAsync(HttpRequest.newBuilder(fixture.uri("/hold")).build(), HttpResponse.BodyHandlers.ofString()));
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.inFlight.get() == 1 && quick.inFlight.get() == 1);
            quick.hold.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> quick.inFlight.get() == 0);
            for (int i = 0; i < 20; i++) {
                assertThat(GatewayFixture.arm(fixture.get("/"))).isEqualTo("quick");
            }
            slow.hold.countDown();
            for (var response : held) {
                assertThat(response.get().statusCode()).isEqualTo(200);
            }
        }
    }
}
