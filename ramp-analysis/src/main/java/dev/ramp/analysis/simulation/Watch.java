package dev.ramp.analysis.simulation;

import dev.ramp.analysis.Judge;
import java.util.Objects;

/**
 * How a judge watches a simulated canary: it is given one interval every {@code intervalSeconds}, and its verdict
 * counts (a FAIL is a rollback) every {@code decisionSeconds}.
 *
 * <p>Ramp's guardrail is given every second and decides every second. A threshold judge the Argo or Flagger way is
 * given the last minute and decides every minute. A Kayenta-style Mann-Whitney judge is given 10-second points and
 * decides every minute over all points so far.
 */
public record Watch(String name, Judge judge, int intervalSeconds, int decisionSeconds) {

    public Watch {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(judge, "judge");
        if (intervalSeconds < 1 || decisionSeconds < intervalSeconds || decisionSeconds % intervalSeconds != 0) {
            throw new IllegalArgumentException("a watch needs 1 <= intervalSeconds <= decisionSeconds, with decisions on "
                    + "interval ends; got intervals of " + intervalSeconds + " s and decisions every " + decisionSeconds + " s");
        }
    }
}
