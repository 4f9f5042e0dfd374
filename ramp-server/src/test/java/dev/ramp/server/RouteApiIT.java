package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Routes over real HTTP, on SQLite and PostgreSQL: their versions, checks, weight and switch, and history. */
class RouteApiIT extends ServerIT {
    static final String CHECKOUT = """
            {"kind":"Route","name":"checkout","match":{"host":"shop.example.com","pathPrefix":"/checkout"},
             "arms":[{"name":"stable","upstreams":["127.0.0.1:9101"]},{"name":"canary","upstreams":["127.0.0.1:9102"]}],
             "weight":5,"sticky":{"by":"header","name":"X-User-Id"}}""";
    static final String API = """
            {"name":"api","strategy":"blueGreen","match":{"pathPrefix":"/api"},
             "arms":[{"name":"blue","upstreams":["127.0.0.1:9201"]},{"name":"green","upstreams":["127.0.0.1:9202"]}]}""";

    @Test
    void route_createdReadReplacedAndDeleted_carriesItsVersionAsETag() {
        Api.Reply created = admin.post("/api/v1/routes", CHECKOUT);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/routes/checkout");
        assertThat(created.etag()).isEqualTo("\"1\"");
        JsonNode route = created.json();
        assertThat(route.path("version").asLong()).isEqualTo(1);
        assertThat(route.path("createdAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(route.path("strategy").asText()).as("defaults are filled in").isEqualTo("canary");
        assertThat(route.has("blueGreen")).isFalse();

        assertThat(admin.get("/api/v1/routes").json().path("items")).hasSize(1);
        Api.Reply read = admin.get("/api/v1/routes/checkout");
        assertThat(read.etag()).isEqualTo("\"1\"");

        String replaced = read.body().replace("\"weight\":5", "\"weight\":20");
        assertThat(admin.put("/api/v1/routes/checkout", replaced).status()).as("If-Match is required").isEqualTo(428);
        assertThat(admin.put("/api/v1/routes/checkout", replaced, "If-Match", "\"7\"").status()).isEqualTo(412);
        ramp.clock.advance(java.time.Duration.ofMinutes(1));
        Api.Reply put = admin.put("/api/v1/routes/checkout", replaced, "If-Match", "\"1\"");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.etag()).isEqualTo("\"2\"");
        assertThat(put.json().path("weight").asInt()).isEqualTo(20);
        assertThat(put.json().path("updatedAt").asText()).isEqualTo("2026-12-01T10:01:00Z");
        Api.Reply again = admin.put("/api/v1/routes/checkout", replaced, "If-Match", "\"2\"");
        assertThat(again.etag()).as("the same document again changes nothing").isEqualTo("\"2\"");

        assertThat(admin.post("/api/v1/routes", CHECKOUT).status()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/routes/checkout", "If-Match", "\"1\"").status()).isEqualTo(412);
        assertThat(admin.delete("/api/v1/routes/checkout", "If-Match", "\"2\"").status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/routes/checkout").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/routes").json().path("items")).isEmpty();
    }

    @Test
    void route_withProblems_isRefusedNamingEveryField() {
        Api.Reply refused = admin.post("/api/v1/routes", """
                {"name":"Bad Name","strategy":"linear","weight":101,"mirror":-1,"fallback":"retry",
                 "match":{"pathPrefix":"api"},
                 "arms":[{"name":"stable","upstreams":["nohost"]},{"name":"stable","upstreams":[],"balance":"random"}],
                 "sticky":{"by":"cookie"},"ejection":{"baseTime":"10s","maxTime":"5s"}}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(fields(refused)).containsExactlyInAnyOrder("name", "match.pathPrefix", "strategy",
                "arms[0].upstreams[0]", "arms[1].name", "arms[1].upstreams", "arms[1].balance", "weight", "sticky.name",
                "mirror", "fallback", "ejection.maxTime");
        assertThat(admin.post("/api/v1/routes", "{\"name\":\"x\",\"weight\":\"ten\"}").json().path("errors").get(0)
                .path("field").asText()).isEqualTo("weight");
        assertThat(fields(admin.post("/api/v1/routes", "{\"name\":\"x\",\"arms\":[{\"name\":\"a\",\"upstream\":[]}]}")))
                .containsExactly("arms[0].upstream");
        assertThat(fields(admin.post("/api/v1/routes", CHECKOUT.replace("\"kind\":\"Route\"", "\"kind\":\"Flag\""))))
                .containsExactly("kind");
        assertThat(admin.post("/api/v1/routes", "[]").status()).isEqualTo(400);
    }

    @Test
    void route_matchingTheSameRequestsAsAnother_isRefusedNamingMatch() {
        admin.post("/api/v1/routes", CHECKOUT);

        Api.Reply refused = admin.post("/api/v1/routes", CHECKOUT.replace("\"name\":\"checkout\"", "\"name\":\"checkout-2\""));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(fields(refused)).containsExactly("match");
        assertThat(refused.json().path("errors").get(0).path("reason").asText()).contains("route 'checkout'");
        assertThat(admin.post("/api/v1/routes", CHECKOUT.replace("\"name\":\"checkout\"", "\"name\":\"checkout-2\"")
                .replace("/checkout\"", "/checkout/v2\"")).status()).isEqualTo(201);
    }

    @Test
    void weight_movesACanary_andIsRefusedForBlueGreenOrOutOfRange() {
        admin.post("/api/v1/routes", CHECKOUT);
        admin.post("/api/v1/routes", API);

        Api.Reply moved = admin.post("/api/v1/routes/checkout/weight", "{\"weight\":25}", "If-Match", "\"1\"");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.etag()).isEqualTo("\"2\"");
        assertThat(moved.json().path("weight").asInt()).isEqualTo(25);

        assertThat(admin.post("/api/v1/routes/checkout/weight", "{\"weight\":25}").status()).isEqualTo(428);
        assertThat(fields(admin.post("/api/v1/routes/checkout/weight", "{\"weight\":101}", "If-Match", "*")))
                .containsExactly("weight");
        assertThat(fields(admin.post("/api/v1/routes/checkout/weight", "{}", "If-Match", "*"))).containsExactly("weight");
        assertThat(fields(admin.post("/api/v1/routes/checkout/weight", "{\"weight\":2.5}", "If-Match", "*")))
                .containsExactly("weight");
        Api.Reply blueGreen = admin.post("/api/v1/routes/api/weight", "{\"weight\":50}", "If-Match", "*");
        assertThat(blueGreen.status()).isEqualTo(409);
        assertThat(blueGreen.json().path("detail").asText()).contains("switch");
        assertThat(admin.post("/api/v1/routes/nope/weight", "{\"weight\":5}", "If-Match", "*").status()).isEqualTo(404);
    }

    @Test
    void switch_movesABlueGreenRoute_andIsRefusedForACanaryOrAnUnknownArm() {
        admin.post("/api/v1/routes", CHECKOUT);
        admin.post("/api/v1/routes", API);

        Api.Reply switched = admin.post("/api/v1/routes/api/switch", "{\"active\":\"green\"}", "If-Match", "\"1\"");
        assertThat(switched.status()).as(switched.body()).isEqualTo(200);
        assertThat(switched.json().path("active").asText()).isEqualTo("green");
        assertThat(switched.etag()).isEqualTo("\"2\"");

        assertThat(fields(admin.post("/api/v1/routes/api/switch", "{\"active\":\"purple\"}", "If-Match", "*")))
                .containsExactly("active");
        assertThat(fields(admin.post("/api/v1/routes/api/switch", "{}", "If-Match", "*"))).containsExactly("active");
        assertThat(admin.post("/api/v1/routes/checkout/switch", "{\"active\":\"canary\"}", "If-Match", "*").status())
                .isEqualTo(409);
    }

    @Test
    void history_listsEveryChangeWithActorAndBeforeAndAfter() {
        admin.post("/api/v1/routes", CHECKOUT);
        admin.post("/api/v1/routes/checkout/weight", "{\"weight\":50}", "If-Match", "*");
        admin.delete("/api/v1/routes/checkout", "If-Match", "*");
        assertThat(admin.get("/api/v1/routes/checkout/history").status()).as("a deleted route has no history page")
                .isEqualTo(404);
        admin.post("/api/v1/routes", CHECKOUT);

        JsonNode items = admin.get("/api/v1/routes/checkout/history").json().path("items");
        List<String> actions = StreamSupport.stream(items.spliterator(), false).map(c -> c.path("action").asText()).toList();
        assertThat(actions).containsExactly("create", "weight", "delete", "create");
        JsonNode weight = items.get(1);
        assertThat(weight.path("actor").asText()).isEqualTo("bootstrap-admin");
        assertThat(weight.path("resourceType").asText()).isEqualTo("route");
        assertThat(weight.path("before").path("weight").asInt()).isEqualTo(5);
        assertThat(weight.path("after").path("weight").asInt()).isEqualTo(50);
        assertThat(weight.path("after").path("version").asInt()).isEqualTo(2);
        assertThat(items.get(2).path("after").isNull()).isTrue();
    }

    @Test
    void routes_surviveARestart_withTheirVersions() {
        admin.post("/api/v1/routes", CHECKOUT);
        admin.post("/api/v1/routes/checkout/weight", "{\"weight\":50}", "If-Match", "*");
        long version = admin.get("/api/gateway/routes").json().path("version").asLong();
        ramp.close();

        ramp = TestServer.restart(ramp);
        admin = ramp.admin;

        assertThat(admin.get("/api/v1/routes/checkout").etag()).isEqualTo("\"2\"");
        assertThat(admin.get("/api/gateway/routes").json().path("version").asLong()).isEqualTo(version);
    }

    static List<String> fields(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        reply.json().path("errors").forEach(error -> fields.add(error.path("field").asText()));
        return fields;
    }
}
