package dev.ramp.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ramp config view|set-server|set-token}: the config file the commands that talk to a server read. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Shows and sets the server and token that commands use when no option or variable gives them.",
        footer = {"", "The file is $RAMP_CONFIG, else $XDG_CONFIG_HOME/ramp/config.yaml, else"
            + " ~/.config/ramp/config.yaml:",
            "  server: http://127.0.0.1:4242",
            "  token: ...",
            "Precedence: --server and --token, then RAMP_SERVER and RAMP_TOKEN (then RAMP_ADMIN_TOKEN), then the file,"
                    + " then the default server http://127.0.0.1:4242."},
        subcommands = {ConfigCommand.View.class, ConfigCommand.SetServer.class, ConfigCommand.SetToken.class})
final class ConfigCommand extends CommandGroup {


    @Command(name = "view", mixinStandardHelpOptions = true,
            description = "Prints the server and token commands would use, and where each comes from; the token masked.")
    static final class View implements Callable<Integer> {
        @Mixin
        ServerConnection connection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ServerConnection.Setting server = connection.server();
            ServerConnection.Setting token = connection.token();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("config file", connection.configLocation().toString());
            fields.put("server", server.value() + " (from " + server.source() + ")");
            fields.put("token", token.value().isEmpty() ? "none" : masked(token.value()) + " (from " + token.source() + ")");
            ExperimentCommand.printFields(out, fields);
            return 0;
        }

        /** The token's first characters, the rest hidden. */
        private static String masked(String token) {
            int shown = Math.min(8, token.length() / 4);
            return token.substring(0, shown) + "*".repeat(Math.min(12, token.length() - shown));
        }
    }

    @Command(name = "set-server", mixinStandardHelpOptions = true, description = "Writes server: URL to the config file.")
    static final class SetServer implements Callable<Integer> {
        private final Map<String, String> environment;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "URL", description = "The server's URL, such as http://127.0.0.1:4242.")
        String url;

        SetServer(Map<String, String> environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            ConfigFile written = ConfigFile.read(ConfigFile.location(environment)).with("server", ConfigFile.checkUrl("URL", url));
            spec.commandLine().getOut().println("Wrote server " + url + " to " + written.path() + ".");
            return 0;
        }
    }

    @Command(name = "set-token", mixinStandardHelpOptions = true,
            description = "Writes token: TOKEN to the config file, which only its owner may read.")
    static final class SetToken implements Callable<Integer> {
        private final Map<String, String> environment;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TOKEN", description = "An admin token.")
        String token;

        SetToken(Map<String, String> environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            ConfigFile written = ConfigFile.read(ConfigFile.location(environment)).with("token", token);
            spec.commandLine().getOut().println("Wrote the token to " + written.path() + ".");
            return 0;
        }
    }
}
