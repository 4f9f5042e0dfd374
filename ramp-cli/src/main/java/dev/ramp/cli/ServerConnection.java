package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options and HTTP of commands that talk to a running server's admin API: where the server is and the admin
 * token, each from its option, else the environment, else the config file ({@link ConfigFile}); and the output
 * format: a table, or the server's documents as JSON or YAML. A picocli mixin.
 */
final class ServerConnection {
    static final String DEFAULT_SERVER = "http://127.0.0.1:4242";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--server", paramLabel = "URL",
            description = "Server URL (default: $RAMP_SERVER, else server: in the config file, else " + DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "An admin token (default: $RAMP_TOKEN, else $RAMP_ADMIN_TOKEN, else token: in the config file).")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", converter = Format.Converter.class,
            description = "table, json or yaml (default: ${DEFAULT-VALUE}); json and yaml print the server's documents.")
    Format output;

    private final Map<String, String> environment;
    private HttpClient http;
    private ConfigFile config;

    ServerConnection(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Where a setting came from, for {@code ramp config view}: its value and its source. */
    record Setting(String value, String source) {}

    /** The server's URL: {@code --server}, {@code $RAMP_SERVER}, the config file, or the default. */
    Setting server() {
        if (server != null) {
            return new Setting(ConfigFile.checkUrl("--server", server), "--server");
        }
        String variable = environment.getOrDefault("RAMP_SERVER", "");
        if (!variable.isEmpty()) {
            return new Setting(ConfigFile.checkUrl("RAMP_SERVER", variable), "RAMP_SERVER");
        }
        if (!config().server().isEmpty()) {
            return new Setting(config().server(), config().path().toString());
        }
        return new Setting(DEFAULT_SERVER, "default");
    }

    /** The admin token: {@code --token}, {@code $RAMP_TOKEN}, {@code $RAMP_ADMIN_TOKEN}, the config file; or none. */
    Setting token() {
        if (token != null) {
            return new Setting(token, "--token");
        }
        for (String variable : new String[] {"RAMP_TOKEN", "RAMP_ADMIN_TOKEN"}) {
            String value = environment.getOrDefault(variable, "");
            if (!value.isEmpty()) {
                return new Setting(value, variable);
            }
        }
        if (!config().token().isEmpty()) {
            return new Setting(config().token(), config().path().toString());
        }
        return new Setting("", "none");
    }

    /** Where the config file is, read or not. */
    Path configLocation() {
        return ConfigFile.location(environment);
    }

    /** The config file, read once, and only when a setting is not given by an option or the environment. */
    private ConfigFile config() {
        if (config == null) {
            config = ConfigFile.read(configLocation());
        }
        return config;
    }

    /** A server's answer that was not an error. */
    record Reply(int status, JsonNode body, Optional<String> etag) {}

    /**
     * The server refused a request (4xx or 5xx). The message is the server's reason; {@link #errors} holds the fields
     * a {@code 400} named, so that a caller can say where in its input each one is. A 5xx is the server's failure,
     * not the input's: it exits {@link Main#UNAVAILABLE}.
     */
    static final class Refused extends Main.InputRejected {
        private static final long serialVersionUID = 1L;

        private final int status;
        private final transient List<FieldError> errors;

        Refused(int status, String detail, List<FieldError> errors) {
            super("the server refused (" + status + "): " + detail);
            this.status = status;
            this.errors = List.copyOf(errors);
        }

        int status() {
            return status;
        }

        List<FieldError> errors() {
            return errors;
        }

        @Override
        int exitCode() {
            return status >= 500 ? Main.UNAVAILABLE : Main.INPUT_REJECTED;
        }
    }

    /** One entry of a problem document's {@code errors}: the field's path from the body's root, and why. */
    record FieldError(String field, String reason) {}

    /** Sends a request; a refusal throws {@link Refused}. */
    JsonNode send(String method, String path, JsonNode body) {
        return exchange(method, path, body, "").body();
    }

    /**
     * Sends a request with {@code If-Match: ifMatch} (none when empty) and returns the answer with its ETag; a refusal
     * throws {@link Refused}.
     */
    Reply exchange(String method, String path, JsonNode body, String ifMatch) {
        String secret = token().value();
        if (secret.isEmpty()) {
            throw new Main.InputRejected("no token: pass --token, set RAMP_TOKEN, or run ramp config set-token");
        }
        String base = server().value();
        URI uri = URI.create(base.replaceAll("/+$", "") + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", secret).header("Accept", "application/json");
        if (!ifMatch.isEmpty()) {
            request.header("If-Match", ifMatch);
        }
        request = body == null
                ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> response;
        try {
            response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Main.Unavailable("cannot reach the server at " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.InputRejected("interrupted");
        }
        JsonNode reply = parse(response.body());
        if (response.statusCode() >= 400) {
            List<FieldError> errors = new ArrayList<>();
            for (JsonNode error : reply.path("errors")) {
                errors.add(new FieldError(error.path("field").asText(""), error.path("reason").asText("")));
            }
            throw new Refused(response.statusCode(), reply.path("detail").asText(response.body()), errors);
        }
        return new Reply(response.statusCode(), reply, response.headers().firstValue("ETag"));
    }

    /**
     * Reads the ETag of the resource at {@code path}, then sends the change to {@code path + action} with it in
     * {@code If-Match}, so that a change someone made in between is refused (412) rather than overwritten.
     */
    JsonNode change(String method, String path, String action, JsonNode body) {
        return exchange(method, path + action, body, etag(path)).body();
    }

    /** The ETag of the resource at {@code path}: the version a change must name in {@code If-Match}. */
    String etag(String path) {
        Reply reply = exchange("GET", path, null, "");
        return reply.etag().orElseThrow(() -> new Main.InputRejected("the server sent no ETag for " + path));
    }

    /** Whether replies are printed as the server sent them ({@code json} or {@code yaml}) rather than as a table. */
    boolean structured() {
        return output.structured();
    }

    /** Prints {@code reply} as JSON or YAML, as {@code --output} says. */
    void print(PrintWriter out, JsonNode reply) {
        (output.structured() ? output : Format.JSON).write(out, reply);
    }

    /**
     * Prints {@code reply} as one of several in a row, as {@link #print} does; YAML documents after the
     * {@code first} are opened with {@code ---}, so that the whole reads as a stream of them.
     */
    void printInStream(PrintWriter out, JsonNode reply, boolean first) {
        if (!first && output == Format.YAML) {
            out.println("---");
        }
        print(out, reply);
    }

    /** {@code text} as one path segment: anything but unreserved characters percent-encoded. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        return http;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode().put("detail", text);
        }
    }
}
