package dev.ramp.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * A copy of a request sent to the candidate arm, whose answer is read and thrown away: traffic for a new version
 * without its answers reaching anyone. A mirror never holds back or fails the real request: it gives up (and
 * counts nothing against the upstream) when its connection fails, when the candidate has no available upstream,
 * when it would buffer more than {@link #MAX_WAITING} bytes before its connection is open, when its connection
 * can't keep up, when the real exchange ends before the whole request was copied, and when its answer has not come
 * within the response-header timeout of its start.
 */
final class Mirror implements UpstreamUser {
    static final int MAX_WAITING = 1024 * 1024;

    private final UpstreamPool pool;
    private final LongSupplier nanoTime;
    private final long timeoutNanos;
    private final long startedNanos;
    private final ArrayDeque<HttpContent> waiting = new ArrayDeque<>(4);
    private Upstream upstream;
    private Channel channel;
    private UpstreamHandler handler;
    private long waitingBytes;
    /** Whether the real request's last piece was copied, to the connection or to the queue before it opens. */
    private boolean copiedAll;
    private boolean keepAlive;
    private boolean done;

    private Mirror(UpstreamPool pool, LongSupplier nanoTime, long timeoutNanos) {
        this.pool = pool;
        this.nanoTime = nanoTime;
        this.timeoutNanos = timeoutNanos;
        this.startedNanos = nanoTime.getAsLong();
    }

    /**
     * Starts mirroring {@code request} to an upstream of {@code arm}, giving up on it after {@code timeoutNanos};
     * null when the arm has no upstream available.
     */
    static Mirror start(HttpRequest request, ArmPool arm, UpstreamPool pool, LongSupplier nanoTime, long timeoutNanos) {
        Upstream upstream = arm.pick(nanoTime.getAsLong(), null);
        if (upstream == null) {
            return null;
        }
        var mirror = new Mirror(pool, nanoTime, timeoutNanos);
        mirror.upstream = upstream;
        var copy = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(), request.headers().copy());
        Channel idle = pool.idle(upstream);
        if (idle != null) {
            mirror.bind(idle, copy);
        } else {
            ChannelFuture connecting = pool.connect(upstream);
            connecting.addListener(future -> {
                if (!future.isSuccess()) {
                    mirror.abandon();
                } else if (mirror.done) {
                    connecting.channel().close();
                } else {
                    mirror.bind(connecting.channel(), copy);
                }
            });
        }
        return mirror;
    }

    /** A piece of the real request's body; the mirror takes a duplicate. */
    void content(HttpContent content) {
        if (done) {
            return;
        }
        HttpContent duplicate = content.retainedDuplicate();
        copiedAll = duplicate instanceof LastHttpContent;
        if (channel == null) {
            waitingBytes += duplicate.content().readableBytes();
            waiting.add(duplicate);
            if (waitingBytes > MAX_WAITING) {
                abandon();
            }
            return;
        }
        if (!channel.isWritable()) {
            duplicate.release();
            abandon();
            return;
        }
        channel.writeAndFlush(duplicate, channel.voidPromise());
    }

    private void bind(Channel connected, HttpRequest copy) {
        channel = connected;
        handler = (UpstreamHandler) connected.pipeline().get("upstream");
        handler.serve(this);
        connected.write(copy, connected.voidPromise());
        HttpContent content;
        while ((content = waiting.poll()) != null) {
            connected.write(content, connected.voidPromise());
        }
        waitingBytes = 0;
        connected.flush();
    }

    @Override
    public void fromUpstream(HttpObject object) {
        if (object instanceof io.netty.handler.codec.http.HttpResponse response && response.status().code() >= 200) {
            keepAlive = HttpUtil.isKeepAlive(response) && !response.decoderResult().isFailure();
        }
        boolean last = object instanceof LastHttpContent;
        ReferenceCountUtil.release(object);
        if (last && !done && keepAlive && copiedAll) {
            done = true;
            handler.serve(null);
            pool.release(upstream, channel);
        } else if (last) {
            abandon();
        }
    }

    @Override
    public void upstreamReadComplete() {
        // Nothing is passed on.
    }

    @Override
    public void upstreamWritabilityChanged(boolean writable) {
        // The mirror gives up rather than wait; see content().
    }

    @Override
    public void checkDeadline() {
        if (nanoTime.getAsLong() - startedNanos >= timeoutNanos) {
            abandon();
        }
    }

    @Override
    public void upstreamFailed(Throwable cause) {
        channel = null;
        abandon();
    }

    /** The real exchange is over: a mirror still waiting for the request's body goes too. */
    void requestEnded() {
        if (!copiedAll) {
            abandon();
        }
    }

    private void abandon() {
        if (done) {
            return;
        }
        done = true;
        HttpContent content;
        while ((content = waiting.poll()) != null) {
            content.release();
        }
        if (channel != null) {
            handler.serve(null);
            channel.close();
            channel = null;
        }
    }
}
