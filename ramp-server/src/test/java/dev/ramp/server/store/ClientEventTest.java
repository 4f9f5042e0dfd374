package dev.ramp.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientEventTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void new_copiesItsProperties() {
        Map<String, String> properties = new HashMap<>(Map.of("plan", "pro"));
        ClientEvent event = metric("purchase", 12.5, properties);
        properties.put("plan", "free");

        assertThat(event.properties()).containsExactly(Map.entry("plan", "pro"));
    }

    @Test
    void new_emptyNameOrUnfiniteValue_isRefusedNamingTheValue() {
        assertThatThrownBy(() -> metric("", 1, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'shop', '' and 'user-7'");
        assertThatThrownBy(() -> metric("purchase", Double.NaN, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> metric("purchase", Double.POSITIVE_INFINITY, Map.of()))
                .hasMessageContaining("Infinity");
    }

    @Test
    void new_exposureWithAValueOrProperties_andMetricWithAVariant_areRefused() {
        assertThatThrownBy(() -> new ClientEvent(0, "production", "shop", "", ClientEvent.Type.EXPOSURE, "checkout", "blue",
                "user-7", 2, Map.of(), T0, T0)).hasMessageContaining("value 1");
        assertThatThrownBy(() -> new ClientEvent(0, "production", "shop", "", ClientEvent.Type.EXPOSURE, "checkout", "blue",
                "user-7", 1, Map.of("plan", "pro"), T0, T0)).hasMessageContaining("no properties");
        assertThatThrownBy(() -> new ClientEvent(0, "production", "shop", "", ClientEvent.Type.METRIC, "purchase", "blue",
                "user-7", 1, Map.of(), T0, T0)).hasMessageContaining("'blue'");
    }

    @Test
    void type_parse_readsWireNamesOnly() {
        assertThat(ClientEvent.Type.parse("exposure")).contains(ClientEvent.Type.EXPOSURE);
        assertThat(ClientEvent.Type.parse("metric")).contains(ClientEvent.Type.METRIC);
        assertThat(ClientEvent.Type.parse("METRIC")).isEmpty();
    }

    private static ClientEvent metric(String name, double value, Map<String, String> properties) {
        return new ClientEvent(0, "production", "shop", "host-1", ClientEvent.Type.METRIC, name, "", "user-7", value,
                properties, T0, T0);
    }
}
