package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OFREP's two endpoints and their error shapes, as the protocol's OpenAPI document defines them. */
class OfrepApiIT extends ServerIT {
    Api frontend;

    @BeforeEach
    void start() {
        ramp.admin.post("/api/v1/flags", AdminApiIT.CHECKOUT);
        ramp.admin.post("/api/v1/flags", """
                {"key":"layout","environments":{"production":{"enabled":false,"strategies":[{"name":"default"}],
                 "variants":[{"name":"grid","weight":1000,"payload":{"type":"json","value":"{\\"columns\\":3}"}}]}}}""");
        frontend = ramp.admin.as("Bearer " + ramp.token("frontend", "production"));
    }

    @Test
    void single_evaluatesWithTheBodysContext() {
        JsonNode off = frontend.post("/ofrep/v1/evaluate/flags/checkout", "{\"context\":{\"targetingKey\":\"ada\",\"plan\":\"free\"}}").json();
        assertThat(off.path("key").asText()).isEqualTo("checkout");
        assertThat(off.path("value").asBoolean(true)).isFalse();
        assertThat(off.path("reason").asText()).isEqualTo("DEFAULT");
        assertThat(off.path("metadata").path("project").asText()).isEqualTo("default");
    }

    @Test
    void single_flagWithVariantsThatIsOff_hasNoValueSoTheCodeDefaultApplies() {
        JsonNode layout = frontend.post("/ofrep/v1/evaluate/flags/layout", "{\"context\":{\"targetingKey\":\"ada\"}}").json();
        assertThat(layout.has("value")).isFalse();
        assertThat(layout.path("reason").asText()).isEqualTo("DISABLED");
    }

    @Test
    void single_errors_haveOfrepShapes() {
        Api.Reply missing = frontend.post("/ofrep/v1/evaluate/flags/nope", "{\"context\":{}}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("errorCode").asText()).isEqualTo("FLAG_NOT_FOUND");
        assertThat(missing.json().path("key").asText()).isEqualTo("nope");

        Api.Reply malformed = frontend.post("/ofrep/v1/evaluate/flags/checkout", "{\"context\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("errorCode").asText()).isEqualTo("PARSE_ERROR");

        Api.Reply notAnObject = frontend.post("/ofrep/v1/evaluate/flags/checkout", "{\"context\":[1]}");
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(notAnObject.json().path("errorCode").asText()).isEqualTo("INVALID_CONTEXT");

        Api.Reply badTime = frontend.post("/ofrep/v1/evaluate/flags/checkout", "{\"context\":{\"currentTime\":\"soon\"}}");
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.json().path("errorCode").asText()).isEqualTo("INVALID_CONTEXT");

        Api.Reply anonymous = new Api(ramp.url(), null).post("/ofrep/v1/evaluate/flags/checkout", "{\"context\":{}}");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().isObject()).isTrue();
    }

    @Test
    void bulk_evaluatesEveryFlag_andAnswers304UntilFlagsOrContextChange() {
        String body = "{\"context\":{\"targetingKey\":\"ada\",\"plan\":\"pro\"}}";
        Api.Reply first = frontend.post("/ofrep/v1/evaluate/flags", body);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("flags").findValuesAsText("key")).containsExactly("checkout", "layout");

        assertThat(frontend.post("/ofrep/v1/evaluate/flags", "{ \"context\" : {\"plan\":\"pro\", \"targetingKey\":\"ada\"} }",
                "If-None-Match", first.etag()).status()).isEqualTo(304);
        assertThat(frontend.post("/ofrep/v1/evaluate/flags", "{\"context\":{\"targetingKey\":\"bob\"}}",
                "If-None-Match", first.etag()).status()).isEqualTo(200);

        ramp.admin.post("/api/v1/flags/layout/environments/production/on", null, "If-Match", "\"1\"");
        Api.Reply changed = frontend.post("/ofrep/v1/evaluate/flags", body, "If-None-Match", first.etag());
        assertThat(changed.status()).isEqualTo(200);
        JsonNode layout = changed.json().path("flags").get(1);
        assertThat(layout.path("variant").asText()).isEqualTo("grid");
        assertThat(layout.path("value").path("columns").asInt()).isEqualTo(3);
    }

    @Test
    void bulk_withFlagsThatDependOnTimeOrChance_sendsNoETag() {
        ramp.admin.post("/api/v1/flags", """
                {"key":"coin","environments":{"production":{"enabled":true,"strategies":[{"name":"gradualRolloutRandom",
                 "parameters":{"percentage":"50"}}]}}}""");
        Api.Reply reply = frontend.post("/ofrep/v1/evaluate/flags", "{\"context\":{}}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.etag()).isEmpty();
        assertThat(frontend.post("/ofrep/v1/evaluate/flags/coin", "{\"context\":{}}").json().path("cacheable").asBoolean())
                .isFalse();
        assertThat(frontend.post("/ofrep/v1/evaluate/flags/checkout", "{\"context\":{}}").json().path("cacheable").asBoolean())
                .isFalse();
    }

    @Test
    void adminToken_isNotAnOfrepToken() {
        Api.Reply reply = ramp.admin.post("/ofrep/v1/evaluate/flags/checkout", "{\"context\":{}}");
        assertThat(reply.status()).isEqualTo(403);
    }
}
