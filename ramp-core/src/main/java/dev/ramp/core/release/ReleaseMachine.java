package dev.ramp.core.release;

import dev.ramp.core.release.Measurement.Outcome;
import dev.ramp.core.release.Observation.Command;
import dev.ramp.core.release.ReleasePlan.AnalysisPlan;
import dev.ramp.core.release.ReleasePlan.Step;
import dev.ramp.core.release.ReleaseState.Phase;
import dev.ramp.core.release.ReleaseState.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The release state machine: {@code next(plan, state, observation, now)} gives the next state, the actions to carry
 * out and the timeline entries, and nothing else; it reads no clock and does no I/O, so the server can persist each
 * decision before acting on it, and a test can replay a release second by second on a fake clock.
 *
 * <p>How a release moves:
 * <ul>
 *   <li>{@link #start} enters the first step. A {@code setWeight} or {@code switch} step acts and ends at once; a
 *       pause ends when its time is up (or, until promoted, when promoted); an analysis step ends when its analysis
 *       has passed {@code count} measurements; a gate ends when its hook answers 2xx, asked every
 *       {@link #GATE_RETRY} until then. When the last step ends the release is promoted.</li>
 *   <li>Analyses are measured over consecutive intervals, each {@link #SETTLE} after it ends so that every
 *       gateway's report of its last second has arrived ({@link #due}). A failed measurement beyond the analysis's
 *       {@code failureLimit}, or more inconclusive, erroneous or empty measurements in a row than their limits allow,
 *       rolls the release back: a canary route's weight goes to 0, a blue/green route switches back, a flag's
 *       rollout returns to where it was.</li>
 *   <li>The background analysis runs while the new version has some but not all of the traffic (0 &lt; weight &lt;
 *       100): with no traffic on one arm there is nothing to compare.</li>
 *   <li>By hand: promote (end the current step), promote fully, abort, pause and resume, retry a rolled-back release,
 *       undo a promoted one ({@link Observation.Command}); {@link #refusal} says when a command does not apply.</li>
 * </ul>
 *
 * <p>Idempotence: a measurement is taken for the interval right after the run's last one, and one of any other
 * interval is ignored; so a measurement reported twice (the server crashed after storing the decision but before
 * knowing it had) counts once. Actions are put in {@link ReleaseState#pending()} with the state that decided them,
 * and each can be carried out twice without effect.
 */
public final class ReleaseMachine {
    /** How long after an interval ends it is measured. */
    public static final Duration SETTLE = Duration.ofSeconds(2);
    /** How often a closed gate is asked again. */
    public static final Duration GATE_RETRY = Duration.ofSeconds(10);

    private ReleaseMachine() {}

    /**
     * Starts {@code plan} with the target at {@code baseline} percent for the new version.
     *
     * @param stableArm the arm serving before the release
     * @param canaryArm the new version's arm
     * @param attempt   1 for a new release; one more than the last for a release started again with a new document,
     *                  so that its hooks' delivery ids are new too
     */
    public static Decision start(ReleasePlan plan, int baseline, String stableArm, String canaryArm, String actor,
                                 int attempt, Instant now) {
        ReleaseState fresh = new ReleaseState(Phase.PROGRESSING, attempt, 0, now, baseline, baseline, stableArm,
                canaryArm, List.of(), now, List.of(), 0, "started", now);
        Turn turn = new Turn(plan, fresh, now);
        turn.log("started", "started by " + actor + ": " + plan.steps().size() + " steps, "
                + (plan.definition().isBlueGreen() ? "blue/green" : "canary") + " from " + baseline + "%");
        turn.startBackground();
        turn.enter(0);
        return turn.decision();
    }

    /** What the server must do before the next decision: measurements and gate calls that are due at {@code now}. */
    public static List<Due> due(ReleasePlan plan, ReleaseState state, Instant now) {
        List<Due> due = new ArrayList<>();
        if (state.phase().ended()) {
            return due;
        }
        if (state.phase() == Phase.PROGRESSING) {
            state.stepRun().ifPresent(run -> measure(plan, state, run, now).ifPresent(due::add));
            if (current(plan, state) instanceof Step.Gate gate && !now.isBefore(state.nextGateCall())) {
                due.add(new Due.AskGate(gate.on()));
            }
        }
        if (state.weight() > 0 && state.weight() < 100) {
            state.backgroundRun().ifPresent(run -> measure(plan, state, run, now).ifPresent(due::add));
        }
        return due;
    }

    /** Why {@code command} does not apply to a release in {@code state}; empty when it does. */
    public static Optional<String> refusal(ReleaseState state, Command.Kind command) {
        Phase phase = state.phase();
        return Optional.ofNullable(switch (command) {
            case PROMOTE, PROMOTE_FULL, ABORT -> phase.ended() ? "the release has ended (" + wire(phase) + ")" : null;
            case PAUSE -> phase == Phase.PROGRESSING ? null : "only a progressing release can be paused; it is " + wire(phase);
            case RESUME -> phase == Phase.PAUSED ? null : "only a paused release can be resumed; it is " + wire(phase);
            case RETRY -> phase == Phase.ROLLED_BACK ? null : "only a rolled-back release can be retried; it is " + wire(phase);
            case UNDO -> phase == Phase.PROMOTED ? null
                    : "only a promoted release can be undone (abort one that runs); it is " + wire(phase);
        });
    }

    /** A phase as the API writes it: {@code progressing}, {@code paused}, {@code promoted}, {@code rolled-back}. */
    public static String wire(Phase phase) {
        return phase.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The next state after {@code observation} at {@code now}. */
    public static Decision next(ReleasePlan plan, ReleaseState state, Observation observation, Instant now) {
        Turn turn = new Turn(plan, state, now);
        if (observation instanceof Observation.Measured measured) {
            turn.measured(measured.background(), measured.measurement());
        } else if (observation instanceof Observation.GateAnswered answer) {
            turn.gate(answer);
        } else if (observation instanceof Command command) {
            turn.command(command);
        } else {
            turn.tick();
        }
        return turn.decision();
    }

    private static Optional<Due> measure(ReleasePlan plan, ReleaseState state, Run run, Instant now) {
        AnalysisPlan analysis = analysis(plan, state, run);
        Instant until = run.measuredUntil().plus(analysis.interval());
        if (now.isBefore(until.plus(SETTLE))) {
            return Optional.empty();
        }
        return Optional.of(new Due.Measure(run.background(), analysis, run.measuredUntil(), until, run.judgeState()));
    }

    /** The analysis {@code run} runs: the background one, or the current step's (a step's run lives in its step). */
    private static AnalysisPlan analysis(ReleasePlan plan, ReleaseState state, Run run) {
        if (run.background()) {
            return plan.background().orElseThrow();
        }
        return ((Step.Analyze) plan.steps().get(state.step())).analysis();
    }

    private static Step current(ReleasePlan plan, ReleaseState state) {
        return state.step() < plan.steps().size() ? plan.steps().get(state.step()) : null;
    }

    /** One decision being made: the state as it changes, the actions and the entries. */
    private static final class Turn {
        private final ReleasePlan plan;
        private final Instant now;
        private final List<TimelineEntry> entries = new ArrayList<>();
        private final List<Action> actions = new ArrayList<>();
        private ReleaseState state;

        Turn(ReleasePlan plan, ReleaseState state, Instant now) {
            this.plan = plan;
            this.state = state;
            this.now = now;
        }

        Decision decision() {
            if (entries.isEmpty() && actions.isEmpty()) {
                return new Decision(state, List.of());
            }
            List<Action> pending = new ArrayList<>(state.pending());
            pending.addAll(actions);
            String message = entries.isEmpty() ? state.message() : entries.get(entries.size() - 1).message();
            return new Decision(new ReleaseState(state.phase(), state.attempt(), state.step(), state.stepStartedAt(),
                    state.weight(), state.baseline(), state.stableArm(), state.canaryArm(), state.runs(),
                    state.nextGateCall(), pending, state.decisions() + 1, message, now), entries);
        }

        void tick() {
            if (state.phase() != Phase.PROGRESSING) {
                return;
            }
            if (current(plan, state) instanceof Step.Pause pause
                    && !now.isBefore(state.stepStartedAt().plus(pause.duration()))) {
                log("step", "pause of " + dev.ramp.core.route.Durations.format(pause.duration()) + " ended");
                enter(state.step() + 1);
            }
        }

        void measured(boolean background, Measurement measurement) {
            Optional<Run> found = background ? state.backgroundRun() : state.stepRun();
            if (found.isEmpty() || state.phase().ended() || (!background && state.phase() != Phase.PROGRESSING)) {
                return;
            }
            Run run = found.get();
            AnalysisPlan analysis = analysis(plan, state, run);
            if (!measurement.since().equals(run.measuredUntil())
                    || !measurement.until().equals(run.measuredUntil().plus(analysis.interval()))) {
                return;
            }
            Outcome outcome = measurement.outcome();
            Run next = new Run(run.analysis(), run.background(), measurement.until(), run.measurements() + 1,
                    run.passes() + (outcome == Outcome.PASS ? 1 : 0),
                    run.failures() + (outcome == Outcome.FAIL ? 1 : 0),
                    outcome == Outcome.INCONCLUSIVE ? run.inconclusive() + 1 : held(outcome, run.inconclusive()),
                    outcome == Outcome.ERROR ? run.errors() + 1 : held(outcome, run.errors()),
                    outcome == Outcome.NO_DATA ? run.noData() + 1 : held(outcome, run.noData()),
                    outcome == Outcome.ERROR || outcome == Outcome.NO_DATA ? run.judgeState() : measurement.judgeState());
            state = state.withRun(next);
            entries.add(new TimelineEntry(now, "measurement", state.step(), "analysis " + run.analysis() + ", measurement "
                    + next.measurements() + " (" + measurement.since() + " to " + measurement.until() + "): "
                    + outcome + ": " + measurement.reason(), outcome.name(), measurement.evidence()));
            notifyEvent("measurement", entries.get(entries.size() - 1).message());
            Optional<String> failure = failure(analysis, next);
            if (failure.isPresent()) {
                String reason = "analysis " + run.analysis() + " failed: " + failure.get();
                entries.add(new TimelineEntry(now, "analysis", state.step(), reason, Outcome.FAIL.name(),
                        measurement.evidence()));
                notifyEvent("analysis", reason);
                rollBack(reason);
                return;
            }
            if (!background && next.passes() >= analysis.count()) {
                log("analysis", "analysis " + run.analysis() + " passed: " + next.passes() + " of " + next.measurements()
                        + " measurements passed");
                enter(state.step() + 1);
            }
        }

        void gate(Observation.GateAnswered answer) {
            if (state.phase() != Phase.PROGRESSING || !(current(plan, state) instanceof Step.Gate gate)
                    || !gate.on().equals(answer.on())) {
                return;
            }
            if (answer.open()) {
                log("gate", gate.on() + " opened: " + answer.detail());
                enter(state.step() + 1);
            } else {
                state = withGateCall(now.plus(GATE_RETRY));
                log("gate", "waiting for " + gate.on() + ": " + answer.detail() + "; asking again in "
                        + GATE_RETRY.toSeconds() + "s");
            }
        }

        void command(Command command) {
            if (refusal(state, command.kind()).isPresent()) {
                return;
            }
            String by = " by " + command.actor();
            switch (command.kind()) {
                case PROMOTE -> {
                    log("command", "promoted" + by + ": step " + (state.step() + 1) + " ("
                            + current(plan, state).describe() + ") ended");
                    state = withPhase(Phase.PROGRESSING);
                    enter(state.step() + 1);
                }
                case PROMOTE_FULL -> {
                    log("command", "fully promoted" + by + ": the steps left are skipped");
                    state = withPhase(Phase.PROGRESSING).withoutRun(false);
                    setWeight(100);
                    enter(plan.steps().size());
                }
                case ABORT -> rollBack("aborted" + by);
                case PAUSE -> {
                    state = withPhase(Phase.PAUSED);
                    log("paused", "paused" + by);
                }
                case RESUME -> {
                    state = withPhase(Phase.PROGRESSING);
                    state.stepRun().ifPresent(run -> state = state.withRun(run.from(now)));
                    log("resumed", "resumed" + by);
                }
                case RETRY -> {
                    state = new ReleaseState(Phase.PROGRESSING, state.attempt() + 1, 0, now, state.weight(),
                            state.baseline(), state.stableArm(), state.canaryArm(), List.of(), now, state.pending(),
                            state.decisions(), state.message(), state.updatedAt());
                    log("command", "retried" + by + ": attempt " + state.attempt());
                    startBackground();
                    enter(0);
                }
                case UNDO -> rollBack("undone" + by);
            }
        }

        /** Enters step {@code index}, and the steps after it that end at once. */
        void enter(int index) {
            state = state.withoutRun(false);
            for (int i = index; ; i++) {
                state = atStep(i);
                if (i >= plan.steps().size()) {
                    state = withPhase(Phase.PROMOTED).withRuns(List.of());
                    log("promoted", "promoted: the new version has " + state.weight() + "%");
                    notify(ReleaseDefinition.Hook.POST_PROMOTION, "promoted", "promoted");
                    return;
                }
                Step step = plan.steps().get(i);
                log("step", "step " + (i + 1) + " of " + plan.steps().size() + ": " + step.describe());
                notify(ReleaseDefinition.Hook.PRE_STEP, "step", step.describe());
                if (step instanceof Step.SetWeight weight) {
                    setWeight(weight.percent());
                } else if (step instanceof Step.Switch) {
                    setWeight(100);
                } else if (step instanceof Step.Analyze analyze) {
                    state = state.withRun(Run.start(analyze.analysis().name(), false, now));
                    return;
                } else if (step instanceof Step.Gate) {
                    state = withGateCall(now);
                    return;
                } else if (!(step instanceof Step.Pause pause && pause.duration().isZero())) {
                    return;
                }
            }
        }

        void startBackground() {
            plan.background().ifPresent(analysis -> state = state.withRun(Run.start(analysis.name(), true, now)));
        }

        void setWeight(int percent) {
            int before = state.weight();
            if (percent != before) {
                actions.add(new Action.SetWeight(percent));
                log("weight", plan.definition().isBlueGreen()
                        ? "switched to " + (percent == 100 ? state.canaryArm() : state.stableArm())
                        : "weight " + before + "% -> " + percent + "%");
            }
            state = withWeight(percent);
            boolean watched = before > 0 && before < 100;
            if (!watched && percent > 0 && percent < 100) {
                // The background analysis had nothing to compare; it starts watching from now.
                state.backgroundRun().ifPresent(run -> state = state.withRun(run.from(now)));
            }
        }

        void rollBack(String reason) {
            int to = plan.movesRoute() && !plan.definition().isBlueGreen() ? 0 : state.baseline();
            state = state.withRuns(List.of());
            setWeight(to);
            state = withPhase(Phase.ROLLED_BACK);
            log("rolled-back", "rolled back: " + reason);
            notify(ReleaseDefinition.Hook.ROLLBACK, "rolled-back", reason);
        }

        void log(String type, String message) {
            entries.add(new TimelineEntry(now, type, state.step(), message, "", List.of()));
            notifyEvent(type, message);
        }

        private void notifyEvent(String type, String message) {
            notify(ReleaseDefinition.Hook.EVENT, type, message);
        }

        private void notify(String on, String type, String message) {
            if (!plan.definition().hooks(on).isEmpty()) {
                actions.add(new Action.Notify(plan.definition().name() + "/" + state.attempt() + "/" + state.decisions()
                        + "/" + actions.size(), on, type, message));
            }
        }

        private ReleaseState atStep(int index) {
            return moved(state.phase(), index, now, state.weight(), state.nextGateCall());
        }

        private ReleaseState withPhase(Phase phase) {
            return moved(phase, state.step(), state.stepStartedAt(), state.weight(), state.nextGateCall());
        }

        private ReleaseState withWeight(int weight) {
            return moved(state.phase(), state.step(), state.stepStartedAt(), weight, state.nextGateCall());
        }

        private ReleaseState withGateCall(Instant at) {
            return moved(state.phase(), state.step(), state.stepStartedAt(), state.weight(), at);
        }

        /** The state with what a turn moves (phase, step, weight, gate call) replaced, and the rest kept. */
        private ReleaseState moved(Phase phase, int step, Instant stepStartedAt, int weight, Instant nextGateCall) {
            return new ReleaseState(phase, state.attempt(), step, stepStartedAt, weight, state.baseline(),
                    state.stableArm(), state.canaryArm(), state.runs(), nextGateCall, state.pending(),
                    state.decisions(), state.message(), state.updatedAt());
        }
    }

    /** A streak of held measurements ends with a pass or a fail, and goes on through other kinds of hold. */
    private static int held(Outcome outcome, int streak) {
        return outcome == Outcome.PASS || outcome == Outcome.FAIL ? 0 : streak;
    }

    /** Why a run has failed, if it has. */
    private static Optional<String> failure(AnalysisPlan analysis, Run run) {
        if (run.failures() > analysis.failureLimit()) {
            return Optional.of(run.failures() + " failed measurement" + (run.failures() == 1 ? "" : "s")
                    + ", more than its failureLimit (" + analysis.failureLimit() + ")");
        }
        if (run.inconclusive() > analysis.inconclusiveLimit()) {
            return Optional.of(run.inconclusive() + " inconclusive measurements in a row, more than its inconclusiveLimit ("
                    + analysis.inconclusiveLimit() + ")");
        }
        if (run.errors() > analysis.errorLimit()) {
            return Optional.of(run.errors() + " measurements in a row whose metric source failed, more than its"
                    + " errorLimit (" + analysis.errorLimit() + ")");
        }
        if (run.noData() > analysis.noDataLimit()) {
            return Optional.of(run.noData() + " measurements in a row without data, more than its noDataLimit ("
                    + analysis.noDataLimit() + ")");
        }
        return Optional.empty();
    }
}
