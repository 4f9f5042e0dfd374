package dev.ramp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.core.eval.Context;
import dev.ramp.sdk.server.LocalRampServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK against a real Ramp server on loopback: sync, restarts, the backup file, usage reports and close. */
class RampClientIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Context USER = Context.ofUser("user-1");

    @TempDir
    Path directory;
    private LocalRampServer ramp;
    private String token;
    private final List<RampClient> clients = new CopyOnWriteArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() {
        ramp = LocalRampServer.start(directory.resolve("server"));
        token = ramp.clientToken("production");
    }

    @AfterEach
    void stopAll() {
        clients.forEach(RampClient::close);
        ramp.close();
    }

    private RampClientBuilder builder() {
        return RampClient.builder().url(ramp.url()).token(token).appName("shop")
                .backupFile(directory.resolve("backup.json"))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .listener(new RampListener() {
                    @Override
                    public void onReady(SnapshotVersion version) {
                        heard.add("ready " + version.origin());
                    }

                    @Override
                    public void onChanged(SnapshotVersion version, Set<String> flags) {
                        heard.add("changed " + flags);
                    }

                    @Override
                    public void onStale(String reason) {
                        heard.add("stale");
                    }

                    @Override
                    public void onError(String reason) {
                        heard.add("error");
                    }
                });
    }

    private RampClient started(RampClientBuilder builder) {
        RampClient client = builder.build();
        clients.add(client);
        return client;
    }

    @Test
    void change_madeThroughTheAdminApi_reachesTheClientByTheStream() {
        ramp.createFlag("checkout", false);
        RampClient client = started(builder());
        assertThat(client.awaitReady(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> client.version().origin() == SnapshotOrigin.STREAM);
        assertThat(client.isEnabled("checkout", USER)).isFalse();

        ramp.toggle("checkout", true);

        await().atMost(WAIT).until(() -> client.isEnabled("checkout", USER));
        assertThat(client.state()).isEqualTo(ClientState.READY);
        assertThat(client.version().changeId()).isPositive();
        await().atMost(WAIT).until(() -> heard.contains("changed [checkout]"));
        assertThat(heard.get(0)).isEqualTo("ready FETCH");
    }

    @Test
    void polling_withoutTheStream_seesChangesAtTheInterval() {
        ramp.createFlag("checkout", false);
        RampClient client = started(builder().streaming(false).pollInterval(Duration.ofMillis(100)));
        assertThat(client.awaitReady(WAIT)).isTrue();

        ramp.toggle("checkout", true);

        await().atMost(WAIT).until(() -> client.isEnabled("checkout", USER));
        assertThat(client.version().origin()).isEqualTo(SnapshotOrigin.FETCH);
        assertThat(client.version().etag()).isNotEmpty();
        assertThat(ramp.streams()).isZero();
    }

    @Test
    void serverRestart_midStream_clientCatchesUpWithoutMissingAChange() {
        ramp.createFlag("checkout", false);
        RampClient client = started(builder());
        await().atMost(WAIT).until(() -> ramp.streams() == 1);

        ramp.stop();
        await().atMost(WAIT).until(() -> client.state() == ClientState.STALE);
        assertThat(client.isEnabled("checkout", USER)).as("the last snapshot is still evaluated").isFalse();
        ramp.startAgain();
        // Changes made as soon as the server is back, before or after the client reconnects: none may be missed.
        ramp.toggle("checkout", true);
        ramp.createFlag("banner", true);
        ramp.createFlag("search", true);

        await().atMost(WAIT).until(() -> client.isEnabled("checkout", USER) && client.isEnabled("banner", USER)
                && client.isEnabled("search", USER));
        await().atMost(WAIT).until(() -> client.state() == ClientState.READY && ramp.streams() == 1);
        ramp.toggle("search", false);
        await().atMost(WAIT).until(() -> !client.isEnabled("search", USER));
        assertThat(heard.subList(heard.indexOf("stale"), heard.size())).as("ready again after stale: " + heard)
                .anyMatch(event -> event.startsWith("ready "));
    }

    @Test
    void serverDownAtStart_clientEvaluatesTheBackupFile_thenCatchesUp() {
        ramp.createFlag("checkout", true);
        RampClient first = started(builder());
        await().atMost(WAIT).until(() -> first.isEnabled("checkout", USER));
        first.close();
        assertThat(directory.resolve("backup.json")).exists();
        ramp.stop();

        RampClient second = started(builder());

        assertThat(second.awaitReady(WAIT)).isTrue();
        assertThat(second.version().origin()).isEqualTo(SnapshotOrigin.BACKUP);
        assertThat(second.isEnabled("checkout", USER)).isTrue();
        await().atMost(WAIT).until(() -> second.state() == ClientState.STALE);

        ramp.startAgain();
        ramp.toggle("checkout", false);
        await().atMost(WAIT).until(() -> !second.isEnabled("checkout", USER));
        assertThat(second.state()).isEqualTo(ClientState.READY);
    }

    @Test
    void serverDownAtStart_withoutBackup_clientFailsOverToFallbacksAndRecovers() {
        ramp.stop();
        RampClient client = started(builder().noBackupFile());

        assertThat(client.awaitReady(Duration.ofMillis(300))).isFalse();
        await().atMost(WAIT).until(() -> client.state() == ClientState.ERROR);
        assertThat(client.isEnabled("checkout", USER)).isFalse();
        assertThat(client.evaluateBoolean("checkout", USER, true).value()).isTrue();
        assertThat(heard).contains("error");

        ramp.startAgain();
        ramp.createFlag("checkout", true);
        await().atMost(WAIT).until(() -> client.isEnabled("checkout", USER));
        assertThat(client.state()).isEqualTo(ClientState.READY);
    }

    @Test
    void usage_countedEvaluations_reachTheServerInUnleashFormat() {
        ramp.createFlag("checkout", true);
        RampClient client = started(builder());
        assertThat(client.awaitReady(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> client.version().origin() != SnapshotOrigin.NONE);
        for (int i = 0; i < 7; i++) {
            client.isEnabled("checkout", USER);
        }
        client.isEnabled("unknown-flag", USER);

        client.close();

        JsonNode metrics = ramp.get("/api/v1/flags/checkout/metrics?environment=production").json();
        assertThat(metrics.path("yes").asLong()).isEqualTo(7);
        assertThat(metrics.path("no").asLong()).isZero();
        assertThat(client.usage().metricsReports()).isEqualTo(1);
        assertThat(client.usage().evaluations()).isEqualTo(8);
        JsonNode instances = ramp.get("/api/v1/clients").json().path("items");
        assertThat(instances.toString()).contains("shop").contains("ramp-java:");
    }

    @Test
    void metricEventsAndExposures_reachTheServersEventStore() {
        ramp.post("/api/v1/flags", """
                {"key":"button","impressionData":true,"environments":{"production":{"enabled":true,
                 "strategies":[{"name":"default"}],"variants":[{"name":"blue","weight":1000}]}}}""");
        RampClient client = started(builder());
        await().atMost(WAIT).until(() -> client.flag("button").isPresent());

        client.variant("button", USER);
        client.variant("button", USER);
        client.track("purchase", USER, 12.5);
        client.track("purchase", Context.builder().sessionId("session-9").build());
        client.close();

        JsonNode items = ramp.get("/api/v1/events?environment=production").json().path("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).path("type").asText()).isEqualTo("exposure");
        assertThat(items.get(0).path("name").asText()).isEqualTo("button");
        assertThat(items.get(0).path("variant").asText()).isEqualTo("blue");
        assertThat(items.get(0).path("unit").asText()).isEqualTo("user-1");
        assertThat(items.get(1).path("type").asText()).isEqualTo("metric");
        assertThat(items.get(1).path("value").asDouble()).isEqualTo(12.5);
        assertThat(items.get(2).path("unit").asText()).isEqualTo("session-9");
        assertThat(items.get(2).path("appName").asText()).isEqualTo("shop");
        assertThat(client.usage().eventsSent()).isEqualTo(3);
    }

    @Test
    void close_stopsEveryThreadTheClientStarted() {
        ramp.createFlag("checkout", true);
        RampClient client = started(builder());
        await().atMost(WAIT).until(() -> ramp.streams() == 1);
        assertThat(clientThreads()).isNotEmpty();

        client.close();

        assertThat(clientThreads()).isEmpty();
        assertThat(client.isEnabled("checkout", USER)).as("the last snapshot still evaluates").isTrue();
    }

    @Test
    void backupFile_isReplacedWholeOnEveryChange() throws Exception {
        ramp.createFlag("checkout", false);
        RampClient client = started(builder());
        await().atMost(WAIT).until(() -> ramp.streams() == 1);
        ramp.toggle("checkout", true);
        await().atMost(WAIT).until(() -> Files.readString(directory.resolve("backup.json")).contains("\"enabled\":true"));

        try (var files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString())).as("no temporary file is left")
                    .containsExactlyInAnyOrder("server", "backup.json");
        }
        assertThat(client.isEnabled("checkout", USER)).isTrue();
    }

    private static List<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.equals("ramp-sync") || name.equals("ramp-usage") || name.equals("ramp-listeners"))
                .toList();
    }
}
