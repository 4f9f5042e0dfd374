package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.route.RouteDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlueGreenIT {

    static RouteDefinition blueGreen(Backend blue, Backend green, String active) {
        return new RouteDefinition("api", new RouteDefinition.Match(null, null, Map.of()), "blueGreen",
                List.of(new RouteDefinition.Arm("blue", List.of(blue.address()), null),
                        new RouteDefinition.Arm("green", List.of(green.address()), null)),
                null, active, null, null, null, new RouteDefinition.Preview("preview.example.com", "X-Ramp-Preview"),
                null, null, null, null);
    }

    @Test
    void switch_underLoad_dropsOrMisroutesNothing() throws Exception {
        try (var blue = new Backend("blue"); var green = new Backend("green"); var fixture = new GatewayFixture()) {
            fixture.serve(blueGreen(blue, green, "blue"));
            int switches = 0;
            try (var load = new Load(fixture.uri("/"), 8, 6000)) {
                String active = "blue";
                int nextSwitch = 200;
                while (load.done.get() < 5000) {
                    if (load.done.get() >= nextSwitch) {
                        active = active.equals("blue") ? "green" : "blue";
                        fixture.serve(blueGreen(blue, green, active));
                        switches++;
                        nextSwitch += 200;
                    } else {
                        Thread.onSpinWait();
                    }
                }
                fixture.serve(blueGreen(blue, green, "green"));
                load.finish();
                assertThat(load.failures).isEmpty();
                assertThat(load.answeredBy("blue") + load.answeredBy("green")).isGreaterThanOrEqualTo(6000);
                assertThat(load.answeredBy("blue")).isPositive();
                assertThat(load.answeredBy("green")).isPositive();
            }
            assertThat(switches).isGreaterThanOrEqualTo(20);
            for (int i = 0; i < 100; i++) {
                assertThat(GatewayFixture.arm(fixture.get("/"))).isEqualTo("green");
            }
        }
    }

    @Test
    void preview_byHostOrHeader_reachesTheInactiveArm() throws Exception {
        try (var blue = new Backend("blue"); var green = new Backend("green"); var fixture = new GatewayFixture()) {
            fixture.serve(blueGreen(blue, green, "blue"));
            assertThat(GatewayFixture.arm(fixture.get("/"))).isEqualTo("blue");
            assertThat(GatewayFixture.arm(fixture.get("/", "X-Ramp-Preview", "1"))).isEqualTo("green");
            assertThat(GatewayFixture.arm(fixture.get("/", "Host", "preview.example.com"))).isEqualTo("green");
            fixture.serve(blueGreen(blue, green, "green"));
            assertThat(GatewayFixture.arm(fixture.get("/"))).isEqualTo("green");
            assertThat(GatewayFixture.arm(fixture.get("/", "X-Ramp-Preview", "1"))).isEqualTo("blue");
            assertThat(fixture.metrics()).contains("ramp_gateway_requested_percent{arm=\"green\",route=\"api\"} 100.0");
        }
    }
}
