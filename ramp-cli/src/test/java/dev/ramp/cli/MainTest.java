package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private static final Path EXAMPLE = Path.of("../examples/flags.json");

    private static Run run(String... args) {
        return Run.of(args);
    }

    @Test
    void version_printsTheProjectVersion() {
        Run result = run("--version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("ramp 0.");
    }

    @Test
    void help_listsTheCommands() {
        Run result = run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("eval", "validate", "bucket");
    }

    @Test
    void eval_exampleFlags_explainsEachAnswer() {
        Run result = run("eval", "-f", EXAMPLE.toString(), "-c", "userId=qa-1", "-c", "email=QA@example.com",
                "-c", "environment=production", "-c", "plan=pro", "-c", "appVersion=4.3.1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .containsPattern("search\\.ranking\\s+yes\\s+hybrid\\s+TARGETING_MATCH")
                .containsPattern("payments\\.kill-switch\\s+no\\s+-\\s+DISABLED");
    }

    @Test
    void eval_jsonOutput_agreesWithTheBucket() throws Exception {
        // checkout.v2 is a 25% rollout: user 2 is in bucket 10 (in), user 42 in bucket 52 (out).
        assertThat(run("bucket", "--group", "checkout.v2", "--unit", "2").out()).isEqualTo("bucket 10 of 100\n");
        assertThat(run("bucket", "--group", "checkout.v2", "--unit", "42").out()).isEqualTo("bucket 52 of 100\n");
        JsonNode in = evalJson("2");
        assertThat(in.get(0).get("enabled").asBoolean()).isTrue();
        assertThat(in.get(0).get("reason").asText()).isEqualTo("TARGETING_MATCH");
        assertThat(in.get(1).get("errorCode").asText()).isEqualTo("FLAG_NOT_FOUND");
        JsonNode out = evalJson("42");
        assertThat(out.get(0).get("enabled").asBoolean()).isFalse();
        assertThat(out.get(0).get("reason").asText()).isEqualTo("DEFAULT");
    }

    private static JsonNode evalJson(String userId) throws Exception {
        Run result = run("eval", "-f", EXAMPLE.toString(), "-o", "json", "-c", "userId=" + userId,
                "-c", "environment=production", "-c", "plan=pro", "checkout.v2", "missing.flag");
        assertThat(result.exitCode()).as(result.err()).isZero();
        return new ObjectMapper().readTree(result.out());
    }

    @Test
    void eval_badContextTime_isRejectedNamingTheField() {
        Run result = run("eval", "-f", EXAMPLE.toString(), "-c", "currentTime=tomorrow");
        assertThat(result.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(result.err()).contains("--context currentTime", "'tomorrow' is not an ISO-8601 date-time");
    }

    @Test
    void validate_badFile_namesThePathAndTheReason(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"features\": [{\"name\": \"f\", \"strategies\": [{\"name\": \"default\", \"constraints\": [{\"operator\": \"IN\"}]}]}]}");
        Run result = run("validate", bad.toString());
        assertThat(result.exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(result.err()).contains("features[0].strategies[0].constraints[0].contextName: is required");
    }

    @Test
    void validate_missingAndMalformedFiles_areRejected(@TempDir Path dir) throws Exception {
        assertThat(run("validate", dir.resolve("nope.json").toString()).err()).contains("no such file");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"features\": [");
        assertThat(run("validate", broken.toString()).err()).contains("not valid JSON", "line 1");
        assertThat(run("validate", EXAMPLE.toString()).out()).contains("ok, 4 flags, 1 segments");
    }

    @Test
    void unknownOption_isAUsageError() {
        Run result = run("eval", "-f", EXAMPLE.toString(), "--nope");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown option: '--nope'");
    }
}
