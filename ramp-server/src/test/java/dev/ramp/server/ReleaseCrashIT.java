package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a server in a child process is killed with SIGKILL at random points of a release, again and again,
 * and restarted on the same SQLite file, until the release has ended. Every weight is set exactly once and in order,
 * every step is entered once, and every timeline entry's hook notification arrives (at least once).
 */
class ReleaseCrashIT {
    /** Kills before the release is let finish. */
    static final int KILLS = 12;

    @TempDir
    Path directory;

    @Test
    void release_serverKilledAtRandomPoints_losesAndRepeatsNoStepOrAction() throws Exception {
        Set<String> deliveries = ConcurrentHashMap.newKeySet();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/events", exchange -> {
            exchange.getRequestBody().readAllBytes();
            deliveries.add(exchange.getRequestHeaders().getFirst("Ramp-Delivery"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        SplittableRandom random = new SplittableRandom(2026);
        try {
            ServerProcess child = child(directory);
            try {
                Api admin = admin(child);
                assertThat(admin.post("/api/v1/routes", ReleaseControllerIT.ROUTE).status()).isEqualTo(201);
                StringBuilder steps = new StringBuilder();
                for (int weight = 10; weight <= 100; weight += 10) {
                    steps.append("{\"setWeight\":").append(weight).append("},{\"pause\":\"150ms\"},");
                }
                Api.Reply created = admin.post("/api/v1/releases", """
                        {"kind":"Release","name":"checkout-v2","target":{"route":"checkout"},
                         "canary":{"steps":[%s]},
                         "hooks":[{"on":"event","url":"http://127.0.0.1:%d/events"}]}"""
                        .formatted(steps.substring(0, steps.length() - 1), hook.getAddress().getPort()));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
            } finally {
                child.kill();
            }
            for (int kill = 0; kill < KILLS; kill++) {
                ServerProcess next = child(directory);
                try {
                    long entries = entries(admin(next));
                    long target = entries + 1 + random.nextInt(4);
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                            .until(() -> entries(admin(next)) >= target || ended(admin(next)));
                } finally {
                    next.kill();
                }
            }
            ServerProcess last = child(directory);
            try {
                Api admin = admin(last);
                await().atMost(Duration.ofSeconds(60)).until(() -> ended(admin)
                        && admin.get("/api/v1/releases/checkout-v2").json().path("pending").asInt() == 0);
                assertThat(admin.get("/api/v1/releases/checkout-v2").json().path("phase").asText()).isEqualTo("promoted");
                assertThat(ReleaseControllerIT.weights(admin)).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
                JsonNode timeline = admin.get("/api/v1/releases/checkout-v2/timeline").json().path("items");
                List<String> entered = new ArrayList<>();
                timeline.forEach(entry -> {
                    if (entry.path("type").asText().equals("step")
                            && entry.path("message").asText().startsWith("step ")) {
                        entered.add(entry.path("message").asText());
                    }
                });
                assertThat(entered).as("each step entered once, in order").hasSize(20).doesNotHaveDuplicates();
                await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() >= timeline.size());
                assertThat(deliveries).as("one delivery id per timeline entry").hasSize(timeline.size());
            } finally {
                last.kill();
            }
        } finally {
            hook.stop(0);
        }
    }

    private static long entries(Api admin) {
        return admin.get("/api/v1/releases/checkout-v2/timeline").json().path("items").size();
    }

    private static boolean ended(Api admin) {
        String phase = admin.get("/api/v1/releases/checkout-v2").json().path("phase").asText();
        return phase.equals("promoted") || phase.equals("rolled-back");
    }

    /** A server in a child JVM on the SQLite file in {@code directory}, on a free port. */
    private static ServerProcess child(Path directory) throws IOException, InterruptedException {
        return ServerProcess.start(ProcessBuilder.Redirect.DISCARD, directory, "", Duration.ofMillis(20));
    }

    private static Api admin(ServerProcess child) {
        return new Api(child.url(), TestServer.ADMIN_TOKEN);
    }
}
