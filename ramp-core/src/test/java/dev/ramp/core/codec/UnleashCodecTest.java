package dev.ramp.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.DeltaEvent;
import dev.ramp.core.flag.Dependency;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Operator;
import dev.ramp.core.flag.Payload;
import dev.ramp.core.flag.Segment;
import dev.ramp.core.flag.StandardOperator;
import dev.ramp.core.flag.Strategy;
import dev.ramp.core.flag.UnknownOperator;
import dev.ramp.core.flag.Variant;
import dev.ramp.core.flag.VariantOverride;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnleashCodecTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]                                                   | ''                                   | expected an object, got an array",
            "{}                                                   | features                             | is required",
            "{\"features\": {}}                                   | features                             | expected an array, got an object",
            "{\"features\": [{\"enabled\": true}]}                | features[0].name                     | is required",
            "{\"features\": [{\"name\": 5}]}                       | features[0].name                     | expected a string, got a number",
            "{\"features\": [{\"name\": \"f\", \"enabled\": \"yes\"}]} | features[0].enabled             | expected true or false, got a string",
            "{\"features\": [{\"name\": \"f\", \"strategies\": [{\"name\": \"default\", \"parameters\": {\"rollout\": [1]}}]}]} | features[0].strategies[0].parameters.rollout | expected a string, got an array",
            "{\"features\": [{\"name\": \"f\", \"variants\": [{\"name\": \"v\", \"weight\": -1}]}]} | features[0].variants[0] | variant.weight must be >= 0, was -1",
            "{\"features\": [{\"name\": \"f\", \"variants\": [{\"name\": \"v\", \"weight\": 1.5}]}]} | features[0].variants[0].weight | expected a 32-bit integer, got a number",
            "{\"features\": [{\"name\": \"f\"}, {\"name\": \"f\"}]}  | ''                                  | duplicate flag name 'f'",
            "{\"version\": 0, \"features\": []}                    | version                              | must be >= 1",
            "{\"features\": [], \"segments\": [{\"id\": \"x\"}]}   | segments[0].id                       | expected a 32-bit integer, got a string",
            "{\"features\": [{\"name\": \"f\", \"strategies\": [{\"name\": \"default\", \"constraints\": [{\"contextName\": \"userId\"}]}]}]} | features[0].strategies[0].constraints[0].operator | is required",
    })
    void decodeFeatures_badDocuments_nameThePathAndTheReason(String json, String path, String reason) {
        assertThatThrownBy(() -> UnleashCodec.decodeFeatures(json))
                .isInstanceOfSatisfying(CodecException.class, e -> assertThat(e.path()).isEqualTo(path))
                .hasMessageContaining(reason);
    }

    @Test
    void decodeFeatures_notJson_isACodecException() {
        assertThatThrownBy(() -> UnleashCodec.decodeFeatures("{\"features\": [")).isInstanceOf(CodecException.class)
                .hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> UnleashCodec.decodeFeatures("")).isInstanceOf(CodecException.class).hasMessage("empty document");
        assertThatThrownBy(() -> UnleashCodec.decodeFeatures(new byte[] {(byte) 0xff})).isInstanceOf(CodecException.class);
    }

    @Test
    void decodeFeatures_unknownFieldsAndNumericParameters_areTolerated() {
        String json = """
                {"version": 2, "query": {"environment": "production"}, "meta": {"revisionId": 7},
                 "features": [{"name": "f", "enabled": true, "createdAt": "2024-01-01", "strategies": [
                   {"name": "flexibleRollout", "id": "abc", "parameters": {"rollout": 50, "groupId": "f", "sticky": true}}]}]}
                """;
        Flag flag = UnleashCodec.decodeFeatures(json).snapshot().flags().get(0);
        assertThat(flag.strategies().get(0).parameters()).containsEntry("rollout", "50").containsEntry("sticky", "true");
    }

    @Test
    void encodeThenDecode_everyModelField_survives() {
        Variant variant = new Variant("blue", 600, Payload.of("json", "{\"a\":1}"), "tenant",
                List.of(new VariantOverride("userId", List.of("1", "2"))));
        Constraint constraint = new Constraint("version", StandardOperator.SEMVER_GTE, List.of(), "1.2.3", true, true);
        Strategy strategy = new Strategy("flexibleRollout", Map.of("rollout", "25", "stickiness", "tenant", "groupId", "g"),
                List.of(constraint, Constraint.of("x", Operator.parse("FUTURE_OP"), List.of("y"))), List.of(3),
                List.of(Variant.of("s", 1)));
        Flag flag = new Flag("checkout.v2 🚀", "new checkout", "release", "shop", true, true, true,
                List.of(strategy), List.of(variant), List.of(new Dependency("parent", false, List.of("on"))), List.of(3));
        var features = new ClientFeatures(2, new FlagSnapshot(List.of(flag, Flag.of("parent", false, List.of())),
                List.of(new Segment(3, "beta", List.of(constraint)))));

        ClientFeatures decoded = UnleashCodec.decodeFeatures(UnleashCodec.encodeFeatures(features));

        assertThat(decoded).isEqualTo(features);
        assertThat(decoded.snapshot().flags().get(0).strategies().get(0).constraints().get(1).operator())
                .isEqualTo(new UnknownOperator("FUTURE_OP"));
    }

    @Test
    void decodeDelta_everyEventType_appliesInOrder() {
        String json = """
                {"events": [
                  {"eventId": 1, "type": "hydration", "features": [{"name": "a", "enabled": true}], "segments": [{"id": 1, "constraints": []}]},
                  {"eventId": 2, "type": "feature-updated", "feature": {"name": "b", "enabled": true}},
                  {"eventId": 3, "type": "feature-updated", "feature": {"name": "a", "enabled": false}},
                  {"eventId": 4, "type": "feature-removed", "featureName": "b", "project": "default"},
                  {"eventId": 5, "type": "segment-updated", "segment": {"id": 2, "name": "new", "constraints": []}},
                  {"eventId": 6, "type": "segment-removed", "segmentId": 1}
                ]}
                """;
        List<DeltaEvent> events = UnleashCodec.decodeDelta(json);
        FlagSnapshot snapshot = FlagSnapshot.empty().apply(events);

        assertThat(events).extracting(DeltaEvent::eventId).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(snapshot.flags()).extracting(Flag::name, Flag::enabled).containsExactly(org.assertj.core.groups.Tuple.tuple("a", false));
        assertThat(snapshot.segments()).extracting(Segment::id).containsExactly(2);
        assertThat(UnleashCodec.decodeDelta(UnleashCodec.encodeDelta(events))).isEqualTo(events);
        assertThat(UnleashCodec.decodeEvent(UnleashCodec.encodeEvent(events.get(5)))).isEqualTo(events.get(5));
    }

    @Test
    void decodeEvent_unknownType_namesTheAllowedTypes() {
        assertThatThrownBy(() -> UnleashCodec.decodeEvent("{\"eventId\": 1, \"type\": \"feature-renamed\"}"))
                .isInstanceOfSatisfying(CodecException.class, e -> assertThat(e.path()).isEqualTo("type"))
                .hasMessageContaining("unknown event type 'feature-renamed'").hasMessageContaining("segment-removed");
    }
}
