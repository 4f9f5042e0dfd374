package dev.ramp.sdk;

import static dev.ramp.sdk.ScriptedServer.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.core.eval.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK against a scripted server that sends what a real one should not: truncated documents, malformed
 * events, no stream. The last good snapshot must survive all of it.
 */
class RampClientFaultsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Context USER = Context.ofUser("user-1");

    @TempDir
    Path directory;
    private final ScriptedServer server = new ScriptedServer();
    private final List<RampClient> clients = new CopyOnWriteArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        clients.forEach(RampClient::close);
        server.close();
    }

    private static String features(boolean checkoutOn) {
        return "{\"version\":2,\"features\":[{\"name\":\"checkout\",\"enabled\":" + checkoutOn + ",\"strategies\":[{\"name\":\"default\"}]}]}";
    }

    private static String hydration(long id, boolean checkoutOn) {
        return "{\"events\":[{\"type\":\"hydration\",\"eventId\":" + id + ",\"features\":[{\"name\":\"checkout\",\"enabled\":"
                + checkoutOn + ",\"strategies\":[{\"name\":\"default\"}]}],\"segments\":[]}]}";
    }

    private static String updated(long id, boolean checkoutOn) {
        return "{\"events\":[{\"type\":\"feature-updated\",\"eventId\":" + id + ",\"feature\":{\"name\":\"checkout\",\"enabled\":"
                + checkoutOn + ",\"strategies\":[{\"name\":\"default\"}]}}]}";
    }

    private RampClientBuilder builder() {
        return RampClient.builder().url(server.url()).token("*:production.test").appName("faults")
                .backupFile(directory.resolve("backup.json"))
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .pollInterval(Duration.ofMillis(100))
                .listener(new RampListener() {
                    @Override
                    public void onStale(String reason) {
                        heard.add("stale " + reason);
                    }

                    @Override
                    public void onReady(SnapshotVersion version) {
                        heard.add("ready");
                    }
                });
    }

    private RampClient started(RampClientBuilder builder) {
        RampClient client = builder.build();
        clients.add(client);
        return client;
    }

    @Test
    void truncatedDocument_isIgnored_andTheLastGoodSnapshotKept() throws Exception {
        server.serve(new ScriptedServer.Document(200, "\"1\"", features(true)));
        RampClient client = started(builder().streaming(false));
        assertThat(client.awaitReady(WAIT)).isTrue();
        assertThat(client.isEnabled("checkout", USER)).isTrue();
        await().atMost(WAIT).until(() -> Files.exists(directory.resolve("backup.json")));
        String goodBackup = Files.readString(directory.resolve("backup.json"));

        String truncated = features(false).substring(0, 40);
        server.serve(new ScriptedServer.Document(200, "\"2\"", truncated));
        await().atMost(WAIT).until(() -> client.state() == ClientState.STALE);

        assertThat(client.isEnabled("checkout", USER)).isTrue();
        assertThat(Files.readString(directory.resolve("backup.json"))).isEqualTo(goodBackup);
        assertThat(heard).anyMatch(event -> event.startsWith("stale the features document is not valid"));

        server.serve(new ScriptedServer.Document(200, "\"3\"", features(false)));
        await().atMost(WAIT).until(() -> !client.isEnabled("checkout", USER));
        assertThat(client.state()).isEqualTo(ClientState.READY);
    }

    @Test
    void fetch_sendsTheEtag_andA304KeepsTheSnapshot() {
        server.serve(new ScriptedServer.Document(200, "\"7\"", features(true)));
        RampClient client = started(builder().streaming(false));
        assertThat(client.awaitReady(WAIT)).isTrue();

        await().atMost(WAIT).until(() -> server.featureRequests.size() >= 3);

        assertThat(server.featureRequests.get(0)).doesNotContainKey("If-none-match");
        assertThat(server.featureRequests.get(2).get("If-none-match")).containsExactly("\"7\"");
        assertThat(server.featureRequests.get(2).get("Authorization")).containsExactly("*:production.test");
        assertThat(client.version().etag()).isEqualTo("\"7\"");
        assertThat(client.isEnabled("checkout", USER)).isTrue();
    }

    @Test
    void malformedStreamEvent_isIgnored_andTheStreamStartsOverFromAHydration() {
        server.serve(new ScriptedServer.Document(200, "\"1\"", features(true)));
        server.script(new ScriptedServer.StreamScript(200, List.of(
                frame(5, "unleash-connected", hydration(5, true)),
                frame(6, "unleash-updated", updated(6, false).substring(0, 30))), true));
        server.script(new ScriptedServer.StreamScript(200, List.of(frame(7, "unleash-connected", hydration(7, false))), true));
        RampClient client = started(builder());

        await().atMost(WAIT).until(() -> !client.isEnabled("checkout", USER) && client.version().changeId() == 7);

        assertThat(heard).anyMatch(event -> event.startsWith("stale ignored an invalid 'unleash-updated' event"));
        assertThat(server.streamRequests).hasSize(2);
        assertThat(server.streamRequests.get(1)).as("after an ignored event the client asks for a whole hydration")
                .doesNotContainKey("Last-event-id");
        assertThat(client.state()).isEqualTo(ClientState.READY);
    }

    @Test
    void droppedStream_reconnectsWithTheLastEventId_andAppliesWhatItMissed() {
        server.serve(new ScriptedServer.Document(200, "\"1\"", features(false)));
        server.script(new ScriptedServer.StreamScript(200, List.of(frame(5, "unleash-connected", hydration(5, false))), false));
        server.script(new ScriptedServer.StreamScript(200, List.of(frame(6, "unleash-connected", updated(6, true))), true));
        RampClient client = started(builder());

        await().atMost(WAIT).until(() -> client.isEnabled("checkout", USER));

        assertThat(server.streamRequests.get(1).get("Last-event-id")).containsExactly("5");
        assertThat(client.version()).extracting(SnapshotVersion::origin, SnapshotVersion::changeId)
                .containsExactly(SnapshotOrigin.STREAM, 6L);
    }

    @Test
    void serverWithoutAStream_isPolled() {
        server.serve(new ScriptedServer.Document(200, "\"1\"", features(false)));
        server.script(new ScriptedServer.StreamScript(404, List.of(), false));
        RampClient client = started(builder());
        assertThat(client.awaitReady(WAIT)).isTrue();

        server.serve(new ScriptedServer.Document(200, "\"2\"", features(true)));

        await().atMost(WAIT).until(() -> client.isEnabled("checkout", USER));
        assertThat(server.streamRequests).hasSize(1);
        assertThat(client.version().origin()).isEqualTo(SnapshotOrigin.FETCH);
    }

    @Test
    void fullEventQueue_dropsAndCountsEvents_andSendsTheRestOnClose() {
        server.serve(new ScriptedServer.Document(200, "\"1\"", features(true)));
        RampClient client = started(builder().streaming(false).events(10, 1_000, Duration.ofMinutes(10), 3));

        for (int i = 0; i < 25; i++) {
            client.track("purchase", Context.ofUser("user-" + i), i);
        }
        client.track("purchase", Context.empty(), 1);
        client.track("purchase", USER, Double.NaN);
        client.close();

        UsageStats usage = client.usage();
        assertThat(usage.eventsQueued()).isEqualTo(10);
        assertThat(usage.eventsDropped()).isEqualTo(16);
        assertThat(usage.eventsNoUnit()).isEqualTo(1);
        assertThat(usage.eventsSent()).isEqualTo(10);
        String batch = server.posts.stream().filter(post -> post.startsWith("/api/client/events ")).findFirst().orElseThrow();
        assertThat(batch).contains("\"type\":\"metric\"", "\"name\":\"purchase\"", "\"unit\":\"user-0\"", "\"unit\":\"user-9\"")
                .doesNotContain("\"unit\":\"user-10\"");
    }

    @Test
    void eventsTheServerWouldRefuse_areDroppedAtOnce_soTheyCannotSpoilABatch() {
        server.serve(new ScriptedServer.Document(200, "\"1\"", features(true)));
        RampClient client = started(builder().streaming(false).events(100, 1_000, Duration.ofMinutes(10), 3));

        client.track("purchase", USER, 2e12);
        client.track("purchase", USER, -2e12);
        client.track("x".repeat(257), USER, 1);
        client.track("line\nbreak", USER, 1);
        client.track("purchase", Context.ofUser("u".repeat(257)), 1);
        client.track("purchase", Context.ofUser("tab\tbed"), 1);
        client.track("purchase", USER, 1e12);
        client.close();

        assertThat(client.usage().eventsDropped()).isEqualTo(6);
        assertThat(client.usage().eventsSent()).isEqualTo(1);
    }

    @Test
    void exposures_areSentOncePerUnitAndVariant_forFlagsWithImpressionData() {
        server.serve(new ScriptedServer.Document(200, "\"1\"", "{\"version\":2,\"features\":[{\"name\":\"button\",\"enabled\":true,"
                + "\"impressionData\":true,\"strategies\":[{\"name\":\"default\"}],"
                + "\"variants\":[{\"name\":\"blue\",\"weight\":1000,\"stickiness\":\"default\"}]}]}"));
        RampClient client = started(builder().streaming(false).events(100, 100, Duration.ofMinutes(10), 3));
        assertThat(client.awaitReady(WAIT)).isTrue();

        client.variant("button", USER);
        client.variant("button", USER);
        client.evaluateString("button", Context.ofUser("user-2"), "none");
        client.close();

        assertThat(client.usage().eventsSent()).isEqualTo(2);
        String batch = server.posts.stream().filter(post -> post.startsWith("/api/client/events ")).findFirst().orElseThrow();
        assertThat(batch).contains("\"type\":\"exposure\"", "\"flag\":\"button\"", "\"variant\":\"blue\"",
                "\"unit\":\"user-1\"", "\"unit\":\"user-2\"");
    }
}
