package dev.ramp.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx serving one static file at {@code /api/client/features}, the baseline for "just put the flags document behind
 * a web server". It runs in the foreground ({@code daemon off}) from a configuration written to a directory of its
 * own, on 127.0.0.1 and a free port, with {@code etag on} (its ETag is the file's mtime and size), no access log,
 * and the same {@code Cache-Control: no-cache} Ramp sends. {@code keepalive_requests} is raised so that, like Jetty,
 * nginx keeps each connection for the whole run instead of closing it every 1,000 requests. A client that sends
 * {@code Accept-Encoding: gzip} gets the document gzipped on the fly at level 6, as Javalin does it for Ramp.
 */
final class Nginx implements AutoCloseable {
    static final String PATH = "/api/client/features";
    private static final long START_SECONDS = 30;

    private final Process process;
    private final String url;

    private Nginx(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts nginx with {@code workers} worker processes, serving {@code document}; returns once it listens. */
    static Nginx start(Path directory, byte[] document, int workers) {
        try {
            Path root = directory.resolve("www");
            Path file = root.resolve(PATH.substring(1));
            Files.createDirectories(file.getParent());
            Files.write(file, document);
            Files.createDirectories(directory.resolve("tmp"));
            readableByWorkers(directory, root, file);
            int port = Processes.freePort();
            Path pid = directory.resolve("nginx.pid");
            Path config = directory.resolve("nginx.conf");
            Files.writeString(config, """
                    daemon off;
                    worker_processes %d;
                    pid %s;
                    error_log %s warn;
                    events { worker_connections 4096; }
                    http {
                      access_log off;
                      keepalive_requests 1000000;
                      gzip on;
                      gzip_types application/json;
                      gzip_comp_level 6;
                      client_body_temp_path %s;
                      proxy_temp_path %<s;
                      fastcgi_temp_path %<s;
                      uwsgi_temp_path %<s;
                      scgi_temp_path %<s;
                      server {
                        listen 127.0.0.1:%d;
                        root %s;
                        etag on;
                        location = %s {
                          default_type application/json;
                          add_header Cache-Control no-cache;
                        }
                      }
                    }
                    """.formatted(workers, pid, directory.resolve("error.log"), directory.resolve("tmp"), port, root, PATH));
            return launch(directory, config, pid, "http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up nginx in " + directory, e);
        }
    }

    /**
     * Runs nginx and waits for its pid file: nginx writes it after it has bound and listens on its port, so its
     * appearance is the signal that nginx accepts connections (they queue until a worker takes them).
     */
    private static Nginx launch(Path directory, Path config, Path pid, String url) throws IOException {
        Path log = directory.resolve("nginx.out");
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            Process process = new ProcessBuilder(List.of("nginx", "-p", directory.toString(), "-c", config.toString(),
                    "-e", directory.resolve("error.log").toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
            while (!Files.exists(pid)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    Processes.stop(process, 5);
                    throw new IllegalStateException("nginx did not start: " + Files.readString(log)
                            + (Files.exists(directory.resolve("error.log")) ? Files.readString(directory.resolve("error.log")) : ""));
                }
                var key = watcher.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
            return new Nginx(process, url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while nginx started", e);
        }
    }

    /** Workers run as an unprivileged user when nginx starts as root; let them read the document. */
    private static void readableByWorkers(Path directory, Path root, Path file) throws IOException {
        var open = PosixFilePermissions.fromString("rwxr-xr-x");
        for (Path dir = file.getParent(); dir.startsWith(directory); dir = dir.getParent()) {
            Files.setPosixFilePermissions(dir, open);
        }
        Files.setPosixFilePermissions(root, open);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    String url() {
        return url;
    }

    /** CPU time the server has used so far, all its threads or processes. */
    java.time.Duration cpu() {
        return Processes.cpu(process);
    }

    @Override
    public void close() {
        Processes.stop(process, 10);
    }
}
