package dev.ramp.sdk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads server-sent events (the WHATWG {@code text/event-stream} format) from a response body: {@code event},
 * {@code data} (lines joined with {@code \n}) and {@code id} fields, lines ended by LF, CRLF or CR, comments
 * ({@code :keep-alive}) skipped. The JDK has no reader of its own and the SDK takes no HTTP library, so this
 * small one is here; it bounds each event, so a broken server cannot make it buffer without end.
 */
public final class EventStreamReader {
    /** One dispatched event. {@code id} is the stream's last event id after it ({@code ""} when none was ever sent). */
    public record ServerSentEvent(String event, String data, String id) {}

    private final Reader in;
    private final int maxEventChars;
    private final StringBuilder line = new StringBuilder();
    private boolean lastWasCr;
    private String lastEventId = "";

    public EventStreamReader(InputStream body, int maxEventChars) {
        this.in = new InputStreamReader(body, StandardCharsets.UTF_8);
        this.maxEventChars = maxEventChars;
    }

    /**
     * The next event; empty when the stream ends (an event cut off by the end is discarded, as the format says).
     *
     * @throws IOException when the body cannot be read, or an event is larger than the bound
     */
    public Optional<ServerSentEvent> next() throws IOException {
        String event = "";
        StringBuilder data = null;
        int size = 0;
        while (true) {
            String text = readLine();
            if (text == null) {
                return Optional.empty();
            }
            if (text.isEmpty()) {
                if (data != null) {
                    return Optional.of(new ServerSentEvent(event.isEmpty() ? "message" : event, data.toString(), lastEventId));
                }
                event = "";
                continue;
            }
            size += text.length();
            if (size > maxEventChars) {
                throw new IOException("an event is longer than " + maxEventChars + " characters");
            }
            if (text.charAt(0) == ':') {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + (colon + 1 < text.length() && text.charAt(colon + 1) == ' ' ? 2 : 1));
            switch (field) {
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastEventId = value;
                    }
                }
                default -> { } // "retry" and unknown fields: the client keeps its own back-off.
            }
        }
    }

    /** One line without its end, or null at the end of the stream. */
    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (lastWasCr && c == '\n') {
                lastWasCr = false;
                continue;
            }
            lastWasCr = c == '\r';
            if (c == '\n' || c == '\r') {
                return line.toString();
            }
            if (line.length() >= maxEventChars) {
                throw new IOException("a line is longer than " + maxEventChars + " characters");
            }
            line.append((char) c);
        }
    }
}
