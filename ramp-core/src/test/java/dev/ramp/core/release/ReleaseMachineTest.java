package dev.ramp.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ramp.core.release.Measurement.Outcome;
import dev.ramp.core.release.Observation.Command;
import dev.ramp.core.release.ReleaseState.Phase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseMachineTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static final String CANARY = """
            name: checkout
            target: {route: checkout}
            canary:
              steps:
                - setWeight: 10
                - analysis: errors
                - setWeight: 50
                - pause: 30s
            analyses:
              errors:
                interval: 10s
                count: 2
                noDataLimit: 1
                metrics:
                  - {name: errors, source: gateway, measure: errorRate}
            hooks:
              - {on: rollback, url: "http://127.0.0.1:9/hook"}
            """;

    @Test
    void plan_stepWeights_expandIntoWeightsPausesAndAnalysesEndingAtFull() {
        ReleasePlan plan = plan("""
                name: shorthand
                target: {flag: checkout, environment: production}
                canary:
                  stepWeights: [5, 25, 50]
                  interval: 1m
                  stepAnalysis: {count: 1, metrics: [{name: errors, source: events, event: error}]}
                """);

        assertThat(plan.steps()).extracting(ReleasePlan.Step::describe).containsExactly(
                "setWeight 5", "pause 1m", "analysis step-analysis", "setWeight 25", "pause 1m",
                "analysis step-analysis", "setWeight 50", "pause 1m", "analysis step-analysis", "setWeight 100");
    }

    @Test
    void plan_blueGreen_previewsGatesSwitchesAndKeepsThePreviousArm() {
        ReleasePlan plan = plan("""
                name: bg
                target: {route: shop}
                blueGreen:
                  prePromotionAnalysis: {count: 1, metrics: [{name: errors, source: gateway, measure: errorRate}]}
                  postPromotionAnalysis: {count: 1, metrics: [{name: p99, source: gateway, measure: p99, failAbove: 500}]}
                  keepPrevious: 5m
                hooks:
                  - {on: confirm-promotion, url: "http://127.0.0.1:9/ok"}
                """);

        assertThat(plan.steps()).extracting(ReleasePlan.Step::describe).containsExactly(
                "analysis pre-promotion", "pause until promoted", "gate confirm-promotion", "switch",
                "analysis post-promotion", "pause 5m");
    }

    @Test
    void release_healthyCanary_isPromotedThroughEveryStep() {
        ReleasePlan plan = plan(CANARY);
        Decision started = ReleaseMachine.start(plan, 0, "stable", "canary", "alice", 1, T0);
        ReleaseState state = started.state();
        assertThat(state.pending()).containsExactly(new Action.SetWeight(10));
        assertThat(state.step()).isEqualTo(1);
        state = state.applied();

        state = measure(plan, state, T0.plusSeconds(12), Outcome.PASS).state();
        assertThat(state.step()).isEqualTo(1);
        Decision passed = measure(plan, state, T0.plusSeconds(22), Outcome.PASS);
        assertThat(passed.state().pending()).containsExactly(new Action.SetWeight(50));
        assertThat(passed.timeline()).extracting(TimelineEntry::type).contains("analysis", "weight");
        state = passed.state().applied();

        assertThat(ReleaseMachine.next(plan, state, new Observation.Tick(), T0.plusSeconds(40)).state().step()).isEqualTo(3);
        Decision done = ReleaseMachine.next(plan, state, new Observation.Tick(), T0.plusSeconds(52));
        assertThat(done.state().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(done.state().pending()).containsExactly(new Action.SetWeight(100));
    }

    @Test
    void release_failedMeasurement_rollsBackToZeroWithItsEvidence() {
        ReleasePlan plan = plan(CANARY);
        ReleaseState state = ReleaseMachine.start(plan, 0, "stable", "canary", "alice", 1, T0).state().applied();

        Decision failed = measure(plan, state, T0.plusSeconds(12), Outcome.FAIL);

        assertThat(failed.state().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(failed.state().pending()).hasSize(2).first().isEqualTo(new Action.SetWeight(0));
        assertThat(failed.state().pending().get(1)).isInstanceOf(Action.Notify.class);
        TimelineEntry verdict = failed.timeline().stream().filter(entry -> entry.type().equals("analysis")).findFirst()
                .orElseThrow();
        assertThat(verdict.message()).contains("1 failed measurement, more than its failureLimit (0)");
        assertThat(verdict.evidence()).singleElement().extracting(Measurement.MetricResult::metric).isEqualTo("errors");
        assertThat(ReleaseMachine.due(plan, failed.state(), T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void release_noData_isHeldWithinItsLimitThenFails() {
        ReleasePlan plan = plan(CANARY);
        ReleaseState state = ReleaseMachine.start(plan, 0, "stable", "canary", "alice", 1, T0).state().applied();

        state = measure(plan, state, T0.plusSeconds(12), Outcome.NO_DATA).state();
        assertThat(state.phase()).isEqualTo(Phase.PROGRESSING);
        Decision failed = measure(plan, state, T0.plusSeconds(22), Outcome.NO_DATA);

        assertThat(failed.state().phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(failed.state().message()).contains("2 measurements in a row without data, more than its noDataLimit (1)");
    }

    @Test
    void release_measurementGivenTwice_countsOnce() {
        ReleasePlan plan = plan(CANARY);
        ReleaseState state = ReleaseMachine.start(plan, 0, "stable", "canary", "alice", 1, T0).state().applied();
        Due.Measure due = (Due.Measure) ReleaseMachine.due(plan, state, T0.plusSeconds(12)).get(0);
        Observation.Measured measured = new Observation.Measured(false, measurement(due, Outcome.PASS));

        ReleaseState once = ReleaseMachine.next(plan, state, measured, T0.plusSeconds(12)).state();
        Decision twice = ReleaseMachine.next(plan, once, measured, T0.plusSeconds(13));

        assertThat(twice.changed(once)).isFalse();
        assertThat(once.stepRun().orElseThrow().passes()).isEqualTo(1);
    }

    @Test
    void release_notYetSettledInterval_isNotDue() {
        ReleasePlan plan = plan(CANARY);
        ReleaseState state = ReleaseMachine.start(plan, 0, "stable", "canary", "alice", 1, T0).state().applied();

        assertThat(ReleaseMachine.due(plan, state, T0.plusSeconds(11))).isEmpty();
        assertThat(ReleaseMachine.due(plan, state, T0.plusSeconds(12))).singleElement().isInstanceOf(Due.Measure.class);
    }

    @Test
    void release_closedGate_isAskedAgainUntilItOpens() {
        ReleasePlan plan = plan("""
                name: gated
                target: {route: checkout}
                canary: {steps: [{setWeight: 20}]}
                hooks: [{on: confirm-rollout, url: "http://127.0.0.1:9/gate"}]
                """);
        ReleaseState state = ReleaseMachine.start(plan, 0, "stable", "canary", "alice", 1, T0).state();
        assertThat(ReleaseMachine.due(plan, state, T0)).containsExactly(new Due.AskGate("confirm-rollout"));

        state = ReleaseMachine.next(plan, state, new Observation.GateAnswered("confirm-rollout", false, "HTTP 503"), T0)
                .state();
        assertThat(ReleaseMachine.due(plan, state, T0.plusSeconds(5))).isEmpty();
        assertThat(ReleaseMachine.due(plan, state, T0.plusSeconds(10))).containsExactly(new Due.AskGate("confirm-rollout"));

        Decision open = ReleaseMachine.next(plan, state, new Observation.GateAnswered("confirm-rollout", true, "HTTP 200"),
                T0.plusSeconds(10));
        assertThat(open.state().phase()).isEqualTo(Phase.PROMOTED);
        assertThat(open.state().pending()).containsExactly(new Action.SetWeight(20), new Action.SetWeight(100));
    }

    @Test
    void release_manualCommands_pausePromoteAbortRetryAndUndo() {
        ReleasePlan plan = plan(CANARY);
        ReleaseState state = ReleaseMachine.start(plan, 0, "stable", "canary", "alice", 1, T0).state().applied();

        state = command(plan, state, Command.Kind.PAUSE);
        assertThat(state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(ReleaseMachine.due(plan, state, T0.plusSeconds(60))).isEmpty();
        assertThat(ReleaseMachine.refusal(state, Command.Kind.PAUSE)).isPresent();
        state = command(plan, state, Command.Kind.PROMOTE);
        assertThat(state.phase()).isEqualTo(Phase.PROGRESSING);
        assertThat(state.step()).isEqualTo(3);
        assertThat(state.weight()).isEqualTo(50);

        state = command(plan, state.applied(), Command.Kind.ABORT);
        assertThat(state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(state.pending()).startsWith(new Action.SetWeight(0));

        state = command(plan, state.applied(), Command.Kind.RETRY);
        assertThat(state.attempt()).isEqualTo(2);
        assertThat(state.step()).isEqualTo(1);
        assertThat(state.pending()).containsExactly(new Action.SetWeight(10));

        state = command(plan, state.applied(), Command.Kind.PROMOTE_FULL);
        assertThat(state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(state.pending()).containsExactly(new Action.SetWeight(100));

        state = command(plan, state.applied(), Command.Kind.UNDO);
        assertThat(state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(state.pending()).startsWith(new Action.SetWeight(0));
    }

    @Test
    void release_backgroundAnalysis_watchesOnlyWhileBothArmsServe() {
        ReleasePlan plan = plan("""
                name: watched
                target: {route: checkout}
                canary:
                  steps: [{pause: 1m}, {setWeight: 10}, {pause: {}}]
                  analysis: {interval: 10s, metrics: [{name: errors, source: gateway, measure: errorRate}]}
                """);
        ReleaseState state = ReleaseMachine.start(plan, 0, "stable", "canary", "alice", 1, T0).state();
        assertThat(ReleaseMachine.due(plan, state, T0.plusSeconds(30))).isEmpty();

        state = ReleaseMachine.next(plan, state, new Observation.Tick(), T0.plusSeconds(60)).state().applied();
        assertThat(state.weight()).isEqualTo(10);
        assertThat(ReleaseMachine.due(plan, state, T0.plusSeconds(70))).isEmpty();
        List<Due> due = ReleaseMachine.due(plan, state, T0.plusSeconds(72));
        assertThat(due).singleElement().isInstanceOfSatisfying(Due.Measure.class, measure -> {
            assertThat(measure.background()).isTrue();
            assertThat(measure.since()).isEqualTo(T0.plusSeconds(60));
        });
    }

    @Test
    void check_badDocument_namesEveryField() {
        ReleaseDefinition bad = read("""
                name: Bad Name
                target: {route: checkout, flag: also}
                canary:
                  stepWeights: [50, 20, 101]
                  analysis: {count: 3, interval: 2x, metrics: [{name: p, source: prometheus, judge: sequential}]}
                hooks: [{on: sometimes, url: "ftp://x"}]
                """);

        assertThat(ReleaseCheck.release(bad)).extracting(Object::toString).contains(
                "name: must be 1 to 100 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit, got 'Bad Name'",
                "target: give exactly one of target.route (a gateway route) and target.flag (a flag's rollout), got both",
                "canary.stepWeights[1]: must be above the weight before it (50), got 20",
                "canary.stepWeights[2]: must be a percent from 1 to 100, got 101",
                "canary.interval: stepWeights need an interval (how long each weight holds) or a stepAnalysis (what each"
                        + " weight must pass), or both",
                "canary.analysis.count: a background analysis runs to the release's end and takes no count",
                "canary.analysis.interval: must be a whole number and a unit (ms, s, m or h), such as 30s, got '2x'",
                "canary.analysis.metrics[0].query: is required: the PromQL, which must return one value",
                "canary.analysis.metrics[0].judge: sequential compares sums per arm (gateway errorRate and latency,"
                        + " events); judge this metric with threshold",
                "hooks[0].on: must be one of confirm-rollout, pre-step, confirm-promotion, post-promotion, rollback,"
                        + " event, got 'sometimes'",
                "hooks[0].url: must be an absolute http or https URL, got 'ftp://x'");
    }

    @Test
    void document_writtenAsJsonAndReadBack_isTheSame() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String yaml : List.of(CANARY, """
                name: bg
                target: {route: shop}
                blueGreen: {autoPromotion: 1m, keepPrevious: 5m, prePromotionAnalysis: guard}
                analyses: {guard: {metrics: [{name: e, source: gateway, measure: errorRate}]}}
                hooks: [{on: confirm-promotion, url: "http://127.0.0.1:9/ok"}]
                """, """
                name: flag
                target: {flag: checkout, environment: production}
                canary: {stepWeights: [10, 50], interval: 1m}
                """)) {
            ReleaseDefinition document = read(yaml);
            String written = json.writeValueAsString(document);

            assertThat(json.readValue(written, ReleaseDefinition.class)).as(written).isEqualTo(document);
            assertThat(written).contains("\"kind\":\"Release\"");
        }
    }

    @Test
    void check_goodDocuments_haveNoProblems() {
        assertThat(ReleaseCheck.release(read(CANARY))).isEmpty();
    }

    private static Decision measure(ReleasePlan plan, ReleaseState state, Instant now, Outcome outcome) {
        Due.Measure due = (Due.Measure) ReleaseMachine.due(plan, state, now).stream()
                .filter(Due.Measure.class::isInstance).findFirst().orElseThrow();
        return ReleaseMachine.next(plan, state, new Observation.Measured(due.background(), measurement(due, outcome)), now);
    }

    private static Measurement measurement(Due.Measure due, Outcome outcome) {
        return new Measurement(due.since(), due.until(), outcome, "synthetic", List.of(new Measurement.MetricResult(
                "errors", outcome, "e-value", 1, 100, 10, 10, 0.01, 0.01, "synthetic")), "state");
    }

    private static ReleaseState command(ReleasePlan plan, ReleaseState state, Command.Kind kind) {
        return ReleaseMachine.next(plan, state, new Command(kind, "bob"), T0.plusSeconds(1)).state();
    }

    private static ReleasePlan plan(String yaml) {
        ReleaseDefinition definition = read(yaml);
        assertThat(ReleaseCheck.release(definition)).isEmpty();
        return ReleasePlan.of(definition);
    }

    private static ReleaseDefinition read(String yaml) {
        try {
            return new ObjectMapper(new YAMLFactory()).readValue(yaml, ReleaseDefinition.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
