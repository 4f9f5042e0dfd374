package dev.ramp.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Many {@code GET /api/client/streaming} streams at once, on plain non-blocking sockets read by a few selector
 * threads (one by default), so that a thousand clients cost a thousand sockets and not a thousand threads or HTTP
 * client instances. Each read is stamped with {@link System#nanoTime()} as soon as it returns, before the bytes are
 * parsed; the parser undoes chunked transfer encoding and splits the server-sent events, keeping only each event's
 * name and id (data is skipped, comments such as {@code :keep-alive} are ignored), without allocating per event.
 *
 * <p>A reader serves its sockets one after another, so when an event reaches all of them at once the last one is
 * stamped after the reader has handled the others: the client's own share of a "time until all clients have it",
 * a few microseconds per socket. {@link #readerCpuNanos()} tells how much CPU the readers used.
 */
final class SseClients implements AutoCloseable {
    /** Receives what the readers see; called on reader threads. */
    interface Listener {
        void event(int client, String name, long id, long arrivedNanos);

        /** The stream ended or failed; no more events will come from it. */
        void ended(int client, String reason);
    }

    private final List<SocketChannel> channels = new ArrayList<>();
    private final List<Reader> readers = new ArrayList<>();

    private SseClients() {}

    /**
     * Connects {@code count} streams to {@code server} with {@code token}, sends each its request and starts
     * {@code readerThreads} readers. Returns once every request is sent; the events arrive at {@code listener}.
     */
    static SseClients open(InetSocketAddress server, String token, int count, int readerThreads, Listener listener) {
        SseClients clients = new SseClients();
        try {
            for (int i = 0; i < readerThreads; i++) {
                clients.readers.add(new Reader(Selector.open(), listener));
            }
            byte[] request = ("GET /api/client/streaming HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                    + "\r\nAuthorization: " + token + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "User-Agent: ramp-bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(server);
                clients.channels.add(channel);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer out = ByteBuffer.wrap(request);
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.configureBlocking(false);
                Reader reader = clients.readers.get(i % readerThreads);
                channel.register(reader.selector, SelectionKey.OP_READ, new Stream(i, listener));
            }
        } catch (IOException e) {
            clients.close();
            throw new UncheckedIOException("cannot open stream " + clients.channels.size() + " of " + count, e);
        }
        for (int i = 0; i < clients.readers.size(); i++) {
            Thread thread = new Thread(clients.readers.get(i), "sse-reader-" + (i + 1));
            thread.setDaemon(true);
            clients.readers.get(i).thread = thread;
            thread.start();
        }
        return clients;
    }

    /** CPU time the reader threads have used so far. */
    long readerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Reader reader : readers) {
            if (reader.thread != null) {
                total += Math.max(0, threads.getThreadCpuTime(reader.thread.getId()));
            }
        }
        return total;
    }

    /** Stops the readers and closes every socket. */
    @Override
    public void close() {
        for (Reader reader : readers) {
            reader.running = false;
            reader.selector.wakeup();
        }
        for (Reader reader : readers) {
            if (reader.thread != null) {
                try {
                    reader.thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                reader.selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** One selector thread: reads whatever is ready, stamps it, parses it. */
    private static final class Reader implements Runnable {
        private final Selector selector;
        private final Listener listener;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        private final byte[] bytes = new byte[64 * 1024];
        volatile boolean running = true;
        Thread thread;

        Reader(Selector selector, Listener listener) {
            this.selector = selector;
            this.listener = listener;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select();
                    for (SelectionKey key : selector.selectedKeys()) {
                        read(key);
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    for (SelectionKey key : selector.keys()) {
                        listener.ended(((Stream) key.attachment()).client, "reader failed: " + e);
                    }
                }
            }
        }

        private void read(SelectionKey key) {
            Stream stream = (Stream) key.attachment();
            SocketChannel channel = (SocketChannel) key.channel();
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                key.cancel();
                listener.ended(stream.client, "read failed: " + e.getMessage());
                return;
            }
            long arrived = System.nanoTime();
            if (n < 0) {
                key.cancel();
                listener.ended(stream.client, "the server closed the stream");
                return;
            }
            buffer.flip();
            buffer.get(bytes, 0, n);
            String failure = stream.feed(bytes, n, arrived);
            if (failure != null) {
                key.cancel();
                listener.ended(stream.client, failure);
            }
        }
    }

    /** One stream's parser: HTTP response head, then chunked (or plain) body, then server-sent-event lines. */
    private static final class Stream {
        private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, PLAIN, DONE }

        private static final int LINE_LIMIT = 128;
        private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ID = "id:".getBytes(StandardCharsets.US_ASCII);
        private static final String[] NAMES = {"unleash-connected", "unleash-updated"};
        private static final byte[][] NAME_BYTES = {NAMES[0].getBytes(StandardCharsets.US_ASCII),
                NAMES[1].getBytes(StandardCharsets.US_ASCII)};

        final int client;
        private final Listener listener;
        private State state = State.HEAD;
        private final StringBuilder head = new StringBuilder();
        private long chunkLeft;
        private long chunkSize;
        private boolean chunkExtension;
        private int chunkEndLeft;
        /** The current line's first bytes: enough for the event and id lines, the only ones read. */
        private final byte[] line = new byte[LINE_LIMIT];
        private int lineLength;
        private String eventName;
        private long eventId = -1;

        Stream(int client, Listener listener) {
            this.client = client;
            this.listener = listener;
        }

        /** Parses {@code n} bytes that arrived at {@code arrived}; returns why the stream is unusable, or null. */
        String feed(byte[] bytes, int n, long arrived) {
            int i = 0;
            while (i < n) {
                switch (state) {
                    case HEAD -> {
                        head.append((char) (bytes[i++] & 0xff));
                        int end = head.length();
                        if (end >= 4 && head.charAt(end - 1) == '\n' && head.charAt(end - 2) == '\r'
                                && head.charAt(end - 3) == '\n' && head.charAt(end - 4) == '\r') {
                            String text = head.toString();
                            if (!text.startsWith("HTTP/1.1 200")) {
                                state = State.DONE;
                                return "the server answered " + text.lines().findFirst().orElse("");
                            }
                            state = text.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked")
                                    ? State.CHUNK_SIZE : State.PLAIN;
                        } else if (end > 16 * 1024) {
                            state = State.DONE;
                            return "response head longer than 16 KiB";
                        }
                    }
                    case CHUNK_SIZE -> {
                        char c = (char) (bytes[i++] & 0xff);
                        if (c == '\n') {
                            if (chunkSize == 0) {
                                state = State.DONE;
                                return "the server ended the stream";
                            }
                            chunkLeft = chunkSize;
                            chunkSize = 0;
                            chunkExtension = false;
                            state = State.CHUNK_DATA;
                        } else if (c == ';') {
                            chunkExtension = true;
                        } else if (!chunkExtension && c != '\r') {
                            int digit = Character.digit(c, 16);
                            if (digit < 0) {
                                state = State.DONE;
                                return "a bad chunk size";
                            }
                            chunkSize = chunkSize * 16 + digit;
                        }
                    }
                    case CHUNK_DATA -> {
                        int take = (int) Math.min(chunkLeft, n - i);
                        events(bytes, i, take, arrived);
                        i += take;
                        chunkLeft -= take;
                        if (chunkLeft == 0) {
                            state = State.CHUNK_END;
                            chunkEndLeft = 2;
                        }
                    }
                    case CHUNK_END -> {
                        i++;
                        if (--chunkEndLeft == 0) {
                            state = State.CHUNK_SIZE;
                        }
                    }
                    case PLAIN -> {
                        events(bytes, i, n - i, arrived);
                        i = n;
                    }
                    case DONE -> {
                        return "bytes after the end of the stream";
                    }
                }
            }
            return null;
        }

        private void events(byte[] bytes, int from, int length, long arrived) {
            for (int i = from; i < from + length; i++) {
                byte b = bytes[i];
                if (b != '\n') {
                    if (lineLength < line.length) {
                        line[lineLength++] = b;
                    }
                    continue;
                }
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                if (lineLength == 0) {
                    if (eventName != null) {
                        listener.event(client, eventName, eventId, arrived);
                    }
                    eventName = null;
                    eventId = -1;
                } else if (startsWith(EVENT)) {
                    eventName = name(valueStart(EVENT));
                } else if (startsWith(ID)) {
                    eventId = number(valueStart(ID));
                }
                lineLength = 0;
            }
        }

        private boolean startsWith(byte[] prefix) {
            return lineLength >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
        }

        /** Where a field's value starts: after the colon and one optional space. */
        private int valueStart(byte[] field) {
            return lineLength > field.length && line[field.length] == ' ' ? field.length + 1 : field.length;
        }

        /** The event name from {@code from}: one of the protocol's constants (no allocation), or a new string. */
        private String name(int from) {
            for (int k = 0; k < NAMES.length; k++) {
                byte[] bytes = NAME_BYTES[k];
                if (lineLength - from == bytes.length && Arrays.equals(line, from, lineLength, bytes, 0, bytes.length)) {
                    return NAMES[k];
                }
            }
            return new String(line, from, lineLength - from, StandardCharsets.UTF_8);
        }

        private long number(int from) {
            long value = 0;
            for (int i = from; i < lineLength; i++) {
                int digit = line[i] - '0';
                if (digit < 0 || digit > 9) {
                    return -1;
                }
                value = value * 10 + digit;
            }
            return lineLength > from ? value : -1;
        }
    }
}
