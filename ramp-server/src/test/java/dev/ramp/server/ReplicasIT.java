package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.DeltaEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server replicas in this JVM on one real PostgreSQL database: what is written through one is served by the
 * other, streams carry every change in commit order on both, a client resumes on either, and exactly one replica
 * drives releases until it stops, when the other goes on from the stored state.
 */
class ReplicasIT {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path directory;

    /** The advisory lock key of the release controller's leader (Leadership.SessionLock.KEY). */
    private static final long LEADER_LOCK = 0x72616d706c6472L;

    private TestServer first;
    private TestServer second;

    @BeforeEach
    void start() {
        first = TestServer.start("postgresql", directory);
        second = TestServer.replicaOf(first);
    }

    @AfterEach
    void stop() {
        second.close();
        first.close();
    }

    @Test
    void writesThroughBothReplicasAtOnce_reachEveryStreamOnBoth_inCommitOrder() throws Exception {
        String production = first.token("client", "production");
        await().atMost(Duration.ofSeconds(10)).until(() -> second.admin.as(production).get("/api/client/features").status() == 200);
        try (SseReader onFirst = SseReader.connect(first.url() + "/api/client/streaming", production, null);
             SseReader onSecond = SseReader.connect(second.url() + "/api/client/streaming", production, null)) {
            assertThat(onFirst.next().event()).isEqualTo("unleash-connected");
            assertThat(onSecond.next().event()).isEqualTo("unleash-connected");

            int each = 15;
            CompletableFuture<Void> writingFirst = CompletableFuture.runAsync(() -> create(first.admin, "a", each));
            CompletableFuture<Void> writingSecond = CompletableFuture.runAsync(() -> create(second.admin, "b", each));
            writingFirst.get();
            writingSecond.get();

            List<String> seenOnFirst = updates(onFirst, 2 * each);
            List<String> seenOnSecond = updates(onSecond, 2 * each);
            assertThat(seenOnFirst).as("the same changes, in the same order, on both replicas").isEqualTo(seenOnSecond);
            List<String> committed = new ArrayList<>();
            for (JsonNode change : audit(first.admin)) {
                if (change.path("resourceType").asText().equals("flag")) {
                    committed.add(change.path("id").asLong() + " " + change.path("resourceKey").asText());
                }
            }
            assertThat(seenOnFirst).as("the order the audit log gives the commits").isEqualTo(committed);
            assertThat(seenOnFirst).filteredOn(line -> line.endsWith(" a0") || line.endsWith(" b0")).hasSize(2);
        }
        assertThat(second.admin.as(production).get("/api/client/features").json().path("features"))
                .isEqualTo(first.admin.as(production).get("/api/client/features").json().path("features"));
    }

    @Test
    void aClientResumesOnTheOtherReplica_withExactlyTheEventsItMissed() throws Exception {
        String production = first.token("client", "production");
        String lastId;
        try (SseReader stream = SseReader.connect(first.url() + "/api/client/streaming", production, null)) {
            lastId = stream.next().id();
        }
        first.admin.post("/api/v1/flags", "{\"key\":\"one\"}");
        first.admin.post("/api/v1/flags", "{\"key\":\"two\"}");
        long written = first.server.controlPlane().current().lastChangeId();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.server.controlPlane().current().lastChangeId() == written);

        try (SseReader stream = SseReader.connect(second.url() + "/api/client/streaming", production, lastId)) {
            SseReader.Event resumed = stream.next();
            assertThat(resumed.event()).isEqualTo("unleash-connected");
            List<DeltaEvent> missed = UnleashCodec.decodeDelta(resumed.data());
            assertThat(missed).as("the missed events, not a hydration").allMatch(DeltaEvent.FlagUpdated.class::isInstance);
            assertThat(missed).extracting(event -> ((DeltaEvent.FlagUpdated) event).flag().name()).containsExactly("one", "two");
            assertThat(Long.parseLong(resumed.id())).isEqualTo(written);
        }
    }

    @Test
    void tokensSegmentsRoutesAndExperiments_changedOnOne_areServedByTheOther() throws Exception {
        String production = first.token("client", "production");
        await().atMost(Duration.ofSeconds(10)).until(() -> second.admin.as(production).get("/api/client/features").status() == 200);
        long id = StreamSupport.stream(first.admin.get("/api/v1/tokens").json().path("items").spliterator(), false)
                .filter(token -> token.path("name").asText().equals("client-production"))
                .findFirst().orElseThrow().path("id").asLong();
        assertThat(first.admin.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.admin.as(production).get("/api/client/features").status() == 401);

        Api.Reply segment = first.admin.post("/api/v1/segments",
                "{\"name\":\"beta\",\"constraints\":[{\"contextName\":\"userId\",\"operator\":\"IN\",\"values\":[\"1\"]}]}");
        assertThat(segment.status()).as(segment.body()).isEqualTo(201);
        String segmentPath = "/api/v1/segments/" + segment.json().path("id").asInt();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.admin.get(segmentPath).status() == 200);

        String gatewayToken = first.token("gateway", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> second.admin.as(gatewayToken).get("/api/gateway/routes").status() == 200);
        try (SseReader routes = SseReader.connect(second.url() + "/api/gateway/routes/stream", gatewayToken, null)) {
            assertThat(routes.status()).isEqualTo(200);
            assertThat(routes.next().event()).isEqualTo("routes");
            assertThat(first.admin.post("/api/v1/routes", ReleaseControllerIT.ROUTE).status()).isEqualTo(201);
            JsonNode added = JSON.readTree(routes.next().data());
            assertThat(added.path("routes")).extracting(route -> route.path("name").asText()).containsExactly("checkout");
        }
        try (SseReader routes = SseReader.connect(first.url() + "/api/gateway/routes/stream", gatewayToken, null)) {
            routes.next();
            assertThat(second.admin.post("/api/v1/routes/checkout/weight", "{\"weight\":40}", "If-Match", "*").status())
                    .isEqualTo(200);
            JsonNode moved = JSON.readTree(routes.next().data());
            assertThat(moved.path("routes").get(0).path("weight").asInt()).isEqualTo(40);
        }

        assertThat(first.admin.post("/api/v1/flags", ExperimentApiIT.BUTTON).status()).isEqualTo(201);
        Api.Reply experiment = first.admin.post("/api/v1/experiments", ExperimentApiIT.EXPERIMENT);
        assertThat(experiment.status()).as(experiment.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.admin.get("/api/v1/experiments/green-button").status() == 200);
        assertThat(second.admin.get("/api/v1/experiments/green-button").json().path("status").asText())
                .isEqualTo(experiment.json().path("status").asText());
    }

    @Test
    void oneReplicaDrivesReleases_theOtherTakesCommands_andLeadsOnceTheFirstStops() {
        first.server.releases().tick();
        second.server.releases().tick();
        assertThat(first.admin.get("/health").json().path("releaseController").asText()).isEqualTo("leading");
        assertThat(second.admin.get("/health").json().path("releaseController").asText()).isEqualTo("following");
        assertThat(second.admin.post("/api/v1/routes", ReleaseControllerIT.ROUTE).status()).isEqualTo(201);
        Api.Reply created = second.admin.post("/api/v1/releases", """
                {"kind":"Release","name":"checkout-v2","target":{"route":"checkout"},
                 "canary":{"steps":[{"setWeight":10},{"pause":"1h"},{"setWeight":50},{"pause":"30s"}]}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        awaitKnown(first, "checkout-v2", created.json().path("version").asLong());

        second.server.releases().tick();
        assertThat(ReleaseControllerIT.weights(first.admin)).as("a follower decides nothing").isEmpty();
        first.server.releases().tick();
        assertThat(ReleaseControllerIT.weights(first.admin)).containsExactly(10);

        Api.Reply promoted = second.admin.post("/api/v1/releases/checkout-v2/promote", "");
        assertThat(promoted.status()).as("a follower takes commands: " + promoted.body()).isEqualTo(200);
        awaitKnown(first, "checkout-v2", promoted.json().path("version").asLong());
        first.server.releases().tick();
        assertThat(ReleaseControllerIT.weights(second.admin)).containsExactly(10, 50);

        first.close();
        second.clock.advance(Duration.ofSeconds(31));
        second.server.releases().tick();
        assertThat(second.admin.get("/health").json().path("releaseController").asText()).isEqualTo("leading");
        JsonNode release = second.admin.get("/api/v1/releases/checkout-v2").json();
        assertThat(release.path("phase").asText()).isEqualTo("promoted");
        assertThat(ReleaseControllerIT.weights(second.admin)).as("each weight set once").containsExactly(10, 50, 100);
    }

    @Test
    void aReplicaWhoseDatabaseSessionEnds_stopsLeading_andAnotherTakesTheLead() throws Exception {
        assertThat(first.admin.post("/api/v1/routes", ReleaseControllerIT.ROUTE).status()).isEqualTo(201);
        Api.Reply created = first.admin.post("/api/v1/releases", """
                {"kind":"Release","name":"checkout-v2","target":{"route":"checkout"},
                 "canary":{"steps":[{"setWeight":10},{"pause":"1h"},{"setWeight":50},{"pause":"1h"}]}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        first.server.releases().tick();
        assertThat(ReleaseControllerIT.weights(first.admin)).containsExactly(10);

        // As when the leader's connection to the database breaks: PostgreSQL ends the session and frees its lock.
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(first.databaseUrl());
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet ended = statement.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_locks"
                     + " WHERE locktype = 'advisory' AND granted AND classid = " + (LEADER_LOCK >>> 32)
                     + " AND objid = " + (LEADER_LOCK & 0xffffffffL))) {
            assertThat(ended.next()).as("the leader's session holds the lock").isTrue();
            assertThat(ended.getBoolean(1)).isTrue();
        }
        second.server.releases().tick();
        assertThat(second.admin.get("/health").json().path("releaseController").asText()).isEqualTo("leading");
        first.server.releases().tick();
        assertThat(first.admin.get("/health").json().path("releaseController").asText()).isEqualTo("following");

        Api.Reply promoted = first.admin.post("/api/v1/releases/checkout-v2/promote", "");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        awaitKnown(second, "checkout-v2", promoted.json().path("version").asLong());
        first.server.releases().tick();
        second.server.releases().tick();
        assertThat(ReleaseControllerIT.weights(first.admin)).as("the new leader moves it, once").containsExactly(10, 50);
    }

    @Test
    void aClientOfAReplicaThatRestarted_getsTheStateAsItIsNow_whenItReconnects() throws Exception {
        String production = first.token("client", "production");
        await().atMost(Duration.ofSeconds(10)).until(() -> second.admin.as(production).get("/api/client/features").status() == 200);
        String lastId;
        try (SseReader stream = SseReader.connect(second.url() + "/api/client/streaming", production, null)) {
            lastId = stream.next().id();
        }
        second.close();
        first.admin.post("/api/v1/flags", "{\"key\":\"while-away\"}");
        second = TestServer.replicaOf(first);

        try (SseReader stream = SseReader.connect(second.url() + "/api/client/streaming", production, lastId)) {
            SseReader.Event resumed = stream.next();
            List<DeltaEvent> events = UnleashCodec.decodeDelta(resumed.data());
            assertThat(events).as("a restarted replica keeps no events to resume from: a hydration")
                    .singleElement().isInstanceOf(DeltaEvent.Hydration.class);
            assertThat(((DeltaEvent.Hydration) events.get(0)).flags()).extracting(flag -> flag.name()).contains("while-away");
        }
    }

    @Test
    void aFlagChangedTwiceOnOne_reachesAClientResumingOnTheOther_change_by_change() throws Exception {
        String production = first.token("client", "production");
        String seen;
        try (SseReader stream = SseReader.connect(first.url() + "/api/client/streaming", production, null)) {
            stream.next();
            first.admin.post("/api/v1/flags", "{\"key\":\"twice\"}");
            assertThat(first.admin.post("/api/v1/flags/twice/environments/production/on", null, "If-Match", "\"1\"")
                    .status()).isEqualTo(200);
            stream.next();
            seen = stream.next().id();
        }
        assertThat(first.admin.post("/api/v1/flags/twice/environments/production/off", null, "If-Match", "\"2\"")
                .status()).isEqualTo(200);
        long written = first.server.controlPlane().current().lastChangeId();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.server.controlPlane().current().lastChangeId() == written);

        try (SseReader stream = SseReader.connect(second.url() + "/api/client/streaming", production, seen)) {
            List<DeltaEvent> missed = UnleashCodec.decodeDelta(stream.next().data());
            assertThat(missed).as("the change after the one seen, as it was").singleElement()
                    .isInstanceOfSatisfying(DeltaEvent.FlagUpdated.class, updated -> {
                        assertThat(updated.eventId()).isEqualTo(written);
                        assertThat(updated.flag().enabled()).isFalse();
                    });
        }
    }

    @Test
    void theSameEnvironmentCreatedThroughBothAtOnce_isCreatedOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            String body = "{\"name\":\"staging-" + round + "\"}";
            CompletableFuture<Integer> onFirst = CompletableFuture.supplyAsync(() -> first.admin.post("/api/v1/environments", body).status());
            CompletableFuture<Integer> onSecond = CompletableFuture.supplyAsync(() -> second.admin.post("/api/v1/environments", body).status());
            assertThat(List.of(onFirst.get(), onSecond.get())).as("round " + round).containsExactlyInAnyOrder(201, 409);
        }
        long creates = audit(first.admin).stream()
                .filter(change -> change.path("resourceType").asText().equals("environment"))
                .filter(change -> change.path("action").asText().equals("create"))
                .filter(change -> change.path("resourceKey").asText().startsWith("staging-"))
                .count();
        assertThat(creates).isEqualTo(5);
    }

    /** Creates flags {@code prefix}0 to {@code prefix}{count - 1}, one request each. */
    private static void create(Api admin, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            Api.Reply reply = admin.post("/api/v1/flags", "{\"key\":\"" + prefix + i + "\"}");
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        }
    }

    /** The next {@code count} updates of {@code stream} as "id flag", checking that ids only grow. */
    private static List<String> updates(SseReader stream, int count) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long previous = 0;
        while (seen.size() < count) {
            SseReader.Event update = stream.next();
            assertThat(update.event()).isEqualTo("unleash-updated");
            assertThat(Long.parseLong(update.id())).isGreaterThan(previous);
            previous = Long.parseLong(update.id());
            for (DeltaEvent event : UnleashCodec.decodeDelta(update.data())) {
                seen.add(event.eventId() + " " + ((DeltaEvent.FlagUpdated) event).flag().name());
            }
        }
        return seen;
    }

    /** The whole audit log, oldest first. */
    private static List<JsonNode> audit(Api admin) {
        List<JsonNode> all = new ArrayList<>();
        admin.get("/api/v1/audit?limit=500").json().path("items").forEach(all::add);
        all.sort(java.util.Comparator.comparingLong(change -> change.path("id").asLong()));
        return all;
    }

    /** Waits until {@code server}'s release controller knows {@code version} of the release. */
    private static void awaitKnown(TestServer server, String release, long version) {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.server.releases().release(release)
                .map(stored -> stored.version() >= version).orElse(false));
    }
}
