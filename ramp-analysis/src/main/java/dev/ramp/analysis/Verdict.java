package dev.ramp.analysis;

import java.util.List;
import java.util.Objects;

/**
 * A judge's conclusion after one look, with the evidence for each metric.
 *
 * @param outcome the overall outcome. The sequential guardrail and the threshold judge fail if any metric fails and
 *     pass if every metric passes; the Mann-Whitney judge decides on its score, as Kayenta does
 * @param reason one sentence for people, naming the deciding metric
 * @param evidence per metric, in the order the judge was configured, then the split check
 */
public record Verdict(Outcome outcome, String reason, List<Evidence> evidence) {

    public Verdict {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        evidence = List.copyOf(evidence);
    }
}
