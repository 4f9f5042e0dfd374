package dev.ramp.sdk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.core.flag.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the client counted, from one thread: the registration once, usage metrics in Unleash's format
 * ({@code POST /api/client/metrics}) and metric events and exposures in batches ({@code POST /api/client/events}). A report
 * that fails is kept for the next attempt: usage counts are added back into the counters, and an event batch is
 * retried up to a bound, then dropped and counted. A refusal (a {@code 4xx} other than {@code 408} and
 * {@code 429}) is not retried.
 */
public final class UsageReporter {
    private static final Logger LOG = LoggerFactory.getLogger(UsageReporter.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ServerConnection server;
    private final String appName;
    private final String instanceId;
    private final UsageCounters counters;
    private final EventQueue events;
    private final InstantSource clock;
    private final Duration metricsInterval;
    private final int batchSize;
    private final int attempts;
    private final Instant started;

    private boolean registered;
    private Instant bucketStart;
    private List<TrackedEvent> inFlight = List.of();
    private int inFlightAttempts;
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    public UsageReporter(ServerConnection server, String appName, String instanceId, UsageCounters counters,
                         EventQueue events, InstantSource clock, Duration metricsInterval, int batchSize, int attempts) {
        this.server = server;
        this.appName = appName;
        this.instanceId = instanceId;
        this.counters = counters;
        this.events = events;
        this.clock = clock;
        this.metricsInterval = metricsInterval;
        this.batchSize = batchSize;
        this.attempts = attempts;
        this.started = clock.instant();
        this.bucketStart = started;
    }

    /** Registers the instance, until the server has accepted it once. */
    public synchronized void register() {
        if (registered) {
            return;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("appName", appName);
        body.put("instanceId", instanceId);
        body.put("sdkVersion", Versions.SDK);
        ArrayNode strategies = body.putArray("strategies");
        Strategy.BUILT_IN.forEach(strategies::add);
        body.put("started", started.toString());
        body.put("interval", metricsInterval.toMillis());
        int status = send("/api/client/register", body);
        registered = status >= 200 && status < 300 || refused(status);
    }

    /** Reports the usage counted since the last report, if any. */
    public synchronized void reportMetrics() {
        register();
        Instant stop = clock.instant();
        Map<String, UsageCounters.Counts> report = counters.drain();
        if (report.isEmpty()) {
            bucketStart = stop;
            return;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("appName", appName);
        body.put("instanceId", instanceId);
        ObjectNode bucket = body.putObject("bucket");
        bucket.put("start", bucketStart.toString());
        bucket.put("stop", stop.toString());
        bucket.set("toggles", UsageCounters.toggles(report));
        int status = send("/api/client/metrics", body);
        if (status >= 200 && status < 300) {
            bucketStart = stop;
            reports.incrementAndGet();
            evaluations.addAndGet(UsageCounters.evaluations(report));
        } else if (refused(status)) {
            bucketStart = stop;
            LOG.warn("Ramp refused a usage report ({}); its counts are dropped", status);
        } else {
            counters.restore(report);
        }
    }

    /** Sends queued events in batches until the queue is empty or a batch fails. */
    public synchronized void sendEvents() {
        while (true) {
            if (inFlight.isEmpty()) {
                inFlight = events.take(batchSize);
                inFlightAttempts = 0;
                if (inFlight.isEmpty()) {
                    return;
                }
            }
            ObjectNode body = MAPPER.createObjectNode();
            body.put("appName", appName);
            body.put("instanceId", instanceId);
            ArrayNode array = body.putArray("events");
            inFlight.forEach(event -> event.writeTo(array.addObject()));
            int status = send("/api/client/events", body);
            inFlightAttempts++;
            if (status >= 200 && status < 300) {
                sent.addAndGet(inFlight.size());
            } else if (refused(status) || inFlightAttempts >= attempts) {
                LOG.warn("Ramp dropped {} events: {}", inFlight.size(),
                        refused(status) ? "the server refused them (" + status + ")" : "sending failed " + inFlightAttempts + " times");
                events.dropped(inFlight.size());
            } else {
                return;
            }
            inFlight = List.of();
        }
    }

    public long evaluations() {
        return evaluations.get();
    }

    public long reports() {
        return reports.get();
    }

    public long sent() {
        return sent.get();
    }

    /** A status not worth a retry: the request itself is wrong (bad body, no such endpoint, bad token). */
    private static boolean refused(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    /** The response status, or {@code -1} when the server could not be reached. */
    private int send(String path, ObjectNode body) {
        byte[] json;
        try {
            json = MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return server.post(path, json);
        } catch (IOException e) {
            LOG.debug("Ramp: {} failed: {}", path, e.toString());
            return -1;
        }
    }
}
