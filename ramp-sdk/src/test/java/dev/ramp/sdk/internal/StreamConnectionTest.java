package dev.ramp.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamConnectionTest {
    private static final String CHUNKED = "6\r\nid: 1\n\r\n19;ext=1\r\nevent: unleash-connected\n\r\n0\r\n\r\n";

    @Test
    void chunkedBody_decodesChunks_whereverTheInputIsSplit() throws IOException {
        byte[] bytes = CHUNKED.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= bytes.length; split++) {
            InputStream in = new SequenceInputStream(new ByteArrayInputStream(bytes, 0, split),
                    new ByteArrayInputStream(bytes, split, bytes.length - split));

            byte[] decoded = new StreamConnection.ChunkedBody(in).readAllBytes();

            assertThat(new String(decoded, StandardCharsets.US_ASCII)).as("split at %d", split)
                    .isEqualTo("id: 1\nevent: unleash-connected\n");
        }
    }

    @Test
    void chunkedBody_refusesABadChunkSize() {
        InputStream in = new ByteArrayInputStream("zz\r\nabc".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> new StreamConnection.ChunkedBody(in).readAllBytes())
                .isInstanceOf(IOException.class).hasMessageContaining("not a chunk size");
    }

    @Test
    void chunkedBody_failsWhenTheResponseEndsInsideAChunk() {
        InputStream in = new ByteArrayInputStream("10\r\nabc".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> new StreamConnection.ChunkedBody(in).readAllBytes())
                .isInstanceOf(IOException.class).hasMessageContaining("inside a chunk");
    }

    @Test
    void readLine_acceptsCrlfAndBareLf() throws IOException {
        InputStream in = new ByteArrayInputStream("HTTP/1.1 200 OK\r\nA: b\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(StreamConnection.readLine(in)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(StreamConnection.readLine(in)).isEqualTo("A: b");
        assertThat(StreamConnection.readLine(in)).isEmpty();
    }
}
