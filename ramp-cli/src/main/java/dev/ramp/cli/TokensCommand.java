package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ramp tokens create|list|revoke}: manages API tokens through a running server's admin API. */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        description = "Creates, lists and revokes API tokens on a running server.",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
final class TokensCommand extends CommandGroup {


    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a token and prints its secret, once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ServerConnection connection;

        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "The token's name: the actor in the audit log.")
        String name;

        @Option(names = "--scope", required = true, description = "admin, client, frontend or gateway.")
        String scope;

        @Option(names = {"-e", "--environment"}, defaultValue = "", description = "The environment a client or frontend token reads (none for admin and gateway tokens).")
        String environment;

        @Override
        public Integer call() {
            ObjectNode body = new ObjectMapper().createObjectNode().put("name", name).put("scope", scope);
            if (!environment.isEmpty()) {
                body.put("environment", environment);
            }
            JsonNode created = connection.send("POST", "/api/v1/tokens", body);
            PrintWriter out = spec.commandLine().getOut();
            if (connection.structured()) {
                connection.print(out, created);
            } else {
                JsonNode token = created.path("token");
                out.println("Created " + token.path("scope").asText() + " token " + token.path("id").asText() + " '"
                        + token.path("name").asText() + "' for environment " + token.path("environment").asText() + ".");
                out.println("Secret (shown once): " + created.path("secret").asText());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists tokens (never their secrets).")
    static final class ListTokens extends OneRequest {

        @Override
        JsonNode send() {
            return connection.send("GET", "/api/v1/tokens", null);
        }

        @Override
        void print(PrintWriter out, JsonNode listed) {
            out.printf("%-5s %-24s %-9s %-14s %-22s %s%n", "ID", "NAME", "SCOPE", "ENVIRONMENT", "PREFIX", "CREATED");
            for (JsonNode token : listed.path("items")) {
                out.printf("%-5s %-24s %-9s %-14s %-22s %s%n", token.path("id").asText(), token.path("name").asText(),
                        token.path("scope").asText(), token.path("environment").asText(), token.path("prefix").asText(),
                        token.path("createdAt").asText());
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ServerConnection connection;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The token's id, from `ramp tokens list`.")
        long id;

        @Override
        public Integer call() {
            connection.send("DELETE", "/api/v1/tokens/" + id, null);
            if (connection.structured()) {
                connection.print(spec.commandLine().getOut(), new ObjectMapper().createObjectNode().put("revoked", id));
            } else {
                spec.commandLine().getOut().println("Revoked token " + id + ".");
            }
            return 0;
        }
    }
}
