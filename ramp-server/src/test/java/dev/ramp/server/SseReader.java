package dev.ramp.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a server-sent-events stream over real HTTP into a queue of events, for tests. */
final class SseReader implements AutoCloseable {
    /** One event; {@code id} is "" when the event had none. */
    record Event(String id, String event, String data) {}

    /** Marks the end of the stream in the queue. */
    static final Event END = new Event("", "end", "");

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile Stream<String> lines;

    private SseReader(CompletableFuture<HttpResponse<Stream<String>>> response) {
        this.response = response;
    }

    static SseReader connect(String url, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream").header("Authorization", token);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        SseReader reader = new SseReader(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()));
        reader.response.thenAccept(reply -> {
            reader.lines = reply.body();
            Thread thread = new Thread(() -> reader.read(reply.body()), "sse-reader");
            thread.setDaemon(true);
            thread.start();
        });
        return reader;
    }

    int status() throws Exception {
        return response.get(10, TimeUnit.SECONDS).statusCode();
    }

    /** The next event that is not a comment; fails the test when none comes within 10 seconds. */
    Event next() throws InterruptedException {
        Event event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event within 10 seconds");
        }
        return event;
    }

    /** The next event if one is already queued or arrives within {@code wait}. */
    Event poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void read(Stream<String> stream) {
        String id = "";
        String event = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) stream::iterator) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, event, data.toString()));
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).trim());
                }
            }
        } catch (RuntimeException ended) {
            // The connection closed: by us in close(), or by the server.
        }
        events.add(END);
    }

    @Override
    public void close() {
        Stream<String> open = lines;
        if (open != null) {
            open.close();
        }
        response.cancel(true);
    }
}
