package dev.ramp.server.stream;

import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.DeltaEvent;
import dev.ramp.server.state.CatalogState;
import dev.ramp.server.state.EnvironmentView;
import dev.ramp.server.state.Update;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    private static final byte[] HEARTBEAT = ":keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final Supplier<CatalogState> state;
    private final int retained;
    private final int maxQueuedFrames;
    private final ArrayDeque<Update> recent = new ArrayDeque<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers;
    private final ScheduledExecutorService heartbeats;
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
        this.maxQueuedFrames = maxQueuedFrames;
        AtomicInteger threads = new AtomicInteger();
        this.writers = Executors.newFixedThreadPool(writerThreads, runnable -> daemon(runnable, "ramp-stream-" + threads.incrementAndGet()));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "ramp-stream-heartbeat"));
        heartbeats.scheduleAtFixedRate(this::heartbeat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
        this.lastPublished = state.get().lastChangeId();
    }

    /**
     * Starts streaming to {@code subscriber}: first an {@code unleash-connected} event (a hydration, or the events
     * after {@code lastEventId} when they are all retained), then an {@code unleash-updated} event per change.
     *
     * @return what ends the stream early, when the client goes away
     */
    public Runnable subscribe(Subscriber subscriber, OptionalLong lastEventId) {
        Connection connection = new Connection(subscriber);
        synchronized (lock) {
            if (closed) {
                subscriber.close();
                return () -> { };
            }
            // Counted before its first frame goes out, so that whoever sees the frame also sees the connection.
            connections.add(connection);
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
        }
        return connection::end;
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
            for (Connection connection : connections) {
                if (update.changeId() <= connection.seen) {
                    continue;
                }
                connection.seen = update.changeId();
                String environment = connection.subscriber.environment();
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
        return connections.size();
    }

    /** Ends every stream; clients will reconnect elsewhere or later and resume. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        heartbeats.shutdownNow();
        for (Connection connection : connections) {
            connection.end();
        }
        writers.shutdown();
        try {
            if (!writers.awaitTermination(5, TimeUnit.SECONDS)) {
                writers.shutdownNow();
            }
        } catch (InterruptedException e) {
            writers.shutdownNow();
            Thread.currentThread().interrupt();
        }
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

    private void heartbeat() {
        for (Connection connection : connections) {
            connection.offer(HEARTBEAT);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One subscriber's queue of frames, drained by one writer at a time. */
    private final class Connection implements Runnable {
        private final Subscriber subscriber;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private boolean scheduled;
        private boolean ended;
        /** The last change id this connection has been given (or deliberately skipped); guarded by the feed's lock. */
        long seen;

        Connection(Subscriber subscriber) {
            this.subscriber = subscriber;
        }

        void offer(byte[] frame) {
            boolean schedule;
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (queue.size() >= maxQueuedFrames) {
                    LOG.info("stream of environment '{}' fell {} frames behind and is closed; the client resumes on reconnect",
                            subscriber.environment(), queue.size());
                    queue.clear();
                    ended = true;
                    schedule = !scheduled;
                    scheduled = true;
                } else {
                    queue.addLast(frame);
                    schedule = !scheduled;
                    scheduled = true;
                }
            }
            if (schedule) {
                execute();
            }
        }

        void end() {
            boolean schedule;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                schedule = !scheduled;
                scheduled = true;
            }
            if (schedule) {
                execute();
            }
        }

        private void execute() {
            try {
                writers.execute(this);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                finish();
            }
        }

        @Override
        public void run() {
            while (true) {
                byte[] frame;
                synchronized (this) {
                    frame = queue.pollFirst();
                    if (frame == null) {
                        scheduled = false;
                        if (ended) {
                            break;
                        }
                        return;
                    }
                }
                try {
                    subscriber.write(frame);
                } catch (IOException | RuntimeException e) {
                    synchronized (this) {
                        ended = true;
                        queue.clear();
                    }
                }
            }
            finish();
        }

        private void finish() {
            if (connections.remove(this)) {
                subscriber.close();
            }
        }
    }
}
