package dev.ramp.server.stream;

import java.io.IOException;

/** Where a stream's frames go: an HTTP response held open, or a test's buffer. */
public interface FrameSink {
    /** Writes and flushes one complete server-sent-events frame; blocking is allowed. */
    void write(byte[] frame) throws IOException;

    /** Ends the stream; called once, after the last write. */
    void close();
}
