package dev.ramp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The few admin and client API calls the server benchmarks make, over one HTTP/1.1 client. Every call checks its
 * status and fails with the server's answer otherwise, so a benchmark never measures an error path by mistake.
 */
final class RampAdmin {
    static final String ENVIRONMENT = "production";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    RampAdmin(String baseUrl, String adminToken) {
        this.baseUrl = baseUrl;
        this.adminToken = adminToken;
    }

    /** The {@code /api/client/features} document and its ETag, as an SDK gets them. */
    record Features(byte[] body, String etag) {}

    /** The answer to a toggle: the flag's new version (its ETag, unquoted). */
    record Toggled(long version) {}

    /** Creates flag {@code key}: in production, on or off, one 50% flexibleRollout behind {@code plan IN [pro]}. */
    long createFlag(String key, boolean enabled) {
        String body = """
                {"key":"%s","environments":{"production":{"enabled":%s,"strategies":[{"name":"flexibleRollout",\
                "parameters":{"rollout":"50","stickiness":"default","groupId":"%s"},\
                "constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}]}]}}}"""
                .formatted(key, enabled, key);
        HttpResponse<String> response = send(admin("/api/v1/flags").POST(HttpRequest.BodyPublishers.ofString(body)), 201);
        return version(response);
    }

    /**
     * Creates flag {@code key} with impression data on, on in production for every unit ({@code default} strategy),
     * serving {@code variants} in equal shares: what an experiment on it needs.
     */
    long createSplitFlag(String key, List<String> variants) {
        StringBuilder split = new StringBuilder();
        int total = 1000;
        for (int i = 0; i < variants.size(); i++) {
            int weight = total / variants.size() + (i == 0 ? total % variants.size() : 0);
            split.append(i == 0 ? "" : ",").append("""
                    {"name":"%s","weight":%d,"stickiness":"default"}""".formatted(variants.get(i), weight));
        }
        String body = """
                {"key":"%s","type":"experiment","impressionData":true,"environments":{"%s":{"enabled":true,\
                "strategies":[{"name":"default"}],"variants":[%s]}}}""".formatted(key, ENVIRONMENT, split);
        return version(send(admin("/api/v1/flags").POST(HttpRequest.BodyPublishers.ofString(body)), 201));
    }

    /** Creates an experiment from its JSON definition and starts it ({@code If-Match: *}). */
    void createAndStartExperiment(String name, String definition) {
        send(admin("/api/v1/experiments").POST(HttpRequest.BodyPublishers.ofString(definition)), 201);
        send(admin("/api/v1/experiments/" + name + "/start").header("If-Match", "*")
                .POST(HttpRequest.BodyPublishers.noBody()), 200);
    }

    /** An answer whatever its status, for the calls whose failure a benchmark reports instead of failing. */
    record Answer(int status, String body) {}

    /** {@code GET /api/v1/experiments/{name}/results}, whatever it answers. */
    Answer experimentResults(String name) {
        HttpResponse<String> response = exchange(admin("/api/v1/experiments/" + name + "/results").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** Creates a client token of the production environment and returns its secret. */
    String createClientToken(String name) {
        String body = """
                {"name":"%s","scope":"client","environment":"%s"}""".formatted(name, ENVIRONMENT);
        HttpResponse<String> response = send(admin("/api/v1/tokens").POST(HttpRequest.BodyPublishers.ofString(body)), 201);
        return tree(response.body()).path("secret").asText();
    }

    /** Turns flag {@code key} on or off in production, given the version it has now. */
    Toggled toggle(String key, boolean on, long version) {
        HttpRequest.Builder request = admin("/api/v1/flags/" + key + "/environments/" + ENVIRONMENT + (on ? "/on" : "/off"))
                .header("If-Match", "\"" + version + "\"")
                .POST(HttpRequest.BodyPublishers.noBody());
        return new Toggled(version(send(request, 200)));
    }

    /** The ids of the changes in flag {@code key}'s history, oldest first. */
    List<Long> flagChangeIds(String key) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode item : tree(send(admin("/api/v1/flags/" + key + "/history").GET(), 200).body()).path("items")) {
            ids.add(item.path("id").asLong());
        }
        return ids;
    }

    /** {@code GET /api/client/features} with a client token; checks that the ETag is honoured with a 304. */
    Features features(String clientToken) {
        HttpRequest.Builder get = request("/api/client/features").header("Authorization", clientToken).GET();
        HttpResponse<byte[]> full = sendBytes(get, 200);
        String etag = full.headers().firstValue("ETag").orElseThrow(() -> new IllegalStateException("no ETag on /api/client/features"));
        sendBytes(request("/api/client/features").header("Authorization", clientToken).header("If-None-Match", etag).GET(), 304);
        return new Features(full.body(), etag);
    }

    /**
     * Waits up to 10 s until the server at {@code url} accepts {@code clientToken}: a token made through one replica
     * reaches the others through the change log.
     */
    static void awaitAccepted(String url, String clientToken) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (http.send(HttpRequest.newBuilder(URI.create(url + "/api/client/features")).header("Authorization", clientToken)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not accept the token within 10 s");
            }
            Thread.sleep(10);
        }
    }

    /** Posts {@code body} to {@code path} as the admin; the answer's body, which must have status {@code expected}. */
    String post(String path, String body, int expected) {
        return send(admin(path).POST(HttpRequest.BodyPublishers.ofString(body)), expected).body();
    }

    /** Puts {@code body} at {@code path} with {@code If-Match: ifMatch}; the answer's body, of status {@code expected}. */
    String put(String path, String body, String ifMatch, int expected) {
        return send(admin(path).header("If-Match", ifMatch).PUT(HttpRequest.BodyPublishers.ofString(body)), expected).body();
    }

    private HttpRequest.Builder admin(String path) {
        return request(path).header("Authorization", adminToken).header("Content-Type", "application/json");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int expected) {
        HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": expected "
                    + expected + ", got " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest.Builder request, int expected) {
        HttpResponse<byte[]> response = exchange(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": expected "
                    + expected + ", got " + response.statusCode());
        }
        return response;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    private static long version(HttpResponse<?> response) {
        String etag = response.headers().firstValue("ETag").orElseThrow(() -> new IllegalStateException(
                response.request().uri() + " answered without an ETag"));
        return Long.parseLong(etag.replace("\"", ""));
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
