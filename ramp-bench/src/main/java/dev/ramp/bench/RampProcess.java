package dev.ramp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ramp server} in a JVM of its own, as it runs in production: {@code java -jar ramp.jar server --port 0}
 * on a fresh SQLite directory. Its output goes to a log file; the URL is read from the line it announces once it
 * listens. {@link #close()} sends SIGTERM, so the server drains and exits through its shutdown hook.
 */
final class RampProcess implements AutoCloseable {
    private static final String LISTENING = "Ramp server listening on ";
    private static final long START_SECONDS = 60;

    private final Process process;
    private final String url;

    private RampProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts the server of {@code jar} with {@code RAMP_ADMIN_TOKEN=adminToken} and the given JVM options, and returns
     * once it listens (at most a minute).
     */
    static RampProcess start(Path jar, Path dataDirectory, String adminToken, List<String> javaOptions, Path log) {
        return start(jar, dataDirectory, adminToken, javaOptions, log, 0);
    }

    /** The same on {@code port} (0: a free one), so that a server started again is where its clients look. */
    static RampProcess start(Path jar, Path dataDirectory, String adminToken, List<String> javaOptions, Path log, int port) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it: mvn -B -q -DskipTests -pl ramp-cli -am package");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", jar.toString(), "server", "--port", Integer.toString(port), "--data-dir",
                dataDirectory.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("RAMP_ADMIN_TOKEN", adminToken);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, log, listening), "ramp-server-log");
        pump.setDaemon(true);
        pump.start();
        try {
            return new RampProcess(process, listening.get(START_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Processes.stop(process, 10);
            throw new IllegalStateException("the Ramp server did not start within " + START_SECONDS + " s; see " + log, e);
        } catch (InterruptedException e) {
            Processes.stop(process, 10);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Ramp server started", e);
        }
    }

    /** Copies the server's output to {@code log} until it exits, completing {@code listening} with its URL. */
    private static void pump(Process process, Path log, CompletableFuture<String> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.write('\n');
                out.flush();
                int at = line.indexOf(LISTENING);
                if (at >= 0) {
                    listening.complete(line.substring(at + LISTENING.length()).split(" ")[0]);
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IllegalStateException("the server exited before it listened"));
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}. */
    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the server has used so far, all its threads or processes. */
    java.time.Duration cpu() {
        return Processes.cpu(process);
    }

    /** SIGKILL, as a crash or an OOM killer would: no drain, no shutdown hook. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        Processes.stop(process, 30);
    }
}
