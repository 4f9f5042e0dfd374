package dev.ramp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code wrk} load generator (closed loop: each connection sends its next request when the previous answer
 * is in) with a Lua {@code done()} hook that prints the totals and percentiles in one parseable line. wrk's raw
 * report is kept in a file. wrk's percentiles are of service time per request; as in any closed-loop tool, a stall
 * delays the requests behind it without recording them (coordinated omission), so p99 under-states a stall.
 */
final class Wrk {
    private static final String SCRIPT = "wrk-report.lua";

    private final Path script;
    private final int threads;
    private final int connections;

    /** Settings of every run: {@code -t threads -c connections --latency}. */
    Wrk(Path workDirectory, int threads, int connections) {
        this.threads = threads;
        this.connections = connections;
        this.script = workDirectory.resolve(SCRIPT);
        try (InputStream in = Wrk.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the benchmark jar");
            }
            Files.write(script, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one run measured; latencies in microseconds. */
    record Result(String name, long requests, double seconds, long bytes, long p50, long p90, long p99, long p999, long max,
                  long errors) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        long bytesPerResponse() {
            return requests == 0 ? 0 : bytes / requests;
        }
    }

    String describe() {
        return "wrk -t" + threads + " -c" + connections + " --latency";
    }

    /**
     * Loads {@code url} for {@code seconds} with the given request headers, writes wrk's output to {@code report},
     * and returns the figures. Fails when wrk fails, overruns, or counts a socket error or a status of 400 or more.
     */
    Result run(String name, String url, int seconds, List<String> headers, Path report) {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "--latency", "-s", script.toString()));
        for (String header : headers) {
            command.add("-H");
            command.add(header);
        }
        command.add(url);
        try {
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(report.toFile()).start();
            try {
                if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + ": wrk did not finish within " + (seconds + 30) + " s; see " + report);
                }
            } finally {
                wrk.destroyForcibly();
            }
            if (wrk.exitValue() != 0) {
                throw new IllegalStateException(name + ": wrk exited with " + wrk.exitValue() + "; see " + report);
            }
            return parse(name, Files.readString(report, StandardCharsets.UTF_8), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run wrk (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while wrk ran", e);
        }
    }

    private static Result parse(String name, String output, Path report) {
        String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + ": no RESULT line in " + report));
        Map<String, Long> values = new HashMap<>();
        for (String pair : line.substring("RESULT ".length()).trim().split(" ")) {
            int equals = pair.indexOf('=');
            values.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
        }
        long errors = values.get("connect") + values.get("read") + values.get("write") + values.get("status")
                + values.get("timeout");
        Result result = new Result(name, values.get("requests"), values.get("duration_us") / 1e6, values.get("bytes"),
                values.get("p50_us"), values.get("p90_us"), values.get("p99_us"), values.get("p999_us"), values.get("max_us"),
                errors);
        if (errors > 0) {
            throw new IllegalStateException(name + ": wrk counted " + errors + " errors (" + line + "); see " + report);
        }
        return result;
    }
}
