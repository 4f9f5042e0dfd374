package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the server and the token come from: {@code --server}/{@code --token}, then the environment, then the config
 * file, then the default; and what a bad config file says. {@code ramp config view} shows both and their sources.
 */
class ConfigFileTest {
    @TempDir
    Path directory;

    @Test
    void server_andToken_takeTheFlag_overTheEnvironment_overTheFile_overTheDefault() throws IOException {
        Path file = config("server: http://file.example:1\ntoken: file-token-0123456789\n");
        Map<String, String> environment = Map.of("RAMP_CONFIG", file.toString(), "RAMP_SERVER", "http://env.example:2",
                "RAMP_TOKEN", "env-token-0123456789");

        assertThat(view(Map.of("RAMP_CONFIG", directory.resolve("none.yaml").toString())))
                .contains("server:      " + ServerConnection.DEFAULT_SERVER + " (from default)", "token:       none");
        assertThat(view(Map.of("RAMP_CONFIG", file.toString())))
                .contains("http://file.example:1 (from " + file + ")", "file-*", "(from " + file + ")")
                .as("the token masked").doesNotContain("file-token");
        assertThat(view(environment)).contains("http://env.example:2 (from RAMP_SERVER)", "env-t*", "(from RAMP_TOKEN)");
        assertThat(view(environment, "--server", "http://flag.example:3", "--token", "flag-token-0123456789"))
                .contains("http://flag.example:3 (from --server)", "flag-*", "(from --token)")
                .doesNotContain("file-", "env-");
    }

    @Test
    void token_fromRampAdminToken_whenRampTokenIsUnset_andBeforeTheFile() throws IOException {
        Path file = config("token: file-token-0123456789\n");
        assertThat(view(Map.of("RAMP_CONFIG", file.toString(), "RAMP_ADMIN_TOKEN", "admin-token-0123456789")))
                .contains("(from RAMP_ADMIN_TOKEN)");
    }

    @Test
    void location_followsRampConfig_thenXdgConfigHome_thenHome() {
        assertThat(ConfigFile.location(Map.of("RAMP_CONFIG", "/a/ramp.yaml", "XDG_CONFIG_HOME", "/x", "HOME", "/h")))
                .isEqualTo(Path.of("/a/ramp.yaml"));
        assertThat(ConfigFile.location(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h")))
                .isEqualTo(Path.of("/x/ramp/config.yaml"));
        assertThat(ConfigFile.location(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.config/ramp/config.yaml"));
    }

    @Test
    void malformedFile_isRejectedNamingTheFileTheLineAndTheField() throws IOException {
        assertThat(rejected("server: http://127.0.0.1:4242\nserevr: http://typo\n"))
                .isEqualTo("ramp: %s, line 2: serevr: unknown field; the fields are server (a URL) and token\n");
        assertThat(rejected("# ours\ntoken: [a, b]\n")).isEqualTo("ramp: %s, line 2: token: must be text, got a list\n");
        assertThat(rejected("server: 127.0.0.1:4242\n")).isEqualTo("ramp: %s, line 1: server: must be an http:// or"
                + " https:// URL such as http://127.0.0.1:4242, got '127.0.0.1:4242'\n");
        assertThat(rejected("- server\n")).startsWith("ramp: %s, line 1: must be a mapping of server (a URL) and token");
        assertThat(rejected("server: \"http://x\ntoken: y\n")).startsWith("ramp: %s, line ").contains(": not valid YAML: ");
    }

    @Test
    void malformedFile_isNotReadWhenTheFlagsGiveEverything() throws IOException {
        Path file = config("nonsense: true\n");
        Run run = Run.with(Map.of("RAMP_CONFIG", file.toString()), "config", "view", "--server", "http://flag.example:3",
                "--token", "flag-token-0123456789");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void setServer_andSetToken_writeTheFile_thatViewThenReads() {
        Path file = directory.resolve("nested").resolve("config.yaml");
        Map<String, String> environment = Map.of("RAMP_CONFIG", file.toString());

        Run server = Run.with(environment, "config", "set-server", "http://ramp.example:4242");
        assertThat(server.exitCode()).as(server.err()).isZero();
        assertThat(server.out()).isEqualTo("Wrote server http://ramp.example:4242 to " + file + ".\n");
        assertThat(Run.with(environment, "config", "set-token", "secret-token-0123456789").exitCode()).isZero();

        assertThat(view(environment)).contains("http://ramp.example:4242 (from " + file + ")", "secre*");
        assertThat(Run.with(environment, "config", "set-server", "ramp.example").err())
                .isEqualTo("ramp: URL: must be an http:// or https:// URL such as http://127.0.0.1:4242, got 'ramp.example'\n");
    }

    private Path config(String text) throws IOException {
        return Files.writeString(directory.resolve("config.yaml"), text);
    }

    /** What {@code ramp config view} prints with {@code environment}; it must succeed. */
    private static String view(Map<String, String> environment, String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "config";
        args[1] = "view";
        System.arraycopy(options, 0, args, 2, options.length);
        Run run = Run.with(new HashMap<>(environment), args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out();
    }

    /** What {@code ramp config view} says of a config file of {@code text}, with {@code %s} for the file. */
    private String rejected(String text) throws IOException {
        Path file = config(text);
        Run run = Run.with(Map.of("RAMP_CONFIG", file.toString()), "config", "view");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(Main.INPUT_REJECTED);
        return run.err().replace(file.toString(), "%s");
    }
}
