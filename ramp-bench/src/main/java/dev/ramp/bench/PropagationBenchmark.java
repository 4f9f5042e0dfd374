package dev.ramp.bench;

import dev.ramp.server.RampServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;

/**
 * Propagation latency: from an admin write until every one of {@code --clients} connected streams (default 1,000)
 * has the {@code unleash-updated} event it causes.
 *
 * <p>A {@link RampServer} runs embedded, on SQLite in a temporary directory and a free port of 127.0.0.1, with its
 * default settings (SQLite {@code synchronous=FULL}, 16 stream writer threads, keep-alive every 15 s). Setup creates
 * a client token and one flag (off) through the admin API, then opens the streams with {@link SseClients}
 * (non-blocking sockets, one reader thread by default: {@code --readers}) and waits until each has had its
 * {@code unleash-connected} event and the server counts them all. Then it makes {@code --warmup} writes (default
 * 100, unrecorded: until then the JIT is still compiling the fan-out path) and {@code --writes} measured ones
 * (default 50), one at a time: each turns the flag on or off with
 * {@code POST /api/v1/flags/bench.propagation/environments/production/on|off} and {@code If-Match} of the version
 * the previous write returned. {@code t0} is {@link System#nanoTime()} just before the request is sent; a client's
 * latency is the moment its reader got the bytes completing the event minus {@code t0}. The next write starts
 * once every client has the event, or the run fails after {@code --timeout} seconds (default 10) naming clients
 * that miss it; it also fails when a stream ends. Every client must see each write exactly once, all with the same
 * change id, and those ids must be the ones the flag's history lists for the writes.
 *
 * <p>{@code --setup} says where the data lives and where the clients connect: {@code sqlite} (the default: one
 * server on SQLite), {@code postgresql} (one server on an embedded PostgreSQL) or {@code replicas} (two servers on
 * one embedded PostgreSQL: the writes go to one, the clients stream from the other, so that each write travels
 * through the database's change log and {@code NOTIFY} before the fan-out) or {@code process} (one server on SQLite
 * in a JVM of its own, {@code java -Xmx<--server-heap> -jar ramp.jar server}, default 512m: the setup for 10,000
 * streams, since each stream is a file descriptor at both ends and one process may hold 20,000 here; its resident
 * memory is reported before the streams, with them open and after the writes). Results go to {@code propagation.md},
 * or {@code propagation-<setup>.md}.
 *
 * <p>Reported, with HdrHistogram (3 significant digits), in milliseconds: per write, the time until all clients had
 * it and until the first did (with 50 writes, p99 is the slowest write: pass {@code --writes 500} for a p99 that is
 * not the maximum); the per-client delivery latency over all writes and clients; the admin request's own response
 * time (it returns after the commit and after the change is queued for every stream, not after delivery). Server
 * and clients share the JVM and the machine's 2 cores; the JVM's CPU time per write, and the readers' share of it,
 * are printed so that the client's cost can be told from the server's.
 */
public final class PropagationBenchmark {
    static final String ADMIN_TOKEN = "ramp-bench-admin-token-0123456789";
    static final String FLAG = "bench.propagation";
    private static final long CONNECT_SECONDS = 120;
    private static final Map<String, String> DEFAULTS = Map.of(
            "clients", "1000",
            "writes", "50",
            "warmup", "100",
            "readers", "1",
            "timeout", "10",
            "heartbeat-ms", "15000",
            "setup", "sqlite",
            "ramp-jar", "ramp-cli/target/ramp.jar",
            "server-heap", "512m",
            "results", "ramp-bench/results");

    private PropagationBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit("PropagationBenchmark", args, DEFAULTS);
        int clients = options.number("clients", 1);
        int writes = options.number("writes", 1);
        int warmup = options.number("warmup", 0);
        int readers = options.number("readers", 1);
        long timeoutNanos = TimeUnit.SECONDS.toNanos(options.number("timeout", 1));
        Path results = Path.of(options.text("results"));
        Files.createDirectories(results);

        Histogram all = histogram();
        Histogram first = histogram();
        Histogram perClient = histogram();
        Histogram admin = histogram();
        long readerCpu;
        long processCpu;
        long kernelCpu;
        double otherCpuPercent;
        long serverCpu;
        ServerMemory connectedMemory;
        ServerMemory afterMemory;
        String memory;
        Setup setup = Setup.parse(options.text("setup"));
        try (TempDirectory work = TempDirectory.create("ramp-propagation-");
             Servers servers = Servers.start(setup, work, options)) {
            Thread hook = new Thread(() -> {
                servers.close();
                work.close();
            }, "propagation-benchmark-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
            RampAdmin api = new RampAdmin(servers.writes, ADMIN_TOKEN);
            long version = api.createFlag(FLAG, false);
            String token = api.createClientToken("propagation-benchmark");
            RampAdmin.awaitAccepted(servers.streams, token);
            URI url = URI.create(servers.streams);
            ServerMemory before = ServerMemory.of(servers.process);
            Recorder recorder = new Recorder(clients);
            long openStart = System.nanoTime();
            try (SseClients streams = SseClients.open(new InetSocketAddress(url.getHost(), url.getPort()), token, clients,
                    readers, recorder)) {
                long connectedId = recorder.awaitConnected(CONNECT_SECONDS);
                if (servers.streamCount != null && servers.streamCount.getAsInt() != clients) {
                    throw new IllegalStateException("the server counts " + servers.streamCount.getAsInt() + " streams, not "
                            + clients);
                }
                connectedMemory = ServerMemory.of(servers.process);
                System.out.printf(Locale.ROOT, "%,d streams connected in %.1f s (%d reader thread(s)); %d warm-up and %d "
                                + "measured writes%n", clients, (System.nanoTime() - openStart) / 1e9, readers, warmup, writes);
                long lastId = connectedId;
                List<Long> ids = new ArrayList<>();
                long cpuBefore = 0;
                long serverCpuBefore = 0;
                long processCpuBefore = 0;
                long kernelBefore = 0;
                MachineCpu machineBefore = MachineCpu.now();
                long measuredStart = System.nanoTime();
                for (int w = 0; w < warmup + writes; w++) {
                    boolean measured = w >= warmup;
                    if (w == warmup) {
                        cpuBefore = streams.readerCpuNanos();
                        serverCpuBefore = servers.process == null ? 0 : servers.process.cpu().toNanos();
                        processCpuBefore = processCpuNanos();
                        kernelBefore = MachineCpu.selfKernelNanos();
                        machineBefore = MachineCpu.now();
                        measuredStart = System.nanoTime();
                    }
                    Round round = recorder.begin(lastId);
                    long t0 = System.nanoTime();
                    version = api.toggle(FLAG, w % 2 == 0, version).version();
                    long answered = System.nanoTime();
                    long id = round.await(t0 + timeoutNanos, w + 1);
                    ids.add(id);
                    lastId = id;
                    if (measured) {
                        admin.recordValue(answered - t0);
                        all.recordValue(round.last() - t0);
                        first.recordValue(round.first() - t0);
                        round.recordLatencies(perClient, t0);
                    }
                }
                readerCpu = streams.readerCpuNanos() - cpuBefore;
                serverCpu = servers.process == null ? -1 : servers.process.cpu().toNanos() - serverCpuBefore;
                processCpu = processCpuNanos() - processCpuBefore;
                kernelCpu = MachineCpu.selfKernelNanos() - kernelBefore;
                otherCpuPercent = 100.0 * MachineCpu.now().othersSince(machineBefore, java.time.Duration.ZERO).toNanos()
                        / ((System.nanoTime() - measuredStart) * (double) Runtime.getRuntime().availableProcessors());
                afterMemory = ServerMemory.of(servers.process);
                memory = ServerMemory.report(before, connectedMemory, afterMemory, clients, options.text("server-heap"));
                List<Long> history = api.flagChangeIds(FLAG).stream().filter(id -> id > connectedId).toList();
                if (!history.equals(ids)) {
                    throw new IllegalStateException("the streams saw change ids " + ids + ", the flag's history lists " + history);
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs already
                }
            }
        }
        String report = setup.description + "\n\n" + report(clients, writes, all, first, perClient, admin, readerCpu, processCpu, kernelCpu,
                otherCpuPercent, serverCpu) + memory;
        System.out.println();
        System.out.print(report);
        Files.writeString(results.resolve(setup == Setup.SQLITE ? "propagation.md" : "propagation-" + setup.wire + ".md"),
                report);
    }

    /** Where the servers keep their data, and whether the clients stream from the server the writes go to. */
    enum Setup {
        SQLITE("sqlite", "one server on SQLite: writes and streams on the same server"),
        POSTGRESQL("postgresql", "one server on PostgreSQL (embedded): writes and streams on the same server"),
        REPLICAS("replicas", "two replicas on one PostgreSQL (embedded): writes to one, the clients stream from the other"),
        PROCESS("process", "one server on SQLite in a JVM of its own (java -jar ramp.jar server), as in production");

        final String wire;
        final String description;

        Setup(String wire, String description) {
            this.wire = wire;
            this.description = description;
        }

        static Setup parse(String text) {
            for (Setup setup : values()) {
                if (setup.wire.equals(text)) {
                    return setup;
                }
            }
            throw new IllegalArgumentException("--setup must be sqlite, postgresql, replicas or process, got '" + text + "'");
        }
    }

    /**
     * The server the writes go to and the one the clients stream from: the same one, two replicas, or one server in a
     * process of its own.
     */
    private static final class Servers implements AutoCloseable {
        final String writes;
        final String streams;
        /** The streams the streaming server counts; null when it runs in another process. */
        final IntSupplier streamCount;
        /** The server's own process, for {@link #PROCESS}; null otherwise. */
        final RampProcess process;
        private final List<AutoCloseable> resources;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        private Servers(String writes, String streams, IntSupplier streamCount, RampProcess process,
                        List<AutoCloseable> resources) {
            this.writes = writes;
            this.streams = streams;
            this.streamCount = streamCount;
            this.process = process;
            this.resources = resources;
        }

        static Servers start(Setup setup, TempDirectory work, Options options) {
            RampServer.Builder builder = RampServer.builder().port(0).dataDirectory(work.resolve("data"))
                    .adminToken(ADMIN_TOKEN).heartbeatMillis(options.number("heartbeat-ms", 10));
            if (setup == Setup.SQLITE) {
                RampServer server = builder.start();
                return new Servers(server.url(), server.url(), server::streams, null, List.of(server));
            }
            if (setup == Setup.PROCESS) {
                RampProcess server = RampProcess.start(Path.of(options.text("ramp-jar")), work.resolve("data"), ADMIN_TOKEN,
                        List.of("-Xmx" + options.text("server-heap")),
                        Path.of(options.text("results")).resolve("propagation-process-server.log"));
                return new Servers(server.url(), server.url(), null, server, List.of(server));
            }
            EventIngestion.Postgres postgres = EventIngestion.Postgres.start("");
            EventIngestion.Database database = postgres.newDatabase();
            RampServer writes = database.configure(builder).start();
            RampServer streams = setup == Setup.REPLICAS ? database.configure(builder).start() : writes;
            List<AutoCloseable> resources = new ArrayList<>();
            if (streams != writes) {
                resources.add(streams);
            }
            resources.addAll(List.of(writes, database, postgres));
            return new Servers(writes.url(), streams.url(), streams::streams, null, resources);
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("closing " + resource + " failed: " + e);
                }
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    /** @param serverCpuNanos the server process's CPU time over the measured writes; -1 when it runs in this JVM */
    static String report(int clients, int writes, Histogram all, Histogram first, Histogram perClient, Histogram admin,
                         long readerCpuNanos, long processCpuNanos, long kernelCpuNanos, double otherCpuPercent,
                         long serverCpuNanos) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d clients, %d measured writes (%,d deliveries)%n%n", clients, writes,
                perClient.getTotalCount()));
        out.append("| measured | count | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        row(out, "write until ALL clients have it", all);
        row(out, "write until the first client has it", first);
        row(out, "per-client delivery", perClient);
        row(out, "admin write response time", admin);
        long deliveries = Math.max(1, perClient.getTotalCount());
        if (serverCpuNanos >= 0) {
            out.append(String.format(Locale.ROOT, "%nCPU per measured write: %.2f ms in the server's process (%.1f µs per"
                            + " delivery); %.2f ms in this JVM, %.2f ms of it in the client readers%n",
                    serverCpuNanos / 1e6 / writes, serverCpuNanos / 1e3 / deliveries, processCpuNanos / 1e6 / writes,
                    readerCpuNanos / 1e6 / writes));
            out.append(String.format(Locale.ROOT, "CPU used outside this JVM meanwhile (the server, other work, the"
                    + " kernel): %.0f%% of all cores%n", otherCpuPercent));
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "%nCPU per measured write: %.2f ms for the whole JVM (%.0f%% of it in the kernel), "
                        + "of which %.2f ms in the client readers; the rest, %.2f ms (%.1f µs per delivery), is the server, the "
                        + "admin HTTP client, the JIT and GC%n",
                processCpuNanos / 1e6 / writes, 100.0 * kernelCpuNanos / Math.max(1, processCpuNanos), readerCpuNanos / 1e6 / writes,
                (processCpuNanos - readerCpuNanos) / 1e6 / writes, (processCpuNanos - readerCpuNanos) / 1e3 / deliveries));
        out.append(String.format(Locale.ROOT, "CPU used outside this JVM meanwhile (other work on the machine, kernel): %.0f%% "
                + "of all cores%n", otherCpuPercent));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Histogram h) {
        out.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", name, h.getTotalCount(),
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue())));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Collects what the readers see: the connected events, then one round of updates per write. */
    private static final class Recorder implements SseClients.Listener {
        private final int clients;
        private final long[] connectedIds;
        private final CountDownLatch connected;
        private final AtomicReference<Round> current = new AtomicReference<>();
        private final AtomicReference<String> failure = new AtomicReference<>();

        Recorder(int clients) {
            this.clients = clients;
            this.connectedIds = new long[clients];
            this.connected = new CountDownLatch(clients);
        }

        @Override
        public void event(int client, String name, long id, long arrivedNanos) {
            switch (name) {
                case "unleash-connected" -> {
                    connectedIds[client] = id;
                    connected.countDown();
                }
                case "unleash-updated" -> {
                    Round round = current.get();
                    if (round == null) {
                        fail("client " + client + " got update " + id + " before any write");
                    } else {
                        String problem = round.arrive(client, id, arrivedNanos);
                        if (problem != null) {
                            fail(problem);
                        }
                    }
                }
                default -> fail("client " + client + " got an unexpected event '" + name + "'");
            }
        }

        @Override
        public void ended(int client, String reason) {
            fail("stream of client " + client + " ended: " + reason);
        }

        private void fail(String problem) {
            failure.compareAndSet(null, problem);
            Round round = current.get();
            if (round != null) {
                round.abort();
            }
            while (connected.getCount() > 0) {
                connected.countDown();
            }
        }

        /** Waits for every client's connected event; returns the change id they all start from. */
        long awaitConnected(long seconds) throws InterruptedException {
            if (!connected.await(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException((clients - connected.getCount()) + " of " + clients
                        + " streams connected within " + seconds + " s");
            }
            check();
            for (long id : connectedIds) {
                if (id != connectedIds[0]) {
                    throw new IllegalStateException("streams connected at different change ids: " + id + " and " + connectedIds[0]);
                }
            }
            return connectedIds[0];
        }

        Round begin(long lastId) {
            check();
            Round round = new Round(clients, lastId, this);
            current.set(round);
            return round;
        }

        void check() {
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
        }
    }

    /** One write: when each client got the event, and with which change id. */
    private static final class Round {
        private final long lastId;
        private final Recorder recorder;
        private final AtomicReferenceArray<long[]> arrivals;
        private final CountDownLatch missing;

        Round(int clients, long lastId, Recorder recorder) {
            this.lastId = lastId;
            this.recorder = recorder;
            this.arrivals = new AtomicReferenceArray<>(clients);
            this.missing = new CountDownLatch(clients);
        }

        /** Records client's event; returns a problem, or null. */
        String arrive(int client, long id, long arrivedNanos) {
            if (id <= lastId) {
                return "client " + client + " got update " + id + " again (the last write was " + lastId + ")";
            }
            if (!arrivals.compareAndSet(client, null, new long[] {id, arrivedNanos})) {
                return "client " + client + " got two updates for one write: " + arrivals.get(client)[0] + " and " + id;
            }
            missing.countDown();
            return null;
        }

        void abort() {
            while (missing.getCount() > 0) {
                missing.countDown();
            }
        }

        /** Waits until every client has the write's event; returns its change id. */
        long await(long deadlineNanos, int write) throws InterruptedException {
            if (!missing.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                List<Integer> without = new ArrayList<>();
                for (int i = 0; i < arrivals.length() && without.size() < 10; i++) {
                    if (arrivals.get(i) == null) {
                        without.add(i);
                    }
                }
                throw new IllegalStateException("write " + write + ": " + missing.getCount() + " of " + arrivals.length()
                        + " clients did not get the event in time; the first of them: " + without);
            }
            recorder.check();
            long id = arrivals.get(0)[0];
            for (int i = 0; i < arrivals.length(); i++) {
                if (arrivals.get(i)[0] != id) {
                    throw new IllegalStateException("write " + write + ": client " + i + " got change " + arrivals.get(i)[0]
                            + ", client 0 got " + id);
                }
            }
            return id;
        }

        long first() {
            long first = Long.MAX_VALUE;
            for (int i = 0; i < arrivals.length(); i++) {
                first = Math.min(first, arrivals.get(i)[1]);
            }
            return first;
        }

        long last() {
            long last = Long.MIN_VALUE;
            for (int i = 0; i < arrivals.length(); i++) {
                last = Math.max(last, arrivals.get(i)[1]);
            }
            return last;
        }

        void recordLatencies(Histogram histogram, long t0) {
            for (int i = 0; i < arrivals.length(); i++) {
                histogram.recordValue(arrivals.get(i)[1] - t0);
            }
        }
    }
}
