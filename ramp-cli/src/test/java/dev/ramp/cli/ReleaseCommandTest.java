package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code ramp release} prints, without a server: the progress line, timeline entries and figures. */
class ReleaseCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void progress_onATerminal_redrawsTheLineInPlace_andPrintsEntriesAboveIt() {
        StringWriter text = new StringWriter();
        ReleaseCommand.Progress progress = new ReleaseCommand.Progress(new PrintWriter(text), true);

        progress.show("[#.........] 10%  step 2/5  progressing");
        progress.show("[#.........] 10%  step 2/5  progressing");
        progress.above(List.of("an entry"));
        progress.show("[..] 0%  rolled-back");
        progress.end();

        assertThat(text.toString()).isEqualTo("\r[#.........] 10%  step 2/5  progressing"
                + "\r" + " ".repeat(39) + "\r" + "an entry\n" + "[#.........] 10%  step 2/5  progressing"
                + "\r[..] 0%  rolled-back" + " ".repeat(19)
                + "\n");
    }

    @Test
    void progress_elsewhere_printsTheLineOnlyWhenItChanges() {
        StringWriter text = new StringWriter();
        ReleaseCommand.Progress progress = new ReleaseCommand.Progress(new PrintWriter(text), false);

        progress.show("[#.........] 10%  step 2/5  progressing");
        progress.above(List.of("an entry"));
        progress.show("[#.........] 10%  step 2/5  progressing");
        progress.show("[#####.....] 50%  step 4/5  progressing");
        progress.end();

        assertThat(text.toString()).isEqualTo("""
                [#.........] 10%  step 2/5  progressing
                an entry
                [#####.....] 50%  step 4/5  progressing
                """);
    }

    @Test
    void bar_marksEachTenPercent_andShowsTheLastStepOnceAllAreDone() throws Exception {
        assertThat(ReleaseCommand.bar(release(5, 0, "progressing"))).isEqualTo("[..........] 5%  step 1/3  progressing");
        assertThat(ReleaseCommand.bar(release(59, 1, "paused"))).isEqualTo("[#####.....] 59%  step 2/3  paused");
        assertThat(ReleaseCommand.bar(release(100, 3, "promoted"))).isEqualTo("[##########] 100%  step 3/3  promoted");
    }

    @Test
    void entry_ofAMeasurement_hasALinePerMetric_andLeavesOutWhatIsUnknown() throws Exception {
        JsonNode entry = JSON.readTree("""
                {"seq": 7, "at": "2026-12-01T10:00:03.123456Z", "type": "measurement", "step": 1,
                 "message": "analysis guard, measurement 1: PASS", "outcome": "PASS", "evidence": [
                  {"metric": "errors", "outcome": "PASS", "statistic": "e-value", "value": 0.4213, "bound": 100.0,
                   "stableSamples": 900, "canarySamples": 100, "stableEstimate": 0.01, "canaryEstimate": 0.0123456,
                   "reason": "no regression"},
                  {"metric": "rate", "outcome": "NO_DATA", "statistic": "none", "value": null, "bound": null,
                   "stableSamples": 0, "canarySamples": 0, "stableEstimate": null, "canaryEstimate": null,
                   "reason": "no data"}]}""");

        assertThat(ReleaseCommand.entry(entry)).containsExactly(
                "2026-12-01T10:00:03Z  measurement  analysis guard, measurement 1: PASS",
                "    errors: PASS, e-value=0.421 vs 100, samples stable 900 / canary 100, estimates stable 0.01 / canary 0.0123",
                "    rate: NO_DATA, samples stable 0 / canary 0, estimates stable – / canary –");
    }

    @Test
    void figure_keepsWholeNumbers_andRoundsOthersToThreeDigits() {
        JsonNodeFactory numbers = JsonNodeFactory.instance;
        assertThat(ReleaseCommand.figure(numbers.numberNode(200.0))).isEqualTo("200");
        assertThat(ReleaseCommand.figure(numbers.numberNode(-2.3051))).isEqualTo("-2.31");
        assertThat(ReleaseCommand.figure(numbers.numberNode(56234.7))).isEqualTo("56200");
        assertThat(ReleaseCommand.figure(numbers.numberNode(3.2e9))).isEqualTo("3.20e+09");
        assertThat(ReleaseCommand.figure(numbers.numberNode(1.5e12))).isEqualTo("1.50e+12");
        assertThat(ReleaseCommand.figure(numbers.numberNode(0.00001234))).isEqualTo("1.23e-05");
        assertThat(ReleaseCommand.figure(numbers.nullNode())).isEqualTo(ExperimentCommand.NONE);
    }

    private static JsonNode release(int weight, int step, String phase) throws Exception {
        return JSON.readTree("{\"weight\": " + weight + ", \"step\": " + step + ", \"phase\": \"" + phase
                + "\", \"steps\": [\"setWeight 10\", \"pause 1m\", \"setWeight 100\"]}");
    }
}
