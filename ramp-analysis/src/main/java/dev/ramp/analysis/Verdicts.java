package dev.ramp.analysis;

import java.util.List;

/** The rule every judge combines its metrics' outcomes by: any FAIL fails, all PASS passes, else inconclusive. */
final class Verdicts {

    private Verdicts() {}

    /**
     * @param passed the verdict's reason when everything passed
     */
    static Verdict of(List<Evidence> evidence, String passed) {
        for (Evidence item : evidence) {
            if (item.outcome() == Outcome.FAIL) {
                return new Verdict(Outcome.FAIL, item.reason(), evidence);
            }
        }
        for (Evidence item : evidence) {
            if (item.outcome() == Outcome.INCONCLUSIVE) {
                return new Verdict(Outcome.INCONCLUSIVE, item.reason(), evidence);
            }
        }
        return new Verdict(Outcome.PASS, passed, evidence);
    }
}
