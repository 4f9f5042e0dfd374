package dev.ramp.server.release;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ramp.analysis.Counts;
import dev.ramp.analysis.Moments;
import dev.ramp.analysis.SequentialGuardrail;
import dev.ramp.analysis.Summary;
import dev.ramp.server.model.Json;

/**
 * The sequential judge's state as the text a release's run keeps between measurements ({@code ""} before the first):
 * JSON, with each summary tagged {@code counts} or {@code moments} and NaN kept as the bare token.
 */
final class JudgeStates {
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({@JsonSubTypes.Type(value = Counts.class, name = "counts"),
            @JsonSubTypes.Type(value = Moments.class, name = "moments")})
    private interface Tagged {}

    private static final JsonMapper MAPPER = Json.keepingNaN().addMixIn(Summary.class, Tagged.class).build();

    private JudgeStates() {}

    static String write(SequentialGuardrail.State state) {
        try {
            return MAPPER.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the judge's state", e);
        }
    }

    /** The state {@code text} holds, or {@code judge}'s start when it is empty. */
    static SequentialGuardrail.State read(String text, SequentialGuardrail judge) {
        if (text.isEmpty()) {
            return (SequentialGuardrail.State) judge.start();
        }
        try {
            return MAPPER.readValue(text, SequentialGuardrail.State.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored judge state does not read back: " + e.getOriginalMessage(), e);
        }
    }
}
