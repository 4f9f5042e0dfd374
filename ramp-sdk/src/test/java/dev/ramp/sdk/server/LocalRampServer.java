package dev.ramp.sdk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.server.RampServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Ramp server for the SDK's tests: on SQLite in a test's temporary directory, on a free loopback port that
 * it keeps across {@link #restart()}, driven through its admin API over HTTP.
 */
public final class LocalRampServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "sdk.test.admin.token.0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Path directory;
    private int port;
    private RampServer server;

    private LocalRampServer(Path directory) {
        this.directory = directory;
    }

    /** Starts a server whose database lives in {@code directory}. */
    public static LocalRampServer start(Path directory) {
        LocalRampServer local = new LocalRampServer(directory);
        local.server = RampServer.builder().port(0).adminToken(ADMIN_TOKEN).dataDirectory(directory).start();
        local.port = local.server.port();
        return local;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** How many delta streams are open now; 0 while stopped. */
    public int streams() {
        return server == null ? 0 : server.streams();
    }

    /** Stops the server; {@link #startAgain()} brings it back on the same port and database. */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public void startAgain() {
        if (server == null) {
            server = RampServer.builder().port(port).adminToken(ADMIN_TOKEN).dataDirectory(directory).start();
        }
    }

    public void restart() {
        stop();
        startAgain();
    }

    /** A new client token of {@code environment}. */
    public String clientToken(String environment) {
        Reply reply = post("/api/v1/tokens",
                "{\"name\":\"sdk-test\",\"scope\":\"client\",\"environment\":\"" + environment + "\"}");
        if (reply.status() != 201) {
            throw new IllegalStateException("cannot create a token: " + reply);
        }
        return reply.json().path("secret").asText();
    }

    /** A flag on or off in production, with no strategies; returns its version. */
    public void createFlag(String key, boolean enabled) {
        expect(201, post("/api/v1/flags", "{\"key\":\"" + key + "\",\"environments\":{\"production\":{\"enabled\":" + enabled + "}}}"));
    }

    /** Switches {@code key} on or off in production, whatever its version. */
    public void toggle(String key, boolean enabled) {
        expect(200, post("/api/v1/flags/" + key + "/environments/production/" + (enabled ? "on" : "off"), null, "If-Match", "*"));
    }

    /** A response: status and body. */
    public record Reply(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Reply put(String path, String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    private Reply send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(int status, Reply reply) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + reply);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
