package dev.ramp.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an upstream connection: passes what the upstream sends to the exchange (or mirror) the
 * connection serves, and tells the pool when an idle connection closes.
 *
 * <p>One timer per connection, not per request, watches it: every quarter of the response-header timeout (at
 * most every half idle timeout) it checks whether the exchange or mirror it serves has waited too long for its
 * answer, and whether a pooled connection has read nothing for the idle timeout.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final UpstreamPool pool;
    private final Upstream upstream;
    private final long idleChecks;
    private final long checkEveryNanos;
    private UpstreamUser exchange;
    private ScheduledFuture<?> checks;
    private long activity;
    private long activityAtCheck;
    private long quietChecks;

    UpstreamHandler(UpstreamPool pool, Upstream upstream, GatewayLimits limits) {
        this.pool = pool;
        this.upstream = upstream;
        long every = Math.max(1, Math.min(limits.responseHeaderTimeout().toNanos() / 4, limits.idleTimeout().toNanos() / 2));
        this.idleChecks = Math.max(1, limits.idleTimeout().toNanos() / every);
        this.checkEveryNanos = every;
    }

    void serve(UpstreamUser served) {
        this.exchange = served;
        activity++;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        checks = ctx.executor().scheduleAtFixedRate(() -> check(ctx), checkEveryNanos, checkEveryNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    private void check(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.checkDeadline();
            return;
        }
        if (activity != activityAtCheck) {
            activityAtCheck = activity;
            quietChecks = 0;
        } else if (++quietChecks >= idleChecks) {
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        activity++;
        if (exchange != null && msg instanceof HttpObject object) {
            exchange.fromUpstream(object);
        } else {
            // Bytes from an idle connection answer nothing: the connection can no longer be trusted.
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (checks != null) {
            checks.cancel(false);
        }
        if (exchange != null) {
            UpstreamUser failed = exchange;
            exchange = null;
            failed.upstreamFailed(null);
        } else {
            pool.closed(upstream, ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (exchange != null) {
            UpstreamUser failed = exchange;
            exchange = null;
            failed.upstreamFailed(cause);
        }
        ctx.close();
    }
}
