package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.server.ServerProcess;
import dev.ramp.server.store.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Three server processes on one real PostgreSQL database, two gateways in managed mode, two backends and a paced load,
 * all on loopback. The first replica started drives a release judged on the gateways' merged traffic, and is killed
 * with SIGKILL in the middle of it; one gateway was following it and moves to another replica, the other gateway
 * follows the third. Another replica takes the lead and finishes the release from the stored state, setting each
 * weight once. The second gateway restarts under the same id meanwhile, and the traffic the servers hold is, request
 * for request, what both gateways answered.
 */
class ReplicasIT {
    private static final String ADMIN = ServerProcess.ADMIN_TOKEN;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most requests the load sends, whatever happens. */
    private static final int MAX_REQUESTS = 30_000;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theLeaderIsKilledMidRelease_anotherFinishesIt_andTheGatewaysTrafficAddsUp() throws Exception {
        String database = EmbeddedPostgres.newDatabase();
        Path logs = Files.createDirectories(Path.of("target", "replicas"));
        List<ServerProcess> replicas = new ArrayList<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (var stable = new Backend("v1"); var canary = new Backend("v2")) {
            for (int i = 1; i <= 3; i++) {
                replicas.add(ServerProcess.start(ProcessBuilder.Redirect.to(logs.resolve("replica-" + i + ".log").toFile()),
                        logs, database, Duration.ofMillis(100)));
            }
            ServerProcess doomed = replicas.get(0);
            ServerProcess second = replicas.get(1);
            ServerProcess third = replicas.get(2);
            assertThat(controller(doomed)).as("the first replica started leads").isEqualTo("leading");
            assertThat(controller(second)).isEqualTo("following");
            assertThat(controller(third)).isEqualTo("following");

            String token = send(doomed, "POST", "/api/v1/tokens", "{\"name\":\"edge\",\"scope\":\"gateway\"}")
                    .path("secret").asText();
            send(doomed, "POST", "/api/v1/routes", """
                    {"kind":"Route","name":"shop","match":{"pathPrefix":"/shop"},
                     "arms":[{"name":"stable","upstreams":["%s"]},{"name":"canary","upstreams":["%s"]}]}"""
                    .formatted(stable.address(), canary.address()));
            // The first gateway follows the leader, and has the second replica to move to; the other knows only the third.
            Edge one = Edge.start(List.of(doomed, second), token, "edge-1");
            Edge[] two = {Edge.start(List.of(third), token, "edge-2")};
            try {
                Instant since = Instant.now().minusSeconds(5);
                AtomicInteger sent = new AtomicInteger();
                AtomicLong answered = new AtomicLong();
                AtomicInteger failed = new AtomicInteger();
                boolean[] onlyFirst = {false};
                pacer.scheduleAtFixedRate(() -> {
                    int n = sent.get();
                    if (n >= MAX_REQUESTS) {
                        return;
                    }
                    sent.incrementAndGet();
                    Edge target = (n % 2 == 0 || onlyFirst[0]) ? one : two[0];
                    target.inFlight.incrementAndGet();
                    http.sendAsync(HttpRequest.newBuilder(target.fixture.uri("/shop")).build(),
                            HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                                if (failure == null && response.statusCode() == 200) {
                                    answered.incrementAndGet();
                                } else {
                                    failed.incrementAndGet();
                                }
                                target.inFlight.decrementAndGet();
                            });
                }, 0, 5, TimeUnit.MILLISECONDS);

                send(second, "POST", "/api/v1/releases", """
                        {"kind":"Release","name":"shop-v2","target":{"route":"shop"},
                         "canary":{"stepWeights":[20,40,60,80],"stepAnalysis":"guard"},
                         "analyses":{"guard":{"interval":"1s","count":2,"minSamples":20,"metrics":[
                           {"name":"errors","source":"gateway","measure":"errorRate"}]}}}""");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> send(second, "GET", "/api/v1/releases/shop-v2", null).path("weight").asInt() >= 40);

                long killedAt = System.nanoTime();
                doomed.kill();
                ServerProcess[] leader = new ServerProcess[1];
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    for (ServerProcess replica : List.of(second, third)) {
                        if (controller(replica).equals("leading")) {
                            leader[0] = replica;
                            return true;
                        }
                    }
                    return false;
                });
                System.out.printf("ReplicasIT: a replica took the lead %d ms after the leader was killed%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));

                // The second gateway restarts under its id: drained first (closing its link reports its last partial
                // second), then a new one takes its place and its share of the load.
                onlyFirst[0] = true;
                Edge draining = two[0];
                await().atMost(Duration.ofSeconds(10)).until(() -> draining.inFlight.get() == 0);
                draining.close();
                two[0] = Edge.start(List.of(third), token, "edge-2");
                onlyFirst[0] = false;

                JsonNode release = awaitPromoted(leader[0]);
                assertThat(release.path("weight").asInt()).isEqualTo(100);
                assertThat(weights(leader[0])).as("each weight set once, in order").containsExactly(20, 40, 60, 80, 100);
                List<String> steps = new ArrayList<>();
                send(leader[0], "GET", "/api/v1/releases/shop-v2/timeline", null).path("items").forEach(entry -> {
                    if (entry.path("type").asText().equals("step") && entry.path("message").asText().startsWith("step ")) {
                        steps.add(entry.path("message").asText());
                    }
                });
                assertThat(steps).as("each of the nine steps entered once").doesNotHaveDuplicates().hasSize(9);
                pacer.shutdownNow();
                assertThat(pacer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> one.inFlight.get() == 0 && two[0].inFlight.get() == 0);
                assertThat(failed.get()).as("requests the gateways failed").isZero();
                long expected = answered.get();
                long[] reported = new long[1];
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    reported[0] = 0;
                    send(third, "GET", "/api/v1/routes/shop/metrics?since=" + since + "&until=" + Instant.now().plusSeconds(5),
                            null).path("arms").forEach(arm -> reported[0] += arm.path("requests").asLong());
                    return reported[0] >= expected;
                });
                assertThat(reported[0]).as("requests reported by both gateways, one restarted, merged").isEqualTo(expected);
                for (Edge edge : List.of(one, two[0])) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> GatewayFixture.arm(edge.fixture.get("/shop")).equals("v2"));
                }
            } finally {
                one.close();
                two[0].close();
            }
        } finally {
            pacer.shutdownNow();
            for (ServerProcess replica : replicas) {
                replica.kill();
            }
        }
    }

    private String controller(ServerProcess replica) throws Exception {
        return send(replica, "GET", "/health", null).path("releaseController").asText();
    }

    private JsonNode awaitPromoted(ServerProcess replica) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = send(replica, "GET", "/api/v1/releases/shop-v2", null);
            String phase = last[0].path("phase").asText();
            assertThat(phase).as(last[0].path("message").asText()).isIn("promoted", "progressing");
            return phase.equals("promoted") && last[0].path("pending").asInt() == 0;
        });
        return last[0];
    }

    /** The weights set on the route, in order, from its history. */
    private List<Integer> weights(ServerProcess replica) throws Exception {
        List<Integer> weights = new ArrayList<>();
        send(replica, "GET", "/api/v1/routes/shop/history", null).path("items").forEach(item -> {
            if (item.path("action").asText().equals("weight")) {
                weights.add(item.path("after").path("weight").asInt());
            }
        });
        return weights;
    }

    private JsonNode send(ServerProcess replica, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(replica.url() + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return JSON.readTree(response.body());
    }

    /** A gateway linked to one replica, with the load's requests to it in flight; closing it stops both. */
    private record Edge(GatewayFixture fixture, ServerLink link, AtomicInteger inFlight) implements AutoCloseable {
        static Edge start(List<ServerProcess> replicas, String token, String id) throws Exception {
            var fixture = new GatewayFixture();
            var link = ServerLink.start(replicas.stream().map(replica -> URI.create(replica.url())).toList(), token, id,
                    fixture.gateway, Clock.systemUTC());
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.gateway.version() > 0);
            return new Edge(fixture, link, new AtomicInteger());
        }

        @Override
        public void close() {
            link.close();
            fixture.close();
        }
    }
}
