package dev.ramp.gateway;

import io.netty.handler.codec.http.HttpObject;

/** What an upstream connection serves while it is out of its pool: an {@link Exchange}, or a {@link Mirror}. */
interface UpstreamUser {
    /** The answer's head, then its body; the receiver releases what it does not pass on. */
    void fromUpstream(HttpObject object);

    /** The end of one read from the upstream: time to flush what was passed on. */
    void upstreamReadComplete();

    void upstreamWritabilityChanged(boolean writable);

    /** Called by the connection's timer: gives up on an answer that is overdue. */
    void checkDeadline();

    /** The connection failed or closed; {@code cause} is null for a plain close. */
    void upstreamFailed(Throwable cause);
}
