package dev.ramp.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone mode: serves the routes of a file and reloads it when its contents change, checked every
 * {@code period} (editors that save by renaming are seen too). A file with problems is reported with its lines and
 * changes nothing: the gateway keeps serving the last good routes.
 */
public final class RouteFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteFileWatcher.class);

    private final Path file;
    private final Gateway gateway;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ramp-gateway-config");
        thread.setDaemon(true);
        return thread;
    });
    private byte[] loaded;
    private long version;
    private volatile ConfigStatus status;

    private RouteFileWatcher(Path file, Gateway gateway, Clock clock) {
        this.file = file;
        this.gateway = gateway;
        this.clock = clock;
        this.status = new ConfigStatus(file.toString(), null, null, List.of());
    }

    /**
     * Loads {@code file} into {@code gateway} now, then watches it. Returns the watcher even when the first load
     * fails, so that fixing the file starts the gateway serving; {@link #status()} says how it went.
     */
    public static RouteFileWatcher start(Path file, Gateway gateway, Duration period, Clock clock) {
        var watcher = new RouteFileWatcher(file, gateway, clock);
        watcher.reload();
        long millis = Math.max(1, period.toMillis());
        watcher.scheduler.scheduleWithFixedDelay(watcher::reload, millis, millis, TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** Loads the file if it changed since the last load; returns whether the gateway now serves what it holds. */
    public synchronized boolean reload() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            if (loaded != null || status.failedAt() == null) {
                refused(List.of("cannot read " + file + ": " + e.getMessage()));
            }
            return false;
        }
        if (loaded != null && Arrays.equals(bytes, loaded)) {
            return true;
        }
        RouteFile.Contents contents = RouteFile.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        loaded = bytes;
        if (!contents.problems().isEmpty()) {
            gateway.unreadableConfig();
            refused(contents.problems().stream().map(RouteFile.Problem::toString).toList());
            return false;
        }
        var problems = gateway.apply(contents.routes(), ++version);
        if (!problems.isEmpty()) {
            refused(problems.stream().map(Object::toString).toList());
            return false;
        }
        status = new ConfigStatus(file.toString(), clock.instant(), null, List.of());
        LOG.info("serving {} route(s) from {} (version {})", contents.routes().size(), file, version);
        return true;
    }

    private void refused(List<String> problems) {
        status = new ConfigStatus(file.toString(), status.loadedAt(), clock.instant(), problems);
        LOG.error("{} is refused; still serving the routes loaded before:\n  {}", file, String.join("\n  ", problems));
    }

    public ConfigStatus status() {
        return status;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
