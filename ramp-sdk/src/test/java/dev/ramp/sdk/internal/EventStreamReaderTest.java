package dev.ramp.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventStreamReaderTest {
    private static final String STREAM = ":keep-alive\n\n"
            + "id: 41\nevent: unleash-connected\ndata: {\"events\":[]}\n\n"
            + "event: unleash-updated\r\ndata: line one\r\ndata:line two\r\n\r\n"
            + "id: 43\revent: unleash-updated\rdata: é\r\r"
            + "data: cut off at the end";

    @Test
    void next_readsEventsDataLinesAndIds_withAnyLineEnd() throws IOException {
        List<EventStreamReader.ServerSentEvent> events = readAll(new ByteArrayInputStream(bytes(STREAM)));

        assertThat(events).containsExactly(
                new EventStreamReader.ServerSentEvent("unleash-connected", "{\"events\":[]}", "41"),
                new EventStreamReader.ServerSentEvent("unleash-updated", "line one\nline two", "41"),
                new EventStreamReader.ServerSentEvent("unleash-updated", "é", "43"));
    }

    @Test
    void next_givesTheSameEvents_whenTheBodyArrivesOneByteAtATime() throws IOException {
        InputStream trickle = new ByteArrayInputStream(bytes(STREAM)) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(1, length));
            }
        };

        assertThat(readAll(trickle)).isEqualTo(readAll(new ByteArrayInputStream(bytes(STREAM))));
    }

    @Test
    void next_refusesAnEventLargerThanTheBound() {
        EventStreamReader reader = new EventStreamReader(new ByteArrayInputStream(bytes("data: " + "x".repeat(100) + "\n\n")), 50);

        assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("longer than 50");
    }

    @Test
    void next_isEmptyAtTheEndOfAStreamWithoutEvents() throws IOException {
        assertThat(new EventStreamReader(new ByteArrayInputStream(new byte[0]), 100).next()).isEmpty();
    }

    private static List<EventStreamReader.ServerSentEvent> readAll(InputStream in) throws IOException {
        EventStreamReader reader = new EventStreamReader(in, 1 << 20);
        List<EventStreamReader.ServerSentEvent> events = new ArrayList<>();
        for (Optional<EventStreamReader.ServerSentEvent> next = reader.next(); next.isPresent(); next = reader.next()) {
            events.add(next.get());
        }
        return events;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
