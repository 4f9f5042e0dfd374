package dev.ramp.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ramp.core.release.Measurement;
import dev.ramp.core.release.ReleaseState;
import java.util.List;

/**
 * How a release's state and its timeline's evidence are stored: JSON that keeps NaN (an estimate without data) as
 * the bare token {@code NaN}, which the API's stricter reader would refuse.
 */
final class ReleaseJson {
    static final TypeReference<ReleaseState> STATE = new TypeReference<>() {};
    static final TypeReference<List<Measurement.MetricResult>> EVIDENCE = new TypeReference<>() {};

    private static final JsonMapper MAPPER = dev.ramp.server.model.Json.keepingNaN().build();

    private ReleaseJson() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T read(String text, TypeReference<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored release does not read back: " + e.getOriginalMessage(), e, false);
        }
    }
}
