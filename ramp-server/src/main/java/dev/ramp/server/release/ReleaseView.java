package dev.ramp.server.release;

import dev.ramp.core.release.ReleaseDefinition;
import dev.ramp.core.release.ReleaseMachine;
import dev.ramp.core.release.ReleasePlan;
import dev.ramp.core.release.ReleaseState;
import dev.ramp.server.store.StoredRelease;
import java.time.Instant;
import java.util.List;

/**
 * A release as the API shows it: where it is, in words and numbers, with its document.
 *
 * @param name        the release's name
 * @param version     grows with every decision; the {@code ETag}
 * @param phase       {@code progressing}, {@code paused}, {@code promoted} or {@code rolled-back}
 * @param strategy    {@code canary} or {@code blueGreen}
 * @param step        the current step's index in {@code steps}; {@code steps.size()} once promoted
 * @param steps       every step of the plan, as the timeline writes them
 * @param weight      the new version's share now, in percent
 * @param attempt     1, and one more for each retry
 * @param stableArm   the arm that served before the release
 * @param canaryArm   the new version's arm
 * @param message     the latest decision
 * @param analyses    the analyses running now
 * @param pending     actions decided and not yet carried out (normally none)
 */
public record ReleaseView(String name, long version, String phase, String strategy, ReleaseDefinition.Target target,
                          int step, List<String> steps, int weight, int attempt, String stableArm, String canaryArm,
                          String message, List<RunView> analyses, int pending, Instant createdAt, Instant updatedAt,
                          ReleaseDefinition definition) {

    /** An analysis running now: its measurements so far, and where it stands against its limits. */
    public record RunView(String analysis, boolean background, int measurements, int passes, int failures,
                          int inconclusive, int errors, int noData, Instant measuredUntil) {}

    public static ReleaseView of(StoredRelease release) {
        ReleaseState state = release.state();
        ReleasePlan plan = ReleasePlan.of(release.definition());
        return new ReleaseView(release.name(), release.version(), ReleaseMachine.wire(state.phase()),
                release.definition().isBlueGreen() ? "blueGreen" : "canary", release.definition().target(),
                state.step(), plan.steps().stream().map(ReleasePlan.Step::describe).toList(), state.weight(),
                state.attempt(), state.stableArm(), state.canaryArm(), state.message(),
                state.runs().stream().map(run -> new RunView(run.analysis(), run.background(), run.measurements(),
                        run.passes(), run.failures(), run.inconclusive(), run.errors(), run.noData(),
                        run.measuredUntil())).toList(),
                state.pending().size(), release.createdAt(), release.updatedAt(), release.definition());
    }
}
