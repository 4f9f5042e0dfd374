package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each kind of bad request gets its own precise 4xx, as problem+json naming the field; nothing gets a 500. */
class RobustnessIT extends ServerIT {

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"key\":", 400, "", "malformed JSON"),
                Arguments.of("not an object", "[1,2]", 400, "", "must be a JSON object"),
                Arguments.of("empty body", "", 400, "", "empty"),
                Arguments.of("trailing content", "{\"key\":\"a\"} {}", 400, "", ""),
                Arguments.of("duplicate key", "{\"key\":\"a\",\"key\":\"b\"}", 400, "", "Duplicate"),
                Arguments.of("unknown field", "{\"key\":\"a\",\"enabled\":true}", 400, "enabled", "not a known field"),
                Arguments.of("number for a string", "{\"key\":5}", 400, "key", "a string"),
                Arguments.of("string for a boolean", "{\"key\":\"a\",\"stale\":\"yes\"}", 400, "stale", "true or false"),
                Arguments.of("string for a number", "{\"key\":\"a\",\"environments\":{\"production\":{\"variants\":"
                        + "[{\"name\":\"v\",\"weight\":\"1000\"}]}}}", 400, "environments.production.variants[0].weight", "a whole number"),
                Arguments.of("invalid regex", constraint("REGEX", "\"value\":\"([a-z\""), 400,
                        "environments.production.strategies[0].constraints[0].value", "invalid regular expression"),
                Arguments.of("invalid semver", constraint("SEMVER_GT", "\"value\":\"1.2\""), 400,
                        "environments.production.strategies[0].constraints[0].value", "semantic version"),
                Arguments.of("invalid date", constraint("DATE_AFTER", "\"value\":\"tomorrow\""), 400,
                        "environments.production.strategies[0].constraints[0].value", "RFC 3339"),
                Arguments.of("unknown operator", constraint("LIKE", "\"values\":[\"a\"]"), 400,
                        "environments.production.strategies[0].constraints[0].operator", "unknown operator"),
                Arguments.of("unknown environment", "{\"key\":\"a\",\"environments\":{\"mars\":{}}}", 400,
                        "environments.mars", "no environment"),
                Arguments.of("unknown strategy", "{\"key\":\"a\",\"environments\":{\"production\":{\"strategies\":"
                        + "[{\"name\":\"gravity\"}]}}}", 400, "environments.production.strategies[0].name", "must be one of"),
                Arguments.of("bad key", "{\"key\":\"no spaces\"}", 400, "key", "letters, digits"),
                Arguments.of("blank context name", "{\"key\":\"a\",\"environments\":{\"production\":{\"strategies\":"
                        + "[{\"name\":\"default\",\"constraints\":[{\"contextName\":\" \",\"operator\":\"IN\",\"values\":[\"a\"]}]}]}}}",
                        400, "environments.production.strategies[0].constraints[0].contextName", "is required"),
                Arguments.of("blank variant name", "{\"key\":\"a\",\"environments\":{\"production\":{\"variants\":"
                        + "[{\"name\":\" \",\"weight\":1000}]}}}", 400, "environments.production.variants[0].name", "is required"),
                Arguments.of("null in a list", "{\"key\":\"a\",\"environments\":{\"production\":{\"strategies\":"
                        + "[{\"name\":\"default\"},null]}}}", 400, "environments.production.strategies[1]", "must not be null"),
                Arguments.of("deep nesting", "{\"key\":\"a\",\"description\":" + "[".repeat(200) + "]".repeat(200) + "}",
                        400, "description", ""));
    }

    private static String constraint(String operator, String operand) {
        return "{\"key\":\"a\",\"environments\":{\"production\":{\"strategies\":[{\"name\":\"default\",\"constraints\":"
                + "[{\"contextName\":\"x\",\"operator\":\"" + operator + "\"," + operand + "}]}]}}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFlags")
    void badFlag_isRefusedNamingTheField(String what, String body, int status, String field, String reason) {
        Api.Reply reply = admin.post("/api/v1/flags", body);

        assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo(field);
        assertThat(problem.path("errors").get(0).path("reason").asText()).contains(reason);
        assertThat(reply.body()).doesNotContain("Exception", "\tat ");
        assertThat(admin.get("/api/v1/flags").json().path("total").asInt()).isZero();
    }

    static Stream<Arguments> badEvents() {
        String exposure = "{\"type\":\"exposure\",\"flag\":\"f\",\"unit\":\"u\"}";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"appName\":", "", "malformed JSON"),
                Arguments.of("not an object", "[" + exposure + "]", "", "must be a JSON object"),
                Arguments.of("empty body", "", "", "empty"),
                Arguments.of("trailing content", "{\"appName\":\"a\",\"events\":[" + exposure + "]} {}", "", ""),
                Arguments.of("duplicate key", "{\"appName\":\"a\",\"appName\":\"b\"}", "", "Duplicate"),
                Arguments.of("deep nesting", "{\"appName\":\"a\",\"events\":" + "[".repeat(200) + "]".repeat(200) + "}", "", ""),
                Arguments.of("unknown field", "{\"appName\":\"a\",\"environment\":\"x\",\"events\":[" + exposure + "]}",
                        "environment", "not a known field"),
                Arguments.of("no app name", "{\"events\":[" + exposure + "]}", "appName", "is required"),
                Arguments.of("events not an array", "{\"appName\":\"a\",\"events\":{}}", "events", "an array"),
                Arguments.of("event not an object", "{\"appName\":\"a\",\"events\":[\"click\"]}", "events[0]", "an object"),
                Arguments.of("number for a type", "{\"appName\":\"a\",\"events\":[{\"type\":1}]}", "events[0].type", "exposure or metric"),
                Arguments.of("overflowing value", "{\"appName\":\"a\",\"events\":[{\"type\":\"metric\",\"name\":\"n\","
                        + "\"unit\":\"u\",\"value\":1e400}]}", "events[0].value", "from -1e+12 to 1e+12"),
                Arguments.of("control character in the unit", "{\"appName\":\"a\",\"events\":[{\"type\":\"exposure\","
                        + "\"flag\":\"f\",\"unit\":\"a\\u0000b\"}]}", "events[0].unit", "control characters"),
                Arguments.of("long flag", "{\"appName\":\"a\",\"events\":[{\"type\":\"exposure\",\"flag\":\""
                        + "f".repeat(257) + "\",\"unit\":\"u\"}]}", "events[0].flag", "1 to 256"),
                Arguments.of("too many properties", "{\"appName\":\"a\",\"events\":[{\"type\":\"metric\",\"name\":\"n\","
                        + "\"unit\":\"u\",\"properties\":{" + properties(33) + "}}]}", "events[0].properties", "at most 32"),
                Arguments.of("time not a string", "{\"appName\":\"a\",\"events\":[{\"type\":\"exposure\",\"flag\":\"f\","
                        + "\"unit\":\"u\",\"time\":1764583200}]}", "events[0].time", "ISO-8601"));
    }

    private static String properties(int count) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add("\"p" + i + "\":\"v\"");
        }
        return String.join(",", entries);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEvents_areRefusedNamingTheField(String what, String body, String field, String reason) {
        Api.Reply reply = admin.as(ramp.token("client", "production")).post("/api/client/events", body);

        assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo(field);
        assertThat(reply.json().path("errors").get(0).path("reason").asText()).contains(reason);
        assertThat(reply.body()).doesNotContain("Exception", "\tat ");
        assertThat(admin.get("/api/v1/events?environment=production").json().path("items")).isEmpty();
    }

    @Test
    void oversizedEventsBody_is413BeforeItIsSent() throws Exception {
        String response = declaredBodyOnly("/api/client/events", ramp.token("client", "production"), 9 << 20);

        assertThat(response).startsWith("HTTP/1.1 413").contains("exceeds the limit of " + (8 << 20) + " bytes");
    }

    /**
     * The response to a POST that declares a body of {@code length} bytes and sends none: a server that refuses it
     * by its declared length answers at once, and no client write races the connection's close.
     */
    private String declaredBodyOnly(String path, String token, int length) throws IOException {
        URI server = URI.create(ramp.url());
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(20_000);
            String request = "POST " + path + " HTTP/1.1\r\nHost: " + server.getAuthority() + "\r\nAuthorization: " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void oversizedBody_is413BeforeItIsRead() throws Exception {
        String response = declaredBodyOnly("/api/v1/flags", TestServer.ADMIN_TOKEN, 2 << 20);

        assertThat(response).startsWith("HTTP/1.1 413").contains("exceeds the limit of " + (1 << 20) + " bytes");
    }

    @Test
    void tokens_missingInvalidAndWrongScope_are401And403() {
        Api anonymous = new Api(ramp.url(), null);
        Api.Reply missing = anonymous.get("/api/v1/flags");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");

        assertThat(admin.as("*:*.not-a-real-token").get("/api/v1/flags").status()).isEqualTo(401);
        Api client = admin.as(ramp.token("client", "production"));
        Api.Reply forbidden = client.get("/api/v1/flags");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("detail").asText()).contains("admin token");
        assertThat(admin.get("/api/client/features").status()).isEqualTo(403);
    }

    @Test
    void unknownRoutesAndResources_are404Problems() {
        assertThat(admin.get("/api/v1/nothing-here").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/flags/none").json().path("detail").asText()).contains("flag 'none' does not exist");
        assertThat(admin.get("/api/v1/segments/abc").status()).isEqualTo(404);
        assertThat(admin.delete("/api/v1/tokens/99").status()).isEqualTo(404);
    }

    @Test
    void ifMatch_thatNamesNoVersion_is412() {
        admin.post("/api/v1/flags", "{\"key\":\"a\"}");
        Api.Reply reply = admin.post("/api/v1/flags/a/environments/production/on", null, "If-Match", "garbage");
        assertThat(reply.status()).isEqualTo(412);
    }
}
