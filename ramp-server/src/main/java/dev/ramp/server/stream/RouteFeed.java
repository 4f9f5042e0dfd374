package dev.ramp.server.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ramp.server.model.Json;
import dev.ramp.server.route.RouteConfig;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The gateways' stream of routes: every event is the whole {@link RouteConfig}, so a gateway never needs to
 * resume. A new stream gets the current routes at once; every stream gets them again after each change, in commit
 * order. Subscribing and publishing take one lock, so no change falls between a stream's first event and the next.
 */
public final class RouteFeed implements Consumer<RouteConfig>, AutoCloseable {
    /** The SSE event name of every event. */
    public static final String EVENT = "routes";

    private final Broadcast<FrameSink> streams;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private RouteConfig current = RouteConfig.EMPTY;
    /** Guarded by lock. */
    private byte[] frame = frame(RouteConfig.EMPTY);
    private boolean closed;

    /**
     * @param maxQueuedFrames frames a gateway may have waiting before it is disconnected as too slow
     * @param writerThreads   threads that write to gateways
     * @param heartbeatMillis how often an idle stream gets a comment, so that gateways and proxies keep it open
     */
    public RouteFeed(int maxQueuedFrames, int writerThreads, long heartbeatMillis) {
        this.streams = new Broadcast<>("routes-stream", maxQueuedFrames, writerThreads, heartbeatMillis);
    }

    /**
     * Starts streaming to {@code sink}: an event with the current routes, then one after every change.
     *
     * @return what ends the stream early, when the gateway goes away
     */
    public Runnable subscribe(FrameSink sink) {
        synchronized (lock) {
            if (closed) {
                sink.close();
                return () -> { };
            }
            Broadcast<FrameSink>.Connection connection = streams.connect(sink);
            connection.offer(frame);
            connection.seen = current.version();
            return connection::end;
        }
    }

    /** Publishes the routes after a change; called in commit order. */
    @Override
    public void accept(RouteConfig config) {
        synchronized (lock) {
            current = config;
            frame = frame(config);
            for (Broadcast<FrameSink>.Connection connection : streams.connections()) {
                if (config.version() > connection.seen) {
                    connection.seen = config.version();
                    connection.offer(frame);
                }
            }
        }
    }

    /** How many gateway streams are connected now. */
    public int connections() {
        return streams.connections().size();
    }

    /** Ends every stream; gateways reconnect and get the routes again. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        streams.close();
    }

    /** {@code id: VERSION}, {@code event: routes} and the routes as one line of JSON. */
    static byte[] frame(RouteConfig config) {
        try {
            return ("id: " + config.version() + "\nevent: " + EVENT + "\ndata: " + Json.mapper().writeValueAsString(config)
                    + "\n\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the routes as JSON", e);
        }
    }
}
