package dev.ramp.cli.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * How one of the demo's releases ended.
 *
 * @param name              the release
 * @param target            its target, as in the release document
 * @param outcome           {@code promoted} or {@code rolled_back}
 * @param expected          the outcome the story expects
 * @param secondsToDecision from the release's start to the timeline entry that ended it
 * @param decision          that entry's message
 * @param evidence          the per-metric results of the measurement that decided it, as on the timeline
 * @param evidenceText      the same for people: each metric's estimate on stable and on the canary
 */
public record Verdict(String name, JsonNode target, String outcome, String expected, double secondsToDecision,
                      String decision, List<JsonNode> evidence, String evidenceText) {
    public static final String PROMOTED = "promoted";
    public static final String ROLLED_BACK = "rolled_back";

    public Verdict {
        evidence = List.copyOf(evidence);
    }

    @JsonProperty("asExpected")
    public boolean asExpected() {
        return outcome.equals(expected);
    }
}
