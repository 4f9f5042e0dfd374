package dev.ramp.server.stream;

import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.DeltaEvent;
import dev.ramp.server.state.CatalogState;
import dev.ramp.server.state.EnvironmentView;
import dev.ramp.server.state.Update;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Fans committed changes out to every connected stream, in commit order, and lets a reconnecting client resume
 * after the last event it saw.
 *
 * <p>On {@link #subscribe}, a client that names a {@code Last-Event-ID} still in the retained window gets exactly
 * the events after it; any other client gets a hydration of its environment's current state. Subscribing and
 * publishing take one lock, so no change falls between the hydration and the first live event.
 */
public final class ChangeFeed implements Consumer<Update>, AutoCloseable {
    /** SSE event names of Unleash's streaming protocol. */
    public static final String CONNECTED = "unleash-connected";
    public static final String UPDATED = "unleash-updated";

    private final Supplier<CatalogState> state;
    private final int retained;
    private final ArrayDeque<Update> recent = new ArrayDeque<>();
    private final Broadcast<Subscriber> streams;
    private final Object lock = new Object();
    private boolean closed;
    /** The id of the last update passed to {@link #accept}; the catalog may already be ahead of it. Guarded by lock. */
    private long lastPublished;

    /**
     * @param state           the catalog's current state, read when a client connects
     * @param retained        how many recent updates a reconnecting client can resume from
     * @param maxQueuedFrames frames a subscriber may have waiting before it is disconnected as too slow
     * @param writerThreads   threads that write to subscribers
     * @param heartbeatMillis how often an idle stream gets a comment, so that clients and proxies keep it open
     */
    public ChangeFeed(Supplier<CatalogState> state, int retained, int maxQueuedFrames, int writerThreads, long heartbeatMillis) {
        this.state = state;
        this.retained = retained;
        this.streams = new Broadcast<>("stream", maxQueuedFrames, writerThreads, heartbeatMillis);
        this.lastPublished = state.get().lastChangeId();
    }

    /**
     * Starts streaming to {@code subscriber}: first an {@code unleash-connected} event (a hydration, or the events
     * after {@code lastEventId} when they are all retained), then an {@code unleash-updated} event per change.
     *
     * @return what ends the stream early, when the client goes away
     */
    public Runnable subscribe(Subscriber subscriber, OptionalLong lastEventId) {
        synchronized (lock) {
            if (closed) {
                subscriber.close();
                return () -> { };
            }
            // Counted before its first frame goes out, so that whoever sees the frame also sees the connection.
            Broadcast<Subscriber>.Connection connection = streams.connect(subscriber);
            List<DeltaEvent> missed = lastEventId.isPresent()
                    ? missedSince(lastEventId.getAsLong(), subscriber.environment())
                    : null;
            if (missed == null) {
                // The catalog may hold a change not yet published: the hydration includes it, and seen skips it.
                EnvironmentView view = state.get().view(subscriber.environment());
                DeltaEvent hydration = new DeltaEvent.Hydration(view.lastChangeId(),
                        view.snapshot().flags(), view.snapshot().segments());
                connection.offer(frame(CONNECTED, view.lastChangeId(), List.of(hydration)));
                connection.seen = view.lastChangeId();
            } else {
                // Resuming from the published updates only: one still on its way arrives through accept.
                connection.offer(frame(CONNECTED, Math.max(lastEventId.getAsLong(), lastIdOf(missed)), missed));
                connection.seen = lastPublished;
            }
            return connection::end;
        }
    }

    /** Publishes one committed update; called by the control plane in commit order. */
    @Override
    public void accept(Update update) {
        synchronized (lock) {
            lastPublished = update.changeId();
            recent.addLast(update);
            while (recent.size() > retained) {
                recent.removeFirst();
            }
            Map<String, byte[]> frames = new java.util.HashMap<>();
            for (Broadcast<Subscriber>.Connection connection : streams.connections()) {
                if (update.changeId() <= connection.seen) {
                    continue;
                }
                connection.seen = update.changeId();
                String environment = connection.sink().environment();
                byte[] frame = frames.computeIfAbsent(environment, env -> {
                    List<DeltaEvent> events = update.events(env);
                    return events.isEmpty() ? new byte[0] : frame(UPDATED, update.changeId(), events);
                });
                if (frame.length > 0) {
                    connection.offer(frame);
                }
            }
        }
    }

    /** How many streams are connected now. */
    public int connections() {
        return streams.connections().size();
    }

    /** Ends every stream; clients will reconnect elsewhere or later and resume. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        streams.close();
    }

    /** The published events after {@code lastEventId} for {@code environment}, or null when a hydration is needed. */
    private List<DeltaEvent> missedSince(long lastEventId, String environment) {
        if (lastEventId > lastPublished || lastEventId < 0) {
            return null;
        }
        if (lastEventId == lastPublished) {
            return List.of();
        }
        Update oldest = recent.peekFirst();
        if (oldest == null || oldest.changeId() > lastEventId + 1) {
            return null;
        }
        List<DeltaEvent> events = new ArrayList<>();
        for (Update update : recent) {
            if (update.changeId() > lastEventId) {
                events.addAll(update.events(environment));
            }
        }
        return events;
    }

    private static long lastIdOf(List<DeltaEvent> events) {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).eventId();
    }

    static byte[] frame(String event, long id, List<DeltaEvent> events) {
        String data = UnleashCodec.encodeDelta(events);
        return ("id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
