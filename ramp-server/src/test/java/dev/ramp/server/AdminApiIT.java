package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP, on SQLite and on PostgreSQL. */
class AdminApiIT extends ServerIT {
    static final String CHECKOUT = """
            {"key":"checkout","description":"the new checkout","environments":{"production":{"enabled":true,
             "strategies":[{"name":"flexibleRollout","parameters":{"rollout":"25","stickiness":"default","groupId":"checkout"},
             "constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}]}]}}}""";


    @Test
    void environments_developmentAndProductionExistFromTheStart() {
        Api.Reply reply = admin.get("/api/v1/environments");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("items").findValuesAsText("name")).containsExactly("development", "production");
    }

    @Test
    void environment_createUpdateDelete_withVersions() {
        Api.Reply created = admin.post("/api/v1/environments", "{\"name\":\"staging\",\"description\":\"pre-release\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.etag()).isEqualTo("\"1\"");
        assertThat(admin.post("/api/v1/environments", "{\"name\":\"staging\"}").status()).isEqualTo(409);

        Api.Reply updated = admin.put("/api/v1/environments/staging", "{\"description\":\"QA\"}", "If-Match", "\"1\"");
        assertThat(updated.json().path("description").asText()).isEqualTo("QA");
        assertThat(admin.delete("/api/v1/environments/staging", "If-Match", "\"1\"").status()).isEqualTo(412);
        assertThat(admin.delete("/api/v1/environments/staging", "If-Match", "\"2\"").status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/environments/staging").status()).isEqualTo(404);
    }

    @Test
    void flag_createReadUpdate_carriesVersionsAndRefusesStaleWrites() {
        Api.Reply created = admin.post("/api/v1/flags", CHECKOUT);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/flags/checkout");
        assertThat(created.etag()).isEqualTo("\"1\"");
        assertThat(created.json().path("environments").path("production").path("strategies").get(0).path("id").asText())
                .isNotEmpty();

        Api.Reply read = admin.get("/api/v1/flags/checkout");
        assertThat(read.etag()).isEqualTo("\"1\"");
        String edited = read.body().replace("the new checkout", "checkout, version two");

        assertThat(admin.put("/api/v1/flags/checkout", edited).status()).isEqualTo(428);
        Api.Reply updated = admin.put("/api/v1/flags/checkout", edited, "If-Match", read.etag());
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.etag()).isEqualTo("\"2\"");
        assertThat(updated.json().path("description").asText()).isEqualTo("checkout, version two");

        Api.Reply stale = admin.put("/api/v1/flags/checkout", edited, "If-Match", read.etag());
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.header("Content-Type")).startsWith("application/problem+json");
        assertThat(stale.json().path("detail").asText()).contains("version 2", "not 1");
    }

    @Test
    void flag_concurrentUpdatesFromOneVersion_exactlyOneWinsAndNoneIsLost() throws Exception {
        admin.post("/api/v1/flags", CHECKOUT);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch ready = new CountDownLatch(writers);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                String description = "writer " + i;
                statuses.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return admin.put("/api/v1/flags/checkout", CHECKOUT.replace("the new checkout", description),
                            "If-Match", "\"1\"").status();
                }));
            }
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                results.add(status.get());
            }
            assertThat(results).filteredOn(s -> s == 200).hasSize(1);
            assertThat(results).filteredOn(s -> s == 412).hasSize(writers - 1);
        } finally {
            pool.shutdownNow();
        }
        JsonNode history = admin.get("/api/v1/flags/checkout/history").json().path("items");
        assertThat(history).hasSize(2);
        assertThat(admin.get("/api/v1/flags/checkout").json().path("description").asText())
                .isEqualTo(history.get(1).path("after").path("description").asText());
    }

    @Test
    void flags_list_searchesAndPages() {
        for (String key : List.of("search.ranking", "search.suggest", "checkout", "payments.kill-switch")) {
            assertThat(admin.post("/api/v1/flags", "{\"key\":\"" + key + "\"}").status()).isEqualTo(201);
        }

        JsonNode search = admin.get("/api/v1/flags?q=SEARCH").json();
        assertThat(search.path("total").asInt()).isEqualTo(2);
        assertThat(search.path("items").findValuesAsText("key")).containsExactly("search.ranking", "search.suggest");

        JsonNode page = admin.get("/api/v1/flags?limit=2&offset=1").json();
        assertThat(page.path("total").asInt()).isEqualTo(4);
        assertThat(page.path("items").findValuesAsText("key")).containsExactly("payments.kill-switch", "search.ranking");

        Api.Reply badLimit = admin.get("/api/v1/flags?limit=0");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().path("errors").get(0).path("field").asText()).isEqualTo("limit");
    }

    @Test
    void toggle_inOneEnvironment_leavesTheOtherAsItWas() {
        admin.post("/api/v1/flags", "{\"key\":\"banner\"}");
        Api.Reply on = admin.post("/api/v1/flags/banner/environments/development/on", null, "If-Match", "\"1\"");
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.json().path("enabled").asBoolean()).isTrue();
        assertThat(on.etag()).isEqualTo("\"2\"");

        assertThat(admin.get("/api/v1/flags/banner/environments/development").json().path("enabled").asBoolean()).isTrue();
        assertThat(admin.get("/api/v1/flags/banner/environments/production").json().path("enabled").asBoolean()).isFalse();
        assertThat(admin.post("/api/v1/flags/banner/environments/staging/on", null, "If-Match", "\"2\"").status())
                .isEqualTo(404);
    }

    @Test
    void strategies_addReplaceDelete_addressedById() {
        admin.post("/api/v1/flags", "{\"key\":\"banner\"}");
        String base = "/api/v1/flags/banner/environments/production/strategies";
        Api.Reply added = admin.post(base, "{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"10\"}}", "If-Match", "\"1\"");
        assertThat(added.status()).isEqualTo(201);
        String id = added.json().path("id").asText();
        assertThat(added.header("Location")).isEqualTo(base + "/" + id);

        Api.Reply replaced = admin.put(base + "/" + id, "{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"50\"}}",
                "If-Match", "\"2\"");
        assertThat(replaced.json().path("parameters").path("rollout").asText()).isEqualTo("50");
        assertThat(admin.get(base).json().path("items")).hasSize(1);

        Api.Reply badRollout = admin.put(base + "/" + id, "{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"150\"}}",
                "If-Match", "\"3\"");
        assertThat(badRollout.status()).isEqualTo(400);
        assertThat(badRollout.json().path("errors").get(0).path("field").asText()).isEqualTo("parameters.rollout");

        assertThat(admin.delete(base + "/" + id, "If-Match", "\"3\"").status()).isEqualTo(204);
        assertThat(admin.get(base + "/" + id).status()).isEqualTo(404);
    }

    @Test
    void variants_mustAddUpToAThousand() {
        admin.post("/api/v1/flags", "{\"key\":\"color\"}");
        String path = "/api/v1/flags/color/environments/production/variants";
        Api.Reply wrong = admin.put(path, "{\"variants\":[{\"name\":\"blue\",\"weight\":500},{\"name\":\"red\",\"weight\":400}]}",
                "If-Match", "\"1\"");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("errors").get(0).path("reason").asText()).contains("1000", "900");

        Api.Reply right = admin.put(path, "{\"variants\":[{\"name\":\"blue\",\"weight\":500,\"payload\":{\"type\":\"json\",\"value\":\"{\\\"a\\\":1}\"}},"
                + "{\"name\":\"red\",\"weight\":500}]}", "If-Match", "\"1\"");
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.json().path("variants").findValuesAsText("name")).containsExactly("blue", "red");
        assertThat(admin.get(path).etag()).isEqualTo("\"2\"");
    }

    @Test
    void segments_crud_andASegmentInUseCannotBeDeleted() {
        Api.Reply created = admin.post("/api/v1/segments",
                "{\"name\":\"beta\",\"constraints\":[{\"contextName\":\"plan\",\"operator\":\"IN\",\"values\":[\"beta\"]}]}");
        assertThat(created.status()).isEqualTo(201);
        int id = created.json().path("id").asInt();

        Api.Reply unknownSegment = admin.post("/api/v1/flags",
                "{\"key\":\"f\",\"environments\":{\"production\":{\"strategies\":[{\"name\":\"default\",\"segments\":[999]}]}}}");
        assertThat(unknownSegment.status()).isEqualTo(400);
        assertThat(unknownSegment.json().path("errors").get(0).path("field").asText())
                .isEqualTo("environments.production.strategies[0].segments[0]");

        admin.post("/api/v1/flags",
                "{\"key\":\"f\",\"environments\":{\"production\":{\"strategies\":[{\"name\":\"default\",\"segments\":[" + id + "]}]}}}");
        assertThat(admin.delete("/api/v1/segments/" + id, "If-Match", "\"1\"").status()).isEqualTo(409);

        Api.Reply updated = admin.put("/api/v1/segments/" + id, "{\"name\":\"beta testers\"}", "If-Match", "\"1\"");
        assertThat(updated.etag()).isEqualTo("\"2\"");
        assertThat(admin.get("/api/v1/segments").json().path("items").findValuesAsText("name")).containsExactly("beta testers");
    }

    @Test
    void history_recordsActorTimeAndBothStates_andRevertRestoresAnOldVersionAsANewChange() {
        admin.post("/api/v1/flags", CHECKOUT);
        ramp.clock.advance(java.time.Duration.ofMinutes(5));
        admin.post("/api/v1/flags/checkout/environments/production/off", null, "If-Match", "\"1\"");

        JsonNode history = admin.get("/api/v1/flags/checkout/history").json().path("items");
        assertThat(history).hasSize(2);
        JsonNode toggle = history.get(1);
        assertThat(toggle.path("actor").asText()).isEqualTo(RampServer.BOOTSTRAP_TOKEN_NAME);
        assertThat(toggle.path("action").asText()).isEqualTo("disable");
        assertThat(toggle.path("at").asText()).isEqualTo("2026-12-01T10:05:00Z");
        assertThat(toggle.path("before").path("environments").path("production").path("enabled").asBoolean()).isTrue();
        assertThat(toggle.path("after").path("environments").path("production").path("enabled").asBoolean()).isFalse();

        Api.Reply reverted = admin.post("/api/v1/flags/checkout/revert", "{\"version\":1}", "If-Match", "\"2\"");
        assertThat(reverted.status()).isEqualTo(200);
        assertThat(reverted.etag()).isEqualTo("\"3\"");
        assertThat(reverted.json().path("environments").path("production").path("enabled").asBoolean()).isTrue();
        JsonNode after = admin.get("/api/v1/flags/checkout/history").json().path("items");
        assertThat(after).hasSize(3);
        assertThat(after.get(2).path("action").asText()).isEqualTo("revert");

        Api.Reply never = admin.post("/api/v1/flags/checkout/revert", "{\"version\":9}", "If-Match", "\"3\"");
        assertThat(never.status()).isEqualTo(400);
        assertThat(never.json().path("errors").get(0).path("field").asText()).isEqualTo("version");
    }

    @Test
    void revert_toAnArchivedVersion_isRefusedWhileOtherFlagsDependOnIt() {
        admin.post("/api/v1/flags", "{\"key\":\"parent\"}");
        admin.post("/api/v1/flags/parent/archive", null, "If-Match", "\"1\"");
        admin.post("/api/v1/flags/parent/revive", null, "If-Match", "\"2\"");
        admin.post("/api/v1/flags", "{\"key\":\"child\",\"dependencies\":[{\"feature\":\"parent\"}]}");

        Api.Reply refused = admin.post("/api/v1/flags/parent/revert", "{\"version\":2}", "If-Match", "\"3\"");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("child");
        assertThat(admin.post("/api/v1/flags/child/environments/production/on", null, "If-Match", "\"1\"").status())
                .isEqualTo(200);
    }

    @Test
    void ifMatchStar_appliesToTheCurrentVersion() {
        admin.post("/api/v1/flags", "{\"key\":\"a\"}");
        admin.post("/api/v1/flags/a/environments/production/on", null, "If-Match", "\"1\"");
        Api.Reply any = admin.post("/api/v1/flags/a/environments/production/off", null, "If-Match", "*");
        assertThat(any.status()).isEqualTo(200);
        assertThat(any.etag()).isEqualTo("\"3\"");
    }

    @Test
    void archive_hidesTheFlagFromListsUntilRevived() {
        admin.post("/api/v1/flags", "{\"key\":\"old\"}");
        assertThat(admin.post("/api/v1/flags/old/archive", null, "If-Match", "\"1\"").json().path("archived").asBoolean()).isTrue();
        assertThat(admin.get("/api/v1/flags").json().path("total").asInt()).isZero();
        assertThat(admin.get("/api/v1/flags?archived=true").json().path("total").asInt()).isEqualTo(1);
        assertThat(admin.post("/api/v1/flags/old/environments/production/on", null, "If-Match", "\"2\"").status()).isEqualTo(409);

        assertThat(admin.post("/api/v1/flags/old/revive", null, "If-Match", "\"2\"").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/flags").json().path("total").asInt()).isEqualTo(1);
    }

    @Test
    void tokens_createListRevoke_neverShowingSecretsAgain() {
        Api.Reply created = admin.post("/api/v1/tokens", "{\"name\":\"shop\",\"scope\":\"client\",\"environment\":\"production\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asText();
        assertThat(secret).startsWith("*:production.");
        long id = created.json().path("token").path("id").asLong();

        String listing = admin.get("/api/v1/tokens").body();
        assertThat(listing).contains("shop").doesNotContain(secret).doesNotContain("secretHash")
                .doesNotContain(TestServer.ADMIN_TOKEN.substring(0, 8));
        Api client = admin.as(secret);
        assertThat(client.get("/api/client/features").status()).isEqualTo(200);

        assertThat(admin.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        assertThat(client.get("/api/client/features").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/audit").body()).contains("\"action\":\"revoke\"").doesNotContain(secret);
    }

    @Test
    void tokens_theLastAdminTokenCannotBeRevoked() {
        long bootstrap = admin.get("/api/v1/tokens").json().path("items").get(0).path("id").asLong();
        Api.Reply refused = admin.delete("/api/v1/tokens/" + bootstrap);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("last admin token");

        String second = admin.post("/api/v1/tokens", "{\"name\":\"ops\",\"scope\":\"admin\"}").json().path("secret").asText();
        assertThat(admin.as(second).delete("/api/v1/tokens/" + bootstrap).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/flags").status()).isEqualTo(401);
    }

    @Test
    void tokens_badRequests_nameTheField() {
        Api.Reply scope = admin.post("/api/v1/tokens", "{\"name\":\"x\",\"scope\":\"root\"}");
        assertThat(scope.status()).isEqualTo(400);
        assertThat(scope.json().path("errors").get(0).path("field").asText()).isEqualTo("scope");

        Api.Reply environment = admin.post("/api/v1/tokens", "{\"name\":\"x\",\"scope\":\"client\",\"environment\":\"mars\"}");
        assertThat(environment.status()).isEqualTo(400);
        assertThat(environment.json().path("errors").get(0).path("field").asText()).isEqualTo("environment");
    }

    @Test
    void openApiDocument_listsExactlyTheRoutesTheServerServes() {
        Api.Reply reply = new Api(ramp.url(), null).get("/api/v1/openapi.json");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode paths = reply.json().path("paths");
        List<String> documented = new ArrayList<>();
        paths.fieldNames().forEachRemaining(path -> paths.path(path).fieldNames().forEachRemaining(method -> {
            if (List.of("get", "post", "put", "delete", "patch").contains(method)) {
                documented.add(method + " " + path);
            }
        }));
        List<String> served = ramp.server.routes().stream().map(route -> route.method() + " " + route.path()).toList();

        assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
    }
}
