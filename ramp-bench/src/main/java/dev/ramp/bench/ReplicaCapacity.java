package dev.ramp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ramp.core.route.ArmReport;
import dev.ramp.core.route.GatewayReport;
import dev.ramp.server.RampServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What server replicas on one PostgreSQL take, the figures behind {@code docs/scaling.md}'s capacity estimate.
 *
 * <p>{@code --replicas} servers (default 2) run embedded, on one embedded PostgreSQL 14 ({@code fsync} and
 * {@code synchronous_commit} on), each on a free port of 127.0.0.1, in this JVM, on the machine's cores.
 *
 * <ol>
 *   <li><b>Writes.</b> {@code --writers} threads per replica (default 2) each toggle a flag of their own through the
 *   admin API, one write after the other, for {@code --seconds} (default 10): every replica takes writes at once, and
 *   every write serializes on the database's write lock. Meanwhile a probe toggles one more flag through the first
 *   replica every {@code --probe-ms} (default 50), and one stream on the last replica records when each of its changes
 *   arrives: the write-to-remote-stream latency under that write load, from just before the probe's request is sent
 *   until the remote stream has the event with the probe's change id (ids from the probe flag's history). Reported:
 *   committed writes per second over all replicas, the writers' response times, and the probe's latency.</li>
 *   <li><b>Gateway reports.</b> {@code --reporters} threads (default 8) post reports to the first replica as fast as
 *   answers come, for {@code --seconds}, each report of one route's two arms from one of {@code --gateways}
 *   (default 1,000) gateway ids in turn, one second's interval each: reports per second one replica stores, and their
 *   response times. A gateway sends one report a second.</li>
 * </ol>
 */
public final class ReplicaCapacity {
    private static final String ADMIN_TOKEN = "ramp-bench-admin-token-0123456789";
    private static final String PROBE = "bench.probe";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Map<String, String> DEFAULTS = Map.of(
            "replicas", "2",
            "writers", "2",
            "seconds", "10",
            "probe-ms", "50",
            "reporters", "8",
            "gateways", "1000",
            "results", "ramp-bench/results");

    private ReplicaCapacity() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit("ReplicaCapacity", args, DEFAULTS);
        int replicaCount = options.number("replicas", 2);
        int writers = options.number("writers", 1);
        long seconds = options.number("seconds", 1);
        int probeMillis = options.number("probe-ms", 1);
        int reporters = options.number("reporters", 1);
        int gateways = options.number("gateways", 1);
        Path results = Path.of(options.text("results"));
        Files.createDirectories(results);

        StringBuilder out = new StringBuilder();
        try (TempDirectory work = TempDirectory.create("ramp-replicas-");
             EventIngestion.Postgres postgres = EventIngestion.Postgres.start("")) {
            EventIngestion.Database database = postgres.newDatabase();
            List<RampServer> replicas = new ArrayList<>();
            try {
                for (int i = 0; i < replicaCount; i++) {
                    replicas.add(database.configure(RampServer.builder().port(0).adminToken(ADMIN_TOKEN)
                            .dataDirectory(work.resolve("data"))).start());
                }
                out.append(String.format(Locale.ROOT, "%d replicas on one PostgreSQL (%s), %d s per part%n%n",
                        replicaCount, postgres.version().replaceAll(" on .*", ""), seconds));
                writes(replicas, writers, seconds, probeMillis, out);
                reports(replicas.get(0), reporters, gateways, seconds, out);
            } finally {
                for (RampServer replica : replicas) {
                    replica.close();
                }
                database.close();
            }
        }
        System.out.println();
        System.out.print(out);
        Files.writeString(results.resolve("replicas.md"), out.toString());
    }

    private static void writes(List<RampServer> replicas, int writers, long seconds, int probeMillis, StringBuilder out)
            throws Exception {
        RampAdmin first = new RampAdmin(replicas.get(0).url(), ADMIN_TOKEN);
        long probeVersion = first.createFlag(PROBE, false);
        List<Writer> all = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            RampAdmin api = new RampAdmin(replicas.get(r).url(), ADMIN_TOKEN);
            for (int w = 0; w < writers; w++) {
                String flag = "bench.w" + r + "-" + w;
                all.add(new Writer(api, flag, api.createFlag(flag, false)));
            }
        }
        String token = first.createClientToken("replica-capacity");
        RampServer remote = replicas.get(replicas.size() - 1);
        RampAdmin.awaitAccepted(remote.url(), token);
        Map<Long, Long> arrivals = new ConcurrentHashMap<>();
        URI url = URI.create(remote.url());
        try (SseClients stream = SseClients.open(new InetSocketAddress(url.getHost(), url.getPort()), token, 1, 1,
                new SseClients.Listener() {
                    @Override
                    public void event(int client, String name, long id, long arrivedNanos) {
                        arrivals.putIfAbsent(id, arrivedNanos);
                    }

                    @Override
                    public void ended(int client, String reason) {
                        System.err.println("the remote stream ended: " + reason);
                    }
                })) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (Writer writer : all) {
                Thread thread = new Thread(() -> writer.run(deadline), "writer-" + writer.flag);
                threads.add(thread);
                thread.start();
            }
            List<Long> probeStarts = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                probeStarts.add(t0);
                probeVersion = first.toggle(PROBE, probeStarts.size() % 2 == 1, probeVersion).version();
                long next = t0 + TimeUnit.MILLISECONDS.toNanos(probeMillis);
                while (System.nanoTime() < next) {
                    Thread.sleep(1);
                }
            }
            for (Thread thread : threads) {
                thread.join();
            }
            List<Long> ids = first.flagChangeIds(PROBE).subList(1, probeStarts.size() + 1);
            Histogram probe = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < ids.size(); i++) {
                while (!arrivals.containsKey(ids.get(i)) && System.nanoTime() < waitUntil) {
                    Thread.sleep(1);
                }
                Long arrived = arrivals.get(ids.get(i));
                if (arrived == null) {
                    throw new IllegalStateException("the remote stream never got the probe's change " + ids.get(i));
                }
                probe.recordValue(arrived - probeStarts.get(i));
            }
            Histogram answers = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            long committed = 0;
            for (Writer writer : all) {
                answers.add(writer.answers);
                committed += writer.answers.getTotalCount();
            }
            committed += probeStarts.size();
            out.append(String.format(Locale.ROOT, "Writes: %d writer thread(s) on each of %d replicas, one write at a time "
                            + "each, plus the probe: %,d writes committed in %d s, **%,.0f writes/s** over the cluster%n%n",
                    writers, replicas.size(), committed, seconds, committed / (double) seconds));
            out.append("| measured | count | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
            row(out, "writer's admin write, response time", answers);
            row(out, "probe write on the first replica until the last replica's stream has it", probe);
            out.append('\n');
        }
    }

    private static void reports(RampServer replica, int reporters, int gateways, long seconds, StringBuilder out)
            throws Exception {
        RampAdmin api = new RampAdmin(replica.url(), ADMIN_TOKEN);
        api.post("/api/v1/routes", """
                {"kind":"Route","name":"shop","match":{"pathPrefix":"/shop"},
                 "arms":[{"name":"stable","upstreams":["127.0.0.1:9"]},{"name":"canary","upstreams":["127.0.0.1:10"]}]}""", 201);
        String token = JSON.readTree(api.post("/api/v1/tokens", "{\"name\":\"edges\",\"scope\":\"gateway\"}", 201))
                .path("secret").asText();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Histogram answers = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong sent = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < reporters; t++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    long n = sent.getAndIncrement();
                    Instant to = Instant.now();
                    GatewayReport report = new GatewayReport("edge-" + (n % gateways), to.minusSeconds(1), to, List.of(
                            new ArmReport("shop", "stable", 80, 160, 0, 158, 0, 0, 2, 0, 160, 160 * 3.0, 160 * 9.1,
                                    20, 30, 45, 60),
                            new ArmReport("shop", "canary", 20, 40, 0, 40, 0, 0, 0, 0, 40, 40 * 3.1, 40 * 9.7,
                                    22, 33, 50, 70)));
                    try {
                        long t0 = System.nanoTime();
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(replica.url()
                                        + "/api/gateway/reports")).header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(report))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() >= 300) {
                            throw new IllegalStateException("a report was refused: " + response.body());
                        }
                        answers.recordValue(System.nanoTime() - t0);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "reporter-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        out.append(String.format(Locale.ROOT, "Gateway reports: %d threads posting to one replica, %,d gateway ids, two arms a "
                        + "report: %,d reports stored in %d s, **%,.0f reports/s** (a gateway sends one a second)%n%n",
                reporters, gateways, answers.getTotalCount(), seconds, answers.getTotalCount() / (double) seconds));
        out.append("| measured | count | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
        row(out, "report, response time", answers);
    }

    private static void row(StringBuilder out, String name, Histogram h) {
        out.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f |%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6));
    }

    /** One writer: toggles its own flag through one replica until the deadline, timing each answer. */
    private static final class Writer {
        final RampAdmin api;
        final String flag;
        final Histogram answers = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        private long version;

        Writer(RampAdmin api, String flag, long version) {
            this.api = api;
            this.flag = flag;
            this.version = version;
        }

        void run(long deadline) {
            boolean on = true;
            while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                version = api.toggle(flag, on, version).version();
                answers.recordValue(System.nanoTime() - t0);
                on = !on;
            }
        }
    }
}
