package dev.ramp.core.release;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a release is: everything {@link ReleaseMachine#next} needs besides the plan, and all the server persists. A
 * plain record of values: the same state, plan, observation and time always give the same decision.
 *
 * @param phase         progressing, paused by hand, promoted or rolled back
 * @param attempt       1 for the first run of the plan, one more for each retry
 * @param step          the current step's index in the plan; the number of steps once promoted
 * @param stepStartedAt when the current step began
 * @param weight        the new version's share, in percent, as the release last set it (0 or 100 for blue/green)
 * @param baseline      the target's share when the release started, where a rollback of a flag or a blue/green
 *                      route returns (a canary route goes back to 0)
 * @param stableArm     the arm that served before the release (for a flag, {@code stable})
 * @param canaryArm     the arm of the new version (for a flag, {@code canary})
 * @param runs          the analyses running now: the current step's and the background one
 * @param nextGateCall  when to ask the current step's gate again (meaningless on other steps)
 * @param pending       actions decided but not yet carried out: the server applies them (each is idempotent) and
 *                      then stores the state {@link #applied()}
 * @param decisions     decisions made so far; action ids are built from it
 * @param message       the latest decision, for people
 * @param updatedAt     when the state last changed
 */
public record ReleaseState(
        Phase phase,
        int attempt,
        int step,
        Instant stepStartedAt,
        int weight,
        int baseline,
        String stableArm,
        String canaryArm,
        List<Run> runs,
        Instant nextGateCall,
        List<Action> pending,
        long decisions,
        String message,
        Instant updatedAt) {

    /** A release's phase. */
    public enum Phase {
        /** Going through its steps. */
        PROGRESSING,
        /** Paused by hand: no step ends; the background analysis keeps watching. */
        PAUSED,
        /** Every step passed: the new version serves all it was meant to. */
        PROMOTED,
        /** Aborted, failed or undone: the target is back where it was. */
        ROLLED_BACK;

        /** Whether the release has ended (it may still be retried or undone). */
        public boolean ended() {
            return this == PROMOTED || this == ROLLED_BACK;
        }
    }

    public ReleaseState {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(stepStartedAt, "stepStartedAt");
        Objects.requireNonNull(stableArm, "stableArm");
        Objects.requireNonNull(canaryArm, "canaryArm");
        runs = List.copyOf(runs);
        Objects.requireNonNull(nextGateCall, "nextGateCall");
        pending = List.copyOf(pending);
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The same state once its pending actions have been carried out. */
    public ReleaseState applied() {
        return withPending(List.of());
    }

    /** The same state with only {@code actions} left to carry out (the first ones done). */
    public ReleaseState withPending(List<Action> actions) {
        return new ReleaseState(phase, attempt, step, stepStartedAt, weight, baseline, stableArm, canaryArm, runs,
                nextGateCall, actions, decisions, message, updatedAt);
    }

    /** The running analysis of the current step. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Optional<Run> stepRun() {
        return runs.stream().filter(run -> !run.background()).findFirst();
    }

    /** The running background analysis. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Optional<Run> backgroundRun() {
        return runs.stream().filter(Run::background).findFirst();
    }

    ReleaseState withRun(Run run) {
        List<Run> next = new ArrayList<>(runs.stream().filter(other -> other.background() != run.background()).toList());
        next.add(run);
        next.sort(java.util.Comparator.comparing(Run::background));
        return withRuns(next);
    }

    ReleaseState withoutRun(boolean background) {
        return withRuns(runs.stream().filter(run -> run.background() != background).toList());
    }

    ReleaseState withRuns(List<Run> newRuns) {
        return new ReleaseState(phase, attempt, step, stepStartedAt, weight, baseline, stableArm, canaryArm, newRuns,
                nextGateCall, pending, decisions, message, updatedAt);
    }

    /**
     * An analysis that is running.
     *
     * @param analysis      its name in the plan
     * @param background    whether it is the background analysis (else the current step's)
     * @param measuredUntil the end of the last interval measured; the next is from here to here plus the interval
     * @param measurements  measurements taken
     * @param passes        of which passed
     * @param failures      of which failed
     * @param inconclusive  inconclusive measurements in a row
     * @param errors        measurements in a row whose metric source failed
     * @param noData        measurements in a row without data
     * @param judgeState    what the sequential judge remembers, opaque ({@code ""} before the first measurement)
     */
    public record Run(String analysis, boolean background, Instant measuredUntil, int measurements, int passes,
                      int failures, int inconclusive, int errors, int noData, String judgeState) {
        public Run {
            Objects.requireNonNull(analysis, "analysis");
            Objects.requireNonNull(measuredUntil, "measuredUntil");
            Objects.requireNonNull(judgeState, "judgeState");
        }

        /**
         * A run that measures from the second {@code now} is in: gateways report by the second, so whole-second
         * intervals take whole reports.
         */
        static Run start(String analysis, boolean background, Instant now) {
            return new Run(analysis, background, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), 0, 0, 0, 0, 0,
                    0, "");
        }

        /** The same run measuring from the second {@code now} is in, skipping the time before it. */
        Run from(Instant now) {
            return new Run(analysis, background, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), measurements,
                    passes, failures, inconclusive, errors, noData, judgeState);
        }
    }
}
