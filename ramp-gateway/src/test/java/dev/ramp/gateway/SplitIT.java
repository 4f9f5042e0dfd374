package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.route.RouteDefinition;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SplitIT {
    static Backend stable;
    static Backend canary;

    @BeforeAll
    static void backends() throws Exception {
        stable = new Backend("stable");
        canary = new Backend("canary");
    }

    @AfterAll
    static void stop() {
        stable.close();
        canary.close();
    }

    @Test
    void split_tenPercentByHeader_holdsWithinBinomialInterval_andAgreesWithFlagRolloutForEveryUnit() throws Exception {
        var features = UnleashCodec.decodeFeatures("""
                {"version": 2, "features": [{"name": "checkout-v2", "enabled": true, "strategies": [
                  {"name": "flexibleRollout", "parameters": {"rollout": "10", "groupId": "checkout", "stickiness": "userId"}}]}]}
                """);
        var flags = Evaluator.of(features.snapshot(), InstantSource.fixed(Instant.EPOCH), new SplittableRandom(1));
        try (var fixture = new GatewayFixture()) {
            fixture.serve(Routes.canary("checkout", stable.address(), canary.address(), 10, Routes.byHeader("X-User-Id")));
            int inCanary = 0;
            for (int i = 0; i < 10_000; i++) {
                String unit = "user-" + i;
                String arm = GatewayFixture.arm(fixture.get("/cart", "X-User-Id", unit));
                boolean flagOn = flags.isEnabled("checkout-v2", Context.ofUser(unit));
                assertThat(arm).as("unit %s", unit).isEqualTo(flagOn ? "canary" : "stable");
                inCanary += arm.equals("canary") ? 1 : 0;
            }
            // Binomial(10,000, 0.1): mean 1,000, sd 30; the two-sided 99.9% interval is 1,000 ± 3.29 sd.
            assertThat(inCanary).isBetween(901, 1099);
            assertThat(fixture.metrics()).contains("ramp_gateway_requested_percent{arm=\"canary\",route=\"checkout\"} 10.0");
        }
    }

    @Test
    void split_withoutKey_sendsExactlyTheWeightOfEveryHundredRequests() throws Exception {
        try (var fixture = new GatewayFixture()) {
            fixture.serve(Routes.canary("checkout", stable.address(), canary.address(), 25, null));
            int inCanary = 0;
            for (int i = 0; i < 400; i++) {
                inCanary += GatewayFixture.arm(fixture.get("/")).equals("canary") ? 1 : 0;
            }
            assertThat(inCanary).isEqualTo(100);
            assertThat(fixture.metrics()).contains("ramp_gateway_observed_percent{arm=\"canary\",route=\"checkout\"} 25.0");
        }
    }

    @Test
    void unit_staysInItsArm_andRaisingTheWeightNeverMovesItOut() throws Exception {
        try (var fixture = new GatewayFixture()) {
            fixture.serve(Routes.canary("checkout", stable.address(), canary.address(), 20, Routes.byHeader("X-User-Id")));
            var before = new java.util.HashMap<String, String>();
            for (int i = 0; i < 300; i++) {
                String unit = "u" + i;
                String first = GatewayFixture.arm(fixture.get("/", "X-User-Id", unit));
                assertThat(GatewayFixture.arm(fixture.get("/", "X-User-Id", unit))).isEqualTo(first);
                before.put(unit, first);
            }
            fixture.serve(Routes.canary("checkout", stable.address(), canary.address(), 50, Routes.byHeader("X-User-Id")));
            for (var unit : before.entrySet()) {
                if (unit.getValue().equals("canary")) {
                    assertThat(GatewayFixture.arm(fixture.get("/", "X-User-Id", unit.getKey()))).isEqualTo("canary");
                }
            }
        }
    }

    @Test
    void split_byCookieAndByClientIp_isSticky() throws Exception {
        try (var fixture = new GatewayFixture()) {
            var byCookie = new RouteDefinition.Sticky("cookie", "uid", "shop");
            fixture.serve(Routes.canary("checkout", stable.address(), canary.address(), 50, byCookie));
            for (int i = 0; i < 50; i++) {
                String cookie = "uid=user-" + i;
                String first = GatewayFixture.arm(fixture.get("/", "Cookie", cookie));
                assertThat(GatewayFixture.arm(fixture.get("/", "Cookie", "a=b; " + cookie))).isEqualTo(first);
                boolean expected = dev.ramp.core.route.TrafficSplit.of("shop", 50).isCandidate("user-" + i);
                assertThat(first).isEqualTo(expected ? "canary" : "stable");
            }
            fixture.serve(Routes.canary("checkout", stable.address(), canary.address(), 50, new RouteDefinition.Sticky("clientIp", null, null)));
            boolean loopbackInCanary = dev.ramp.core.route.TrafficSplit.of("checkout", 50).isCandidate("127.0.0.1");
            for (int i = 0; i < 10; i++) {
                assertThat(GatewayFixture.arm(fixture.get("/"))).isEqualTo(loopbackInCanary ? "canary" : "stable");
            }
        }
    }

    @Test
    void override_headerOrCookie_forcesTheArm_evenAtWeightZero() throws Exception {
        try (var fixture = new GatewayFixture()) {
            fixture.serve(Routes.canary("checkout", stable.address(), canary.address(), 0, Routes.byHeader("X-User-Id")));
            for (int i = 0; i < 20; i++) {
                assertThat(GatewayFixture.arm(fixture.get("/", "X-User-Id", "u" + i))).isEqualTo("stable");
                assertThat(GatewayFixture.arm(fixture.get("/", "X-User-Id", "u" + i, "X-Ramp-Arm", "canary"))).isEqualTo("canary");
                assertThat(GatewayFixture.arm(fixture.get("/", "Cookie", "ramp-arm=canary"))).isEqualTo("canary");
            }
            assertThat(GatewayFixture.arm(fixture.get("/", "X-Ramp-Arm", "no-such-arm"))).isEqualTo("stable");
        }
    }

    @Test
    void override_turnedOff_isIgnored() throws Exception {
        try (var fixture = new GatewayFixture()) {
            var base = Routes.canary("checkout", stable.address(), canary.address(), 0, null);
            fixture.serve(new RouteDefinition(base.name(), base.match(), null, base.arms(), 0, null, null,
                    new RouteDefinition.Override("", ""), null, null, null, null, null, null));
            assertThat(GatewayFixture.arm(fixture.get("/", "X-Ramp-Arm", "canary"))).isEqualTo("stable");
            assertThat(GatewayFixture.arm(fixture.get("/", "Cookie", "ramp-arm=canary"))).isEqualTo("stable");
        }
    }

    @Test
    void pin_setsACookie_thatKeepsTheSession_whileItsArmTakesTraffic() throws Exception {
        try (var fixture = new GatewayFixture()) {
            var base = Routes.canary("checkout", stable.address(), canary.address(), 100, null);
            var pinned = new RouteDefinition(base.name(), base.match(), null, base.arms(), 100, null, null, null,
                    new RouteDefinition.Pin("ramp-pin", "10m"), null, null, null, null, null);
            fixture.serve(pinned);
            var first = fixture.get("/");
            assertThat(GatewayFixture.arm(first)).isEqualTo("canary");
            String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("ramp-pin=canary").contains("Max-Age=600").containsIgnoringCase("HttpOnly").contains("SameSite=Lax");

            fixture.serve(pinned.withWeight(50));
            for (int i = 0; i < 20; i++) {
                var again = fixture.get("/", "Cookie", "ramp-pin=canary");
                assertThat(GatewayFixture.arm(again)).isEqualTo("canary");
                assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
            }
            // Rolled back: the pinned sessions leave the canary with everyone else.
            fixture.serve(pinned.withWeight(0));
            assertThat(GatewayFixture.arm(fixture.get("/", "Cookie", "ramp-pin=canary"))).isEqualTo("stable");
        }
    }

    @Test
    void routes_matchByHostPathAndHeader_mostSpecificFirst() throws Exception {
        try (var v3 = new Backend("v3"); var fixture = new GatewayFixture()) {
            var any = Routes.canary("any", stable.address(), canary.address(), 0, null);
            var api = new RouteDefinition("api", new RouteDefinition.Match("shop.example.com", "/api", Map.of()), null,
                    List.of(new RouteDefinition.Arm("v3", List.of(v3.address()), null), new RouteDefinition.Arm("other", List.of(canary.address()), null)),
                    0, null, null, null, null, null, null, null, null, null);
            var beta = new RouteDefinition("beta", new RouteDefinition.Match("shop.example.com", "/api", Map.of("X-Beta", "1")), null,
                    List.of(new RouteDefinition.Arm("c", List.of(canary.address()), null), new RouteDefinition.Arm("d", List.of(stable.address()), null)),
                    0, null, null, null, null, null, null, null, null, null);
            fixture.serve(any, api, beta);
            assertThat(GatewayFixture.arm(fixture.get("/api/orders", "Host", "shop.example.com"))).isEqualTo("v3");
            assertThat(GatewayFixture.arm(fixture.get("/api", "Host", "SHOP.example.com:8080"))).isEqualTo("v3");
            assertThat(GatewayFixture.arm(fixture.get("/apix", "Host", "shop.example.com"))).isEqualTo("stable");
            assertThat(GatewayFixture.arm(fixture.get("/api/x", "Host", "shop.example.com", "X-Beta", "1"))).isEqualTo("canary");
            assertThat(GatewayFixture.arm(fixture.get("/api/x", "Host", "other.example.com"))).isEqualTo("stable");
        }
    }

    @Test
    void noRoute_is404_namingHostAndPath() throws Exception {
        try (var fixture = new GatewayFixture()) {
            var response = fixture.get("/x");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).startsWith("404 Not Found: no route takes host '127.0.0.1' and path '/x'");
        }
    }
}
