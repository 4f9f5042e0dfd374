package dev.ramp.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.core.route.RouteDefinition;
import dev.ramp.server.model.EnvironmentDefinition;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.Json;
import dev.ramp.server.model.SegmentDefinition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A resource written into a change as the audit log keeps it reads back as exactly that resource. */
class ChangeDocumentsTest {
    private static final Instant CREATED = Instant.parse("2026-12-01T10:00:00.123Z");
    private static final Instant UPDATED = Instant.parse("2026-12-02T11:30:00.456Z");

    @Test
    void aFlagWithEveryKindOfSetting_readsBackEqual() throws Exception {
        FlagDefinition definition = Json.mapper().readValue("""
                {"key":"checkout","description":"the new checkout","type":"release","project":"shop","impressionData":true,
                 "dependencies":[{"feature":"payments","enabled":true,"variants":["new"]}],
                 "environments":{"production":{"enabled":true,
                   "strategies":[{"id":"s-1","name":"flexibleRollout","parameters":{"rollout":"25","stickiness":"default","groupId":"checkout"},
                     "constraints":[{"contextName":"country","operator":"IN","values":["CH","DE"],"caseInsensitive":true}],
                     "segments":[3]}],
                   "variants":[{"name":"blue","weight":500,"stickiness":"default"},
                     {"name":"green","weight":500,"payload":{"type":"json","value":"{\\"a\\":1}"}}]}}}""", FlagDefinition.class);
        StoredFlag flag = new StoredFlag(definition, true, 7, CREATED, UPDATED);

        assertThat(ChangeDocuments.flag(change(ResourceType.FLAG, "checkout", flag))).isEqualTo(flag);
    }

    @Test
    void aSegmentAnEnvironmentAndARoute_readBackEqual() throws Exception {
        StoredSegment segment = new StoredSegment(3, Json.mapper().readValue("""
                {"name":"beta","description":"testers","constraints":[{"contextName":"userId","operator":"IN","values":["1","2"]}]}""",
                SegmentDefinition.class), 2, CREATED, UPDATED);
        StoredEnvironment environment = new StoredEnvironment(new EnvironmentDefinition("staging", "before production"), 4,
                CREATED, UPDATED);
        StoredRoute route = new StoredRoute(Json.mapper().readValue("""
                {"kind":"Route","name":"checkout","match":{"pathPrefix":"/checkout","headers":{"x-beta":"1"}},"weight":15,
                 "arms":[{"name":"stable","upstreams":["127.0.0.1:9101"]},{"name":"canary","upstreams":["127.0.0.1:9102"]}]}""",
                RouteDefinition.class), 5, CREATED, UPDATED);

        assertThat(ChangeDocuments.segment(change(ResourceType.SEGMENT, "3", segment))).isEqualTo(segment);
        assertThat(ChangeDocuments.environment(change(ResourceType.ENVIRONMENT, "staging", environment))).isEqualTo(environment);
        assertThat(ChangeDocuments.route(change(ResourceType.ROUTE, "checkout", route))).isEqualTo(route);
    }

    @Test
    void anUnreadableDocument_isAStoreErrorNamingTheChange() {
        Change broken = new Change(41, UPDATED, "someone", ResourceType.FLAG, "checkout", "update", 2, "", "{\"key\":");

        assertThatThrownBy(() -> ChangeDocuments.flag(broken)).isInstanceOf(StoreException.class)
                .hasMessageContaining("change 41 (flag 'checkout') is not readable");
    }

    private static Change change(ResourceType type, String key, Object resource) {
        return new Change(12, UPDATED, "someone", type, key, "update", 1, "", Json.write(resource));
    }
}
