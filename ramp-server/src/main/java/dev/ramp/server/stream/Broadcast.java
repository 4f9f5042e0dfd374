package dev.ramp.server.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected streams of one feed and the threads that write to them: each stream's frames queue and are written
 * on a small pool, one stream at a time each, so a slow client delays only itself; one that falls too far behind is
 * closed. Every stream gets a {@code :keep-alive} comment every heartbeat, so that clients and proxies keep it open.
 * What to send, and when, is the feed's business.
 */
final class Broadcast<S extends FrameSink> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broadcast.class);
    private static final byte[] HEARTBEAT = ":keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final String name;
    private final int maxQueuedFrames;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers;
    private final ScheduledExecutorService heartbeats;

    /**
     * @param name            names the threads and the log lines
     * @param maxQueuedFrames frames a stream may have waiting before it is closed as too slow
     * @param writerThreads   threads that write to streams
     * @param heartbeatMillis how often every stream gets a keep-alive comment
     */
    Broadcast(String name, int maxQueuedFrames, int writerThreads, long heartbeatMillis) {
        this.name = name;
        this.maxQueuedFrames = maxQueuedFrames;
        AtomicInteger threads = new AtomicInteger();
        this.writers = Executors.newFixedThreadPool(writerThreads, runnable -> daemon(runnable, "ramp-" + name + "-" + threads.incrementAndGet()));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "ramp-" + name + "-heartbeat"));
        heartbeats.scheduleAtFixedRate(this::heartbeat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    /** A new connection to {@code sink}, counted from now on. */
    Connection connect(S sink) {
        Connection connection = new Connection(sink);
        connections.add(connection);
        return connection;
    }

    Set<Connection> connections() {
        return connections;
    }

    /** Ends every stream and stops the writers. */
    @Override
    public void close() {
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

    /** One stream's queue of frames, drained by one writer at a time. */
    final class Connection implements Runnable {
        private final S sink;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private boolean scheduled;
        private boolean ended;
        /** The last change id or version this stream has been given (or deliberately skipped); guarded by the feed's lock. */
        long seen;

        private Connection(S sink) {
            this.sink = sink;
        }

        S sink() {
            return sink;
        }

        void offer(byte[] frame) {
            boolean schedule;
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (queue.size() >= maxQueuedFrames) {
                    LOG.info("a {} stream fell {} frames behind and is closed; the client reconnects", name, queue.size());
                    queue.clear();
                    ended = true;
                } else {
                    queue.addLast(frame);
                }
                schedule = !scheduled;
                scheduled = true;
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
                    sink.write(frame);
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
                sink.close();
            }
        }
    }
}
