package dev.ramp.server.stream;

/** A stream of one environment's flag changes. */
public interface Subscriber extends FrameSink {
    /** The environment whose events the subscriber receives. */
    String environment();
}
