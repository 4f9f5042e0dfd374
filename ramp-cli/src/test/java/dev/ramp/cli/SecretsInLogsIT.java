package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ramp server} in a child process, with Ramp's own loggers at their most talkative, through everything that
 * handles a secret: the bootstrap admin token, a token created and revoked, unknown tokens past the limit, a webhook
 * whose URL carries a secret and fails, and the webhook secret itself. Its whole output holds none of them.
 */
class SecretsInLogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN = "admin-secret-in-logs-0123456789";
    private static final String WEBHOOK = "webhook-secret-in-logs-0123456789";
    private static final String GUESS = "ramp-client-guess-0123456789abcdef";
    private static final String HOOK_PASSWORD = "hook-password-in-logs";
    private static final String HOOK_PATH_SECRET = "T0000-B0000-hook-path-secret";

    @TempDir
    Path directory;

    @Test
    void server_handlingEverySecret_logsNone() throws Exception {
        Path log = directory.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Dorg.slf4j.simpleLogger.log.dev.ramp=trace",
                "-cp", System.getProperty("java.class.path"), "dev.ramp.cli.Main",
                "server", "--port", "0", "--data-dir", directory.resolve("data").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("RAMP_ADMIN_TOKEN", ADMIN);
        builder.environment().put("RAMP_WEBHOOK_SECRET", WEBHOOK);
        Process server = builder.start();
        String client;
        try {
            Pattern listening = Pattern.compile("Ramp server listening on (http://127\\.0\\.0\\.1:\\d+)");
            Matcher matcher = await().atMost(Duration.ofSeconds(60))
                    .until(() -> listening.matcher(Files.readString(log)), Matcher::find);
            String url = matcher.group(1);

            JsonNode token = JSON.readTree(send(url, "POST", "/api/v1/tokens", ADMIN,
                    "{\"name\":\"shop\",\"scope\":\"client\",\"environment\":\"production\"}").body());
            client = token.path("secret").asText();
            assertThat(send(url, "GET", "/api/client/features", client, null).statusCode()).isEqualTo(200);
            assertThat(send(url, "DELETE", "/api/v1/tokens/" + token.path("token").path("id").asLong(), ADMIN, null).statusCode())
                    .isEqualTo(204);
            assertThat(send(url, "GET", "/api/client/features", client, null).statusCode()).isEqualTo(401);

            assertThat(send(url, "POST", "/api/v1/routes", ADMIN, """
                    {"kind":"Route","name":"shop","match":{"pathPrefix":"/"},
                     "arms":[{"name":"stable","upstreams":["127.0.0.1:1"]},{"name":"canary","upstreams":["127.0.0.1:2"]}]}""")
                    .statusCode()).isEqualTo(201);
            HttpResponse<String> release = send(url, "POST", "/api/v1/releases", ADMIN, """
                    {"kind":"Release","name":"shop-v2","target":{"route":"shop"},"canary":{"stepWeights":[50],"interval":"1m"},
                     "hooks":[{"on":"event","url":"http://ramp:%s@127.0.0.1:1/services/%s?token=%s"}]}"""
                    .formatted(HOOK_PASSWORD, HOOK_PATH_SECRET, HOOK_PATH_SECRET));
            assertThat(release.statusCode()).as(release.body()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("the event hook failed"));
            for (int i = 0; i < 25; i++) {
                send(url, "GET", "/api/v1/flags", GUESS, null);
            }
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        String output = Files.readString(log);
        assertThat(output).as("the log holds what happened")
                .contains("sent 20 unknown tokens", "the event hook failed: http://127.0.0.1:1", "Ramp server stopping");
        assertThat(output).doesNotContain(ADMIN, WEBHOOK, GUESS, client, HOOK_PASSWORD, HOOK_PATH_SECRET);
    }

    private static HttpResponse<String> send(String url, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
