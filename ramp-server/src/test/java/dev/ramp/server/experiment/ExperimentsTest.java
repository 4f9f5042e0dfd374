package dev.ramp.server.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.server.model.ExperimentDefinition;
import dev.ramp.server.model.MetricDefinition;
import dev.ramp.server.store.ClientEvent;
import dev.ramp.server.store.ExperimentTally;
import dev.ramp.server.store.StoredExperiment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a run of stored events adds to the experiments that count them. */
class ExperimentsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final List<StoredExperiment.Arm> ARMS =
            List.of(new StoredExperiment.Arm("blue", 0.5), new StoredExperiment.Arm("green", 0.5));

    @Test
    void tally_countsOnlyEventsStoredWhileEachExperimentRan_inItsEnvironment() {
        StoredExperiment running = experiment("now", "production").start(definition("now", "production"), ARMS, T0, 2);
        StoredExperiment stopped = experiment("before", "production").start(definition("before", "production"), ARMS, T0, 0)
                .stop(T0, 3);
        StoredExperiment elsewhere = experiment("dev", "development").start(definition("dev", "development"), ARMS, T0, 0);
        StoredExperiment draft = experiment("draft", "production");
        List<ExperimentTally.Event> events = List.of(
                exposure(1, "production", "u1", "blue", T0),
                exposure(2, "production", "u2", "blue", T0),
                exposure(3, "production", "u3", "green", T0),
                exposure(4, "production", "u4", "green", T0),
                exposure(5, "development", "u5", "blue", T0));

        ExperimentTally tally = Experiments.tally(events, List.of(running, stopped, elsewhere, draft));

        assertThat(tally.exposures()).extracting(e -> e.experiment() + ":" + e.unit()).containsExactlyInAnyOrder(
                "before:u1", "before:u2", "before:u3", "now:u3", "now:u4", "dev:u5");
    }

    @Test
    void tally_keepsTheEarliestExposureOfAUnit_notesSeveralArms_andSkipsOtherVariantsAndFlags() {
        StoredExperiment running = experiment("x", "production").start(definition("x", "production"), ARMS, T0, 0);
        List<ExperimentTally.Event> events = List.of(
                exposure(1, "production", "u1", "green", T0.plusSeconds(5)),
                exposure(2, "production", "u1", "blue", T0.plusSeconds(1)),
                exposure(3, "production", "u2", "blue", T0),
                exposure(4, "production", "u2", "blue", T0.plusSeconds(1)),
                exposure(5, "production", "u3", "purple", T0),
                new ExperimentTally.Event(6, "production", ClientEvent.Type.EXPOSURE, "other-flag", "blue", "u4", 1, T0));

        ExperimentTally tally = Experiments.tally(events, List.of(running));

        assertThat(tally.exposures()).containsExactlyInAnyOrder(
                new ExperimentTally.Exposure("x", "u1", "blue", T0.plusSeconds(1), true),
                new ExperimentTally.Exposure("x", "u2", "blue", T0, false));
    }

    @Test
    void tally_sumsEachUnitsMetricEventsThatAMetricReads() {
        StoredExperiment running = experiment("x", "production").start(definition("x", "production"), ARMS, T0, 0);
        List<ExperimentTally.Event> events = List.of(
                metric(1, "u1", "purchase", 10), metric(2, "u1", "purchase", 2.5), metric(3, "u2", "purchase", 1),
                metric(4, "u1", "latency_ms", 120), metric(5, "u1", "unread", 99));

        ExperimentTally tally = Experiments.tally(events, List.of(running));

        assertThat(tally.unitEvents()).containsExactlyInAnyOrder(
                new ExperimentTally.UnitEvents("x", "purchase", "u1", 2, 12.5),
                new ExperimentTally.UnitEvents("x", "purchase", "u2", 1, 1),
                new ExperimentTally.UnitEvents("x", "latency_ms", "u1", 1, 120));
    }

    private static ExperimentDefinition definition(String name, String environment) {
        return new ExperimentDefinition(name, "", "", "button", environment, "blue",
                new MetricDefinition("purchase", "conversion", "increase"),
                List.of(new MetricDefinition("latency_ms", "average", "decrease")), null, null, null);
    }

    private static StoredExperiment experiment(String name, String environment) {
        return StoredExperiment.draft(definition(name, environment), T0);
    }

    private static ExperimentTally.Event exposure(long id, String environment, String unit, String variant, Instant at) {
        return new ExperimentTally.Event(id, environment, ClientEvent.Type.EXPOSURE, "button", variant, unit, 1, at);
    }

    private static ExperimentTally.Event metric(long id, String unit, String name, double value) {
        return new ExperimentTally.Event(id, "production", ClientEvent.Type.METRIC, name, "", unit, value, T0);
    }
}
