import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the summary {@code ./ramp demo --summary-json FILE} wrote: the three releases with the outcomes the story
 * expects, each decided on evidence. Run by .ci/run with the ramp jar on the class path (for Jackson):
 * {@code java -cp ramp-cli/target/ramp.jar .ci/CheckDemoSummary.java FILE}.
 */
public class CheckDemoSummary {
    public static void main(String[] args) throws Exception {
        JsonNode summary = new ObjectMapper().readTree(new File(args[0]));
        List<String> problems = new ArrayList<>();
        List<String> expected = List.of("shop-v2 rolled_back", "shop-v3 promoted", "checkout-new-flow promoted");
        List<String> actual = new ArrayList<>();
        for (JsonNode release : summary.path("releases")) {
            String name = release.path("name").asText();
            actual.add(name + " " + release.path("outcome").asText());
            if (!(release.path("secondsToDecision").asDouble() > 0)) {
                problems.add(name + ": secondsToDecision is not positive: " + release.path("secondsToDecision"));
            }
            if (release.path("evidence").isEmpty()) {
                problems.add(name + ": no evidence for its decision");
            }
        }
        if (!actual.equals(expected)) {
            problems.add("releases: expected " + expected + ", got " + actual);
        }
        if (!summary.path("asExpected").asBoolean()) {
            problems.add("asExpected is not true");
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("CI: demo summary: " + problem));
            System.exit(1);
        }
        System.out.println("CI: demo summary: " + actual + ", decided in "
                + summary.path("releases").findValuesAsText("secondsToDecision") + " s");
    }
}
