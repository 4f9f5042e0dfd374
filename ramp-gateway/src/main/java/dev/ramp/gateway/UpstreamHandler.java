package dev.ramp.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: passes what the upstream sends to the exchange (or mirror) the
 * connection serves, and tells the pool when an idle connection closes.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final UpstreamPool pool;
    private final Upstream upstream;
    private UpstreamUser exchange;

    UpstreamHandler(UpstreamPool pool, Upstream upstream) {
        this.pool = pool;
        this.upstream = upstream;
    }

    void serve(UpstreamUser served) {
        this.exchange = served;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && exchange == null) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
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
