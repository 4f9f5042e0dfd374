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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options and HTTP of commands that talk to a running server's admin API: where the server is, the admin token
 * (default: {@code RAMP_TOKEN}, then {@code RAMP_ADMIN_TOKEN}) and the output format: text, or the server's reply as
 * JSON or YAML. A picocli mixin.
 */
final class ServerConnection {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
            .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER);

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:4242",
            description = "Server URL (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "An admin token (default: $RAMP_TOKEN, else $RAMP_ADMIN_TOKEN).")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
    String output;

    private HttpClient http;

    /** A server's answer that was not an error. */
    record Reply(int status, JsonNode body, Optional<String> etag) {}

    /**
     * The server refused a request (4xx or 5xx). The message is the server's reason; {@link #errors} holds the fields
     * a {@code 400} named, so that a caller can say where in its input each one is.
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
        String secret = token != null ? token : System.getenv().getOrDefault("RAMP_TOKEN",
                System.getenv().getOrDefault("RAMP_ADMIN_TOKEN", ""));
        if (secret.isEmpty()) {
            throw new Main.InputRejected("no token: pass --token or set RAMP_TOKEN to an admin token");
        }
        if (!output.equals("text") && !structured()) {
            throw new Main.InputRejected("--output must be text, json or yaml, got '" + output + "'");
        }
        URI uri;
        try {
            uri = URI.create(server.replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException e) {
            throw new Main.InputRejected("--server '" + server + "' is not a URL");
        }
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
            throw new Main.InputRejected("cannot reach the server at " + server + ": " + e.getMessage());
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

    /**
     * What {@link #apply} did: the server's reply, whether it created the resource or replaced it, and whether the
     * resource changed (a replacement by the same document keeps the version it had).
     */
    record Applied(Reply reply, boolean created, boolean changed) {}

    /**
     * Creates {@code document} in {@code collection} or, when {@code resource} exists, replaces it with the version
     * read, so a change made meanwhile is refused ({@code 412}) rather than overwritten.
     */
    Applied apply(String collection, String resource, JsonNode document) {
        String etag = etagIfExists(resource);
        boolean created = etag.isEmpty();
        Reply reply = created ? exchange("POST", collection, document, "") : exchange("PUT", resource, document, etag);
        return new Applied(reply, created, created || !reply.etag().equals(Optional.of(etag)));
    }

    /** The ETag of the resource at {@code path}, or {@code ""} when there is none (404). */
    private String etagIfExists(String path) {
        try {
            return etag(path);
        } catch (Refused refused) {
            if (refused.status() == 404) {
                return "";
            }
            throw refused;
        }
    }

    /** Whether replies are printed as the server sent them ({@code json} or {@code yaml}) rather than as text. */
    boolean structured() {
        return output.equals("json") || output.equals("yaml");
    }

    /** Prints {@code reply} as JSON or YAML, as {@code --output} says. */
    void print(PrintWriter out, JsonNode reply) {
        if (output.equals("yaml")) {
            try {
                out.print(YAML.writeValueAsString(reply));
            } catch (IOException e) {
                throw new Main.InputRejected("cannot write the reply as YAML: " + e.getMessage());
            }
        } else {
            out.println(reply.toPrettyString());
        }
        out.flush();
    }

    /**
     * Prints {@code reply} as one of several in a row, as {@link #print} does; YAML documents after the
     * {@code first} are opened with {@code ---}, so that the whole reads as a stream of them.
     */
    void printInStream(PrintWriter out, JsonNode reply, boolean first) {
        if (!first && output.equals("yaml")) {
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
