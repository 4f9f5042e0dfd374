package dev.ramp.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RouteDefinition canary(int weight) {
        return new RouteDefinition("checkout", new RouteDefinition.Match("shop.example.com", "/checkout", Map.of()), null,
                List.of(new RouteDefinition.Arm("stable", List.of("127.0.0.1:9101"), null),
                        new RouteDefinition.Arm("canary", List.of("127.0.0.1:9102"), "least-outstanding")),
                weight, null, new RouteDefinition.Sticky("header", "X-User-Id", null), null, null, null, null, null, null, null);
    }

    @Test
    void route_complete_hasNoProblems_andDefaultsAreFilledIn() {
        var route = canary(10);
        assertThat(RouteCheck.route(route)).isEmpty();
        assertThat(route.override().header()).isEqualTo("X-Ramp-Arm");
        assertThat(route.fallback()).isEqualTo("other-arm");
        assertThat(route.ejection().consecutiveFailures()).isEqualTo(5);
        assertThat(route.candidatePercent()).isEqualTo(10);
    }

    @Test
    void route_readFromJson_withOnlyTheRequiredFields() throws Exception {
        var route = JSON.readValue("""
                {"kind": "Route", "name": "api", "arms": [{"name": "blue", "upstreams": ["10.0.0.1:80"]},
                 {"name": "green", "upstreams": ["10.0.0.2:80", "[::1]:8080"]}], "strategy": "blueGreen", "active": "green"}
                """, RouteDefinition.class);
        assertThat(RouteCheck.route(route)).isEmpty();
        assertThat(route.candidatePercent()).isEqualTo(100);
        assertThat(route.match().pathPrefix()).isEqualTo("/");
        assertThat(route.withActive("blue").candidatePercent()).isZero();
    }

    @Test
    void route_writtenAsJson_readsBackStrictlyAsTheSameRoute() throws Exception {
        var strict = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        var blueGreen = new RouteDefinition("api", null, "blueGreen", canary(0).arms(), null, "canary", null, null, null,
                null, null, null, null, null);
        for (var route : List.of(canary(25), blueGreen)) {
            assertThat(strict.readValue(JSON.writeValueAsString(route), RouteDefinition.class)).isEqualTo(route);
        }
    }

    @Test
    void route_withEveryFieldWrong_namesEachField() {
        var route = new RouteDefinition("Bad Name", new RouteDefinition.Match("exa mple", "api", Map.of("bad header", "x")),
                "linear", List.of(new RouteDefinition.Arm("stable", List.of("nohost", "127.0.0.1:70000"), "random")),
                101, "green", new RouteDefinition.Sticky("header", "", null), new RouteDefinition.Override("X Arm", null),
                new RouteDefinition.Pin("pin", "forever"), new RouteDefinition.Preview("preview", null), -1, "retry",
                new RouteDefinition.Health("healthz", "0s", null, 0, null), new RouteDefinition.Ejection(-1, "10s", "5s"));
        assertThat(RouteCheck.route(route)).extracting(RouteCheck.Problem::field).containsExactlyInAnyOrder(
                "name", "match.host", "match.pathPrefix", "match.headers", "strategy", "arms", "arms[0].upstreams[0]",
                "arms[0].upstreams[1]", "arms[0].balance", "weight", "active", "preview", "sticky.name",
                "override.header", "pin.maxAge", "mirror", "fallback", "health.path", "health.interval",
                "health.unhealthyAfter", "ejection.consecutiveFailures", "ejection.maxTime");
    }

    @Test
    void route_blueGreenWithWeight_isRefused() {
        var route = canary(10);
        var blueGreen = new RouteDefinition(route.name(), route.match(), "blueGreen", route.arms(), 10, "nope",
                null, null, null, null, null, null, null, null);
        assertThat(RouteCheck.route(blueGreen)).extracting(RouteCheck.Problem::field).containsExactly("weight", "active");
    }

    @Test
    void table_sameNameOrSameMatch_isRefused() {
        var route = canary(10);
        var twin = new RouteDefinition("checkout-2", route.match(), null, route.arms(), 0, null, null, null, null, null, null, null, null, null);
        assertThat(RouteCheck.table(List.of(route, route, twin)))
                .extracting(RouteCheck.Problem::toString)
                .containsExactly("routes[1].name: 'checkout' is also the name of routes[0]",
                        "routes[1].match: routes[0] matches the same requests; one of them would never be used",
                        "routes[2].match: routes[0] matches the same requests; one of them would never be used");
    }
}
