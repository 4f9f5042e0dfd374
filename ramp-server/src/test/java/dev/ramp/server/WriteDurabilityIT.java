package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.server.store.EmbeddedPostgres;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server in a child process killed with SIGKILL while four clients write to it, then restarted on the same
 * database, three times over: every write the server acknowledged is there after the restart, and nothing is there
 * that no client sent. On SQLite and on PostgreSQL.
 */
class WriteDurabilityIT {
    private static final int WRITERS = 4;
    private static final int KILLS = 3;
    /** Writes acknowledged in a round before its kill. */
    private static final int WRITES_BEFORE_KILL = 60;

    @TempDir
    Path directory;

    /** Flags created with a 201, by key. */
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** Flags whose creation was sent but not answered: they may or may not be there. */
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    /** Per writer's own flag, the highest version a description change was acknowledged with. */
    private final ConcurrentMap<String, Long> updatedTo = new ConcurrentHashMap<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void serverKilledWhileWriting_keepsEveryAcknowledgedWrite(String database) throws Exception {
        String databaseUrl = database.equals("postgresql") ? EmbeddedPostgres.newDatabase() : "";
        AtomicInteger serial = new AtomicInteger();

        for (int kill = 0; kill < KILLS; kill++) {
            ServerProcess server = ServerProcess.start(ProcessBuilder.Redirect.DISCARD, directory, databaseUrl,
                    Duration.ofSeconds(1));
            Api admin = new Api(server.url(), ServerProcess.ADMIN_TOKEN);
            try {
                assertPresent(admin);
                int goal = acknowledged.size() + WRITES_BEFORE_KILL;
                List<Thread> writers = new ArrayList<>();
                for (int writer = 0; writer < WRITERS; writer++) {
                    String own = "w" + writer + "-own";
                    Thread thread = new Thread(() -> write(admin, own, serial), "writer-" + writer);
                    thread.start();
                    writers.add(thread);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= goal || !refused.isEmpty());
                server.kill();
                for (Thread writer : writers) {
                    writer.join();
                }
            } finally {
                server.kill();
            }
            assertThat(refused).as("writes answered with neither a success nor an unreachable server").isEmpty();
        }

        ServerProcess server = ServerProcess.start(ProcessBuilder.Redirect.DISCARD, directory, databaseUrl, Duration.ofSeconds(1));
        try {
            assertPresent(new Api(server.url(), ServerProcess.ADMIN_TOKEN));
        } finally {
            server.kill();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILLS * WRITES_BEFORE_KILL);
    }

    /** Creates flags, and now and then changes its own flag, until the server stops answering. */
    private void write(Api admin, String own, AtomicInteger serial) {
        try {
            Api.Reply created = admin.post("/api/v1/flags", "{\"key\":\"" + own + "\"}");
            if (created.status() != 201 && created.status() != 409) {
                refused.add(own + ": " + created);
                return;
            }
            while (true) {
                int n = serial.incrementAndGet();
                String key = "flag-" + n;
                unanswered.add(key);
                Api.Reply reply = admin.post("/api/v1/flags", "{\"key\":\"" + key + "\"}");
                unanswered.remove(key);
                if (reply.status() != 201) {
                    refused.add(key + ": " + reply);
                    return;
                }
                acknowledged.add(key);
                if (n % 5 == 0) {
                    Api.Reply changed = admin.put("/api/v1/flags/" + own, "{\"key\":\"" + own + "\",\"description\":\"change "
                            + n + "\"}", "If-Match", "*");
                    if (changed.status() != 200) {
                        refused.add(own + " change: " + changed);
                        return;
                    }
                    long version = Long.parseLong(changed.etag().replace("\"", ""));
                    updatedTo.merge(own, version, Math::max);
                }
            }
        } catch (UncheckedIOException e) {
            // The server was killed: the write in flight has no answer, which is what unanswered records.
        }
    }

    /** Every acknowledged flag is there, every flag there was sent, and each own flag has its acknowledged changes. */
    private void assertPresent(Api admin) {
        Map<String, Long> present = new HashMap<>();
        int offset = 0;
        while (true) {
            JsonNode page = admin.get("/api/v1/flags?limit=500&offset=" + offset).json();
            page.path("items").forEach(flag -> present.put(flag.path("key").asText(), flag.path("version").asLong()));
            offset += page.path("items").size();
            if (page.path("items").isEmpty() || offset >= page.path("total").asInt()) {
                break;
            }
        }
        assertThat(present.keySet()).as("every acknowledged write").containsAll(acknowledged);
        for (String key : present.keySet()) {
            assertThat(key.endsWith("-own") || acknowledged.contains(key) || unanswered.contains(key))
                    .as("%s was sent by a client", key).isTrue();
        }
        updatedTo.forEach((own, version) -> assertThat(present.get(own)).as(own).isGreaterThanOrEqualTo(version));
        // Writes whose answer was lost but that committed are acknowledged from now on: the next round holds them.
        unanswered.stream().filter(present::containsKey).forEach(acknowledged::add);
        unanswered.clear();
    }
}
