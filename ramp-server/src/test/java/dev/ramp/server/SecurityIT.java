package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.core.tls.TlsKeys;
import dev.ramp.server.http.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call what, how many unknown tokens one address may try, which web origins may call from a browser, and
 * HTTPS with a certificate made in the test. On SQLite only: none of it depends on the database.
 */
class SecurityIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ANYONE = "anyone";
    /**
     * Who may call each part of the API, by path prefix, the first match deciding: written out here, not read from the
     * server, so that a route that moves, or a new part of the API, fails the matrix until someone decides who may call it.
     */
    private static final Map<String, Set<String>> CALLERS = callers();

    @TempDir
    Path directory;

    private TestServer ramp;

    @AfterEach
    void stopServer() {
        if (ramp != null) {
            ramp.close();
        }
    }

    private static Map<String, Set<String>> callers() {
        Map<String, Set<String>> callers = new LinkedHashMap<>();
        callers.put("/api/v1/openapi.json", Set.of(ANYONE));
        callers.put("/api/v1/", Set.of("admin"));
        callers.put("/api/client/", Set.of("client"));
        callers.put("/ofrep/v1/", Set.of("client", "frontend"));
        callers.put("/api/gateway/", Set.of("gateway", "admin"));
        callers.put("/metrics", Set.of(ANYONE));
        return callers;
    }

    @Test
    void everyRoute_againstEveryScope_admitsExactlyItsCallers() {
        ramp = TestServer.start("sqlite", directory);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("admin", TestServer.ADMIN_TOKEN);
        secrets.put("client", ramp.token("client", "development"));
        secrets.put("frontend", ramp.token("frontend", "development"));
        secrets.put("gateway", ramp.token("gateway", ""));
        List<String> wrong = new ArrayList<>();
        int unknownTokens = 0;

        List<Routes.Route> routes = ramp.server.routes();
        assertThat(routes).hasSizeGreaterThan(50);
        for (Routes.Route route : routes) {
            Set<String> callers = callersOf(route.path()).orElseThrow(() -> new AssertionError(
                    route + " is in no part of the matrix: decide who may call it, and add it to CALLERS"));
            String path = route.path().replaceAll("\\{[^}]+}", "x");
            String method = route.method().toUpperCase(java.util.Locale.ROOT);
            boolean open = callers.contains(ANYONE);
            expect(wrong, route, "no token", status(method, path, null), open ? Set.of() : Set.of(401));
            // Stay below the limit on unknown tokens: the clock moves past its window now and then.
            if (++unknownTokens % 10 == 0) {
                ramp.clock.advance(dev.ramp.server.http.Limits.AUTHENTICATION_WINDOW);
            }
            expect(wrong, route, "an unknown token", status(method, path, "ramp-unknown-0123456789abcdef"),
                    open ? Set.of() : Set.of(401));
            for (Map.Entry<String, String> scope : secrets.entrySet()) {
                boolean allowed = open || callers.contains(scope.getKey());
                String caller = (scope.getKey().startsWith("a") ? "an " : "a ") + scope.getKey() + " token";
                expect(wrong, route, caller, status(method, path, scope.getValue()),
                        allowed ? Set.of() : Set.of(403));
            }
        }

        assertThat(wrong).as("routes that answered a caller wrongly").isEmpty();
    }

    /**
     * Records a mismatch: {@code expected} is the one status allowed (401 or 403), or empty when anything but
     * 401 and 403 is right, the request having got past authentication.
     */
    private static void expect(List<String> wrong, Routes.Route route, String caller, int status, Set<Integer> expected) {
        boolean right = expected.isEmpty() ? status != 401 && status != 403 : expected.contains(status);
        if (!right) {
            wrong.add(route.method() + " " + route.path() + " with " + caller + ": " + status
                    + (expected.isEmpty() ? ", expected to pass authentication" : ", expected " + expected));
        }
    }

    private static Optional<Set<String>> callersOf(String path) {
        return CALLERS.entrySet().stream().filter(entry -> path.startsWith(entry.getKey())).map(Map.Entry::getValue)
                .findFirst();
    }

    /** The status of one request; only the headers are read, so that a stream that opens is closed at once. */
    private int status(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ramp.url() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, method.equals("GET") || method.equals("DELETE")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", token);
        }
        try {
            HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- failed authentication

    @Test
    void unknownTokens_pastTheLimit_getTooManyRequests_untilTheWindowEnds_evenWithAGoodToken() {
        ramp = TestServer.start("sqlite", directory);
        Api client = ramp.client("development");
        Api guesser = ramp.admin.as("ramp-guess-0123456789abcdef");
        for (int i = 0; i < 30; i++) {
            assertThat(ramp.admin.as(null).get("/api/v1/flags").status()).as("no token is no guess").isEqualTo(401);
        }
        for (int i = 0; i < dev.ramp.server.http.Limits.AUTHENTICATION_FAILURES; i++) {
            assertThat(guesser.get("/api/v1/flags").status()).isEqualTo(401);
        }

        Api.Reply refused = guesser.get("/api/v1/flags");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().path("detail").asText()).contains("20 unknown tokens within 60 s", "retry in 60 s");
        assertThat(ramp.admin.get("/api/v1/flags").status()).as("a good token from that address").isEqualTo(429);
        assertThat(client.get("/api/client/features").status()).as("the features fast path too").isEqualTo(429);

        ramp.clock.advance(Duration.ofSeconds(45));
        assertThat(guesser.get("/api/v1/flags").header("Retry-After")).isEqualTo("15");
        ramp.clock.advance(Duration.ofSeconds(15));
        assertThat(ramp.admin.get("/api/v1/flags").status()).isEqualTo(200);
        assertThat(client.get("/api/client/features").status()).isEqualTo(200);
        assertThat(guesser.get("/api/v1/flags").status()).as("a new window").isEqualTo(401);
    }

    // ---- CORS

    @Test
    void ofrep_answersTheOriginsItWasGiven_andNoOther_whileTheOtherApisAnswerNone() {
        ramp = TestServer.start("sqlite", directory,
                settings -> settings.corsOrigins(List.of("https://shop.example.com", "http://127.0.0.1:3000")));
        String token = ramp.token("frontend", "development");

        HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(ramp.url() + "/ofrep/v1/evaluate/flags"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"));
        assertThat(preflight.statusCode()).isBetween(200, 204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                .containsIgnoringCase("authorization");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("600");

        HttpResponse<String> evaluation = send(ofrep(token).header("Origin", "http://127.0.0.1:3000"));
        assertThat(evaluation.statusCode()).isEqualTo(200);
        assertThat(evaluation.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:3000");
        assertThat(evaluation.headers().firstValue("Access-Control-Expose-Headers").orElse("")).containsIgnoringCase("etag");

        HttpResponse<String> stranger = send(ofrep(token).header("Origin", "https://evil.example.net"));
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> admin = send(HttpRequest.newBuilder(URI.create(ramp.url() + "/api/v1/flags"))
                .header("Authorization", TestServer.ADMIN_TOKEN).header("Origin", "https://shop.example.com"));
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.headers().firstValue("Access-Control-Allow-Origin")).as("the admin API is same-origin").isEmpty();
    }

    @Test
    void withoutOrigins_ofrepAnswersNoCorsHeaders() {
        ramp = TestServer.start("sqlite", directory);

        HttpResponse<String> evaluation = send(ofrep(ramp.token("frontend", "development"))
                .header("Origin", "https://shop.example.com"));

        assertThat(evaluation.statusCode()).isEqualTo(200);
        assertThat(evaluation.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpRequest.Builder ofrep(String token) {
        return HttpRequest.newBuilder(URI.create(ramp.url() + "/ofrep/v1/evaluate/flags"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"user-1\"}}"))
                .header("Content-Type", "application/json").header("Authorization", token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- TLS

    @Test
    void server_withAKeyStore_answersHttpsOnly() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(directory.resolve("tls"));
        ramp = TestServer.start("sqlite", directory.resolve("server"),
                settings -> settings.tls(TlsKeys.of(certificate.keyStore(), certificate.password())));
        HttpClient trusting = HttpClient.newBuilder().sslContext(certificate.trustingIt()).build();

        assertThat(ramp.url()).startsWith("https://127.0.0.1:");
        HttpResponse<String> flags = trusting.send(HttpRequest.newBuilder(URI.create(ramp.url() + "/api/v1/flags"))
                .header("Authorization", TestServer.ADMIN_TOKEN).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(flags.statusCode()).isEqualTo(200);
        assertThat(flags.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).startsWith("TLSv1."));

        HttpClient plain = HttpClient.newHttpClient();
        String http = ramp.url().replace("https://", "http://");
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(http + "/health"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("plain HTTP on the TLS port").isInstanceOf(IOException.class);
        HttpClient untrusting = HttpClient.newHttpClient();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(ramp.url() + "/health"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()))
                .as("a client that does not trust the certificate").isInstanceOf(IOException.class);
    }

    @Test
    void keyStore_wrongPasswordOrNoFile_isRefusedNamingTheFile() throws IOException {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(directory.resolve("tls"));
        Path missing = directory.resolve("missing.p12");
        Path garbage = Files.writeString(directory.resolve("garbage.p12"), "not a key store");

        assertThatThrownBy(() -> TlsKeys.of(certificate.keyStore(), "wrong-password"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(certificate.keyStore().toString())
                .hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> TlsKeys.of(missing, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> TlsKeys.of(garbage, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(garbage.toString());
        assertThat(TlsKeys.of(certificate.keyStore(), certificate.password()).toString())
                .doesNotContain(certificate.password());
    }
}
