package dev.ramp.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Throughput and latency of {@code GET /api/client/features}, the call every Unleash SDK makes each polling
 * interval, side by side with nginx serving the same bytes as a static file.
 *
 * <p>The Ramp server runs as {@code java -jar ramp-cli/target/ramp.jar server} in a JVM of its own, on SQLite in a
 * temporary directory, with its default JVM settings (or {@code --server-java-options}). Setup creates
 * {@code --flags} flags (default 100; each a 50% flexibleRollout behind one constraint) and a client token through
 * the admin API, fetches the document once (about 38 KB for 100 flags) and writes those exact bytes to nginx's
 * root. nginx ({@link Nginx}) runs with one worker per core. Both are checked before loading: same body, and a 304
 * for their own ETag.
 *
 * <p>Four loads, each by {@code wrk} with the same settings ({@code -t2 -c64}, 15 s by default): the 200 path (no
 * {@code If-None-Match}, the whole document) and the 304 path ({@code If-None-Match} with the current ETag, what a
 * polling SDK sends when nothing changed), against Ramp and against nginx. Requests to Ramp carry the client token
 * in {@code Authorization} (it is hashed and looked up per request); nginx checks nothing. Every load is first run
 * for {@code --warmup} seconds (default 20), unrecorded, so that the JIT has compiled Ramp's request path (cold, the
 * same server does a quarter of its warm throughput). wrk's byte count per response must match the path (the whole
 * document, or headers only), so a run cannot measure an error or the wrong path unnoticed. Beside wrk's figures
 * the table shows the server's CPU time per request, from {@code /proc}, over the measured seconds, and how much of
 * the machine's CPU went to anything else ({@link MachineCpu}), so that a run disturbed by other work can be told.
 * {@code --loads} picks loads by name; {@code Ramp-200-gzip} and {@code nginx-200-gzip} (not run by default) send
 * {@code Accept-Encoding: gzip}, which both servers answer by compressing the document on every request.
 *
 * <p>wrk runs on the same 2 cores as the server, so both targets share the machine with the load generator.
 * Raw wrk reports, the server log and the table go to {@code --results} (default {@code ramp-bench/results}).
 * Everything started is stopped at the end, on failure too, and on Ctrl-C through a shutdown hook.
 */
public final class FeaturesBenchmark {
    /** The bootstrap admin token: 32 characters, a test value only. */
    static final String ADMIN_TOKEN = "ramp-bench-admin-token-0123456789";
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("flags", "100"),
            Map.entry("threads", "2"),
            Map.entry("connections", "64"),
            Map.entry("duration", "15"),
            Map.entry("warmup", "20"),
            Map.entry("rounds", "1"),
            Map.entry("loads", "Ramp-200,Ramp-304,nginx-200,nginx-304"),
            Map.entry("nginx-workers", String.valueOf(Runtime.getRuntime().availableProcessors())),
            Map.entry("server-java-options", ""),
            Map.entry("ramp-jar", "ramp-cli/target/ramp.jar"),
            Map.entry("results", "ramp-bench/results"));

    private FeaturesBenchmark() {}

    /** One row of the table: wrk's figures, the server CPU time they cost and the CPU the rest of the machine used. */
    record Row(int round, Wrk.Result result, Duration serverCpu, Duration otherCpu) {
        double cpuMicrosPerRequest() {
            return serverCpu.toNanos() / 1e3 / Math.max(1, result.requests());
        }

        /** What else ran, in percent of all cores over the load's seconds. */
        double otherCpuPercent() {
            return 100.0 * otherCpu.toNanos() / (result.seconds() * 1e9 * Runtime.getRuntime().availableProcessors());
        }
    }

    /** One thing to load: a target's URL and the request headers of one path. */
    private record Load(String name, String url, List<String> headers, Answer answer, Supplier<Duration> cpu) {}

    /** What every response of a load must be; {@link #check} tells from wrk's bytes per response. */
    private enum Answer {
        /** 200 with the whole document. */
        FULL,
        /** 304, headers only. */
        NOT_MODIFIED,
        /** 200 with the document gzipped (about 1 KB for 38 KB). */
        GZIPPED;

        void check(Wrk.Result result, int documentBytes) {
            long perResponse = result.bytesPerResponse();
            boolean ok = switch (this) {
                case FULL -> perResponse >= documentBytes;
                case NOT_MODIFIED -> perResponse < 1_000;
                case GZIPPED -> perResponse < documentBytes / 4 && perResponse > 300;
            };
            if (!ok) {
                throw new IllegalStateException(result.name() + ": " + perResponse + " bytes per response, for a document of "
                        + documentBytes + " bytes: not the " + this + " path");
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parseOrExit("FeaturesBenchmark", args, DEFAULTS);
        int flags = options.number("flags", 1);
        int duration = options.number("duration", 1);
        int warmup = options.number("warmup", 0);
        int rounds = options.number("rounds", 1);
        Path results = Path.of(options.text("results"));
        Files.createDirectories(results);
        List<String> javaOptions = options.text("server-java-options").isBlank()
                ? List.of() : List.of(options.text("server-java-options").trim().split("\\s+"));

        Resources resources = new Resources();
        Thread hook = new Thread(resources::close, "features-benchmark-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TempDirectory work = resources.add(TempDirectory.create("ramp-features-"));
            RampProcess ramp = resources.add(RampProcess.start(Path.of(options.text("ramp-jar")), work.resolve("data"),
                    ADMIN_TOKEN, javaOptions, results.resolve("features-ramp-server.log")));
            RampAdmin admin = new RampAdmin(ramp.url(), ADMIN_TOKEN);
            for (int i = 1; i <= flags; i++) {
                admin.createFlag(String.format(Locale.ROOT, "bench.flag.%03d", i), true);
            }
            String clientToken = admin.createClientToken("features-benchmark");
            RampAdmin.Features features = admin.features(clientToken);

            Files.createDirectories(work.resolve("nginx"));
            Nginx nginx = resources.add(Nginx.start(work.resolve("nginx"), features.body(), options.number("nginx-workers", 1)));
            String nginxUrl = nginx.url() + Nginx.PATH;
            String nginxEtag = checkNginx(nginxUrl, features.body());

            String rampUrl = ramp.url() + "/api/client/features";
            String auth = "Authorization: " + clientToken;
            List<String> selected = List.of(options.text("loads").split(","));
            String gzip = "Accept-Encoding: gzip";
            List<Load> all = List.of(
                    new Load("Ramp-200", rampUrl, List.of(auth), Answer.FULL, ramp::cpu),
                    new Load("Ramp-304", rampUrl, List.of(auth, "If-None-Match: " + features.etag()), Answer.NOT_MODIFIED, ramp::cpu),
                    new Load("nginx-200", nginxUrl, List.of(), Answer.FULL, nginx::cpu),
                    new Load("nginx-304", nginxUrl, List.of("If-None-Match: " + nginxEtag), Answer.NOT_MODIFIED, nginx::cpu),
                    new Load("Ramp-200-gzip", rampUrl, List.of(auth, gzip), Answer.GZIPPED, ramp::cpu),
                    new Load("nginx-200-gzip", nginxUrl, List.of(gzip), Answer.GZIPPED, nginx::cpu));
            List<Load> loads = all.stream().filter(load -> selected.contains(load.name())).toList();
            if (loads.size() != selected.size()) {
                throw new IllegalArgumentException("--loads takes names among " + all.stream().map(Load::name).toList());
            }

            Wrk wrk = new Wrk(work.path(), options.number("threads", 1), options.number("connections", 1));
            System.out.printf(Locale.ROOT, "Ramp %s (pid %d, JVM options: %s), nginx %s (%s workers); %d flags, document %,d bytes%n",
                    ramp.url(), ramp.pid(), javaOptions.isEmpty() ? "default" : String.join(" ", javaOptions), nginx.url(),
                    options.text("nginx-workers"), flags, features.body().length);
            if (warmup > 0) {
                System.out.printf(Locale.ROOT, "warm-up: %d s per target and path, not recorded%n", warmup);
                for (Load load : loads) {
                    wrk.run(load.name() + " warm-up", load.url(), warmup, load.headers(),
                            results.resolve("features-warmup-" + load.name() + ".txt"));
                }
            }
            System.out.printf(Locale.ROOT, "measuring: %s -d%ds, %d round(s)%n", wrk.describe(), duration, rounds);
            List<Row> rows = measure(wrk, loads, duration, rounds, results, features.body().length);
            String table = table(rows, rounds > 1);
            System.out.println();
            System.out.print(table);
            Files.writeString(results.resolve("features.md"), "`" + wrk.describe() + " -d" + duration + "s`, warm-up "
                    + warmup + " s, " + flags + " flags, document " + features.body().length + " bytes\n\n" + table);
            System.out.println("\nraw wrk output and the server log: " + results.toAbsolutePath());
        } finally {
            resources.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) already
            }
        }
    }

    /** Runs each load for {@code duration} seconds, {@code rounds} times over, and checks each answered its path. */
    private static List<Row> measure(Wrk wrk, List<Load> loads, int duration, int rounds, Path results, int documentBytes) {
        List<Row> rows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Load load : loads) {
                String file = "features-" + load.name() + (rounds > 1 ? "-round" + round : "") + ".txt";
                Duration before = load.cpu().get();
                MachineCpu machine = MachineCpu.now();
                Wrk.Result result = wrk.run(load.name(), load.url(), duration, load.headers(), results.resolve(file));
                Duration cpu = load.cpu().get().minus(before);
                Duration others = MachineCpu.now().othersSince(machine, cpu);
                load.answer().check(result, documentBytes);
                rows.add(new Row(round, result, cpu, others));
                System.out.printf(Locale.ROOT, "  %-14s %,10.0f req/s%n", load.name(), result.requestsPerSecond());
            }
        }
        return rows;
    }

    /** Checks that nginx serves exactly {@code document} and answers its own ETag with a 304; returns that ETag. */
    private static String checkNginx(String url, byte[] document) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<byte[]> full = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (full.statusCode() != 200 || !Arrays.equals(full.body(), document)) {
                throw new IllegalStateException("nginx does not serve Ramp's document: status " + full.statusCode()
                        + ", " + full.body().length + " bytes");
            }
            String etag = full.headers().firstValue("ETag").orElseThrow(() -> new IllegalStateException("nginx sent no ETag"));
            HttpResponse<Void> cached = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.discarding());
            if (cached.statusCode() != 304) {
                throw new IllegalStateException("nginx answered If-None-Match " + etag + " with " + cached.statusCode());
            }
            return etag;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach nginx at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String table(List<Row> rows, boolean rounds) {
        StringBuilder out = new StringBuilder();
        out.append(rounds ? "| round " : "").append("| target | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | bytes/response | server CPU µs/request "
                + "| other CPU % |\n");
        out.append(rounds ? "|---:" : "").append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            Wrk.Result r = row.result();
            if (rounds) {
                out.append("| ").append(row.round()).append(' ');
            }
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %,d | %.1f | %.0f |%n",
                    r.name(), r.requestsPerSecond(), r.p50() / 1e3, r.p90() / 1e3, r.p99() / 1e3, r.p999() / 1e3,
                    r.max() / 1e3, r.bytesPerResponse(), row.cpuMicrosPerRequest(), row.otherCpuPercent()));
        }
        return out.toString();
    }

    /** What the run started, closed once, last first: from the end of main or from the shutdown hook. */
    private static final class Resources {
        private final List<AutoCloseable> opened = new ArrayList<>();
        private boolean closed;

        synchronized <T extends AutoCloseable> T add(T resource) {
            if (closed) {
                close(resource);
                throw new IllegalStateException("stopping");
            }
            opened.add(resource);
            return resource;
        }

        /** Closes everything; a second caller (the hook, on Ctrl-C during cleanup) waits for the first. */
        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = opened.size() - 1; i >= 0; i--) {
                close(opened.get(i));
            }
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        }

        private static void close(AutoCloseable resource) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }
}
