package dev.ramp.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive connections to upstreams for one event loop. Client and upstream connections of an exchange share the
 * event loop, so nothing here is locked and no byte crosses threads. Idle connections are reused last-in first-out
 * (the warmest first), closed when idle longer than the idle timeout, and dropped when their upstream closes them.
 */
final class UpstreamPool {
    private final EventLoop loop;
    private final GatewayLimits limits;
    private final Class<? extends SocketChannel> channelType;
    private final Map<Upstream, ArrayDeque<Channel>> idle = new HashMap<>();

    UpstreamPool(EventLoop loop, GatewayLimits limits, Class<? extends SocketChannel> channelType) {
        this.loop = loop;
        this.limits = limits;
        this.channelType = channelType;
    }

    /** An idle connection to {@code upstream}, or null when there is none. */
    Channel idle(Upstream upstream) {
        ArrayDeque<Channel> channels = idle.get(upstream);
        if (channels == null) {
            return null;
        }
        Channel channel;
        while ((channel = channels.pollLast()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** Opens a new connection to {@code upstream}. */
    ChannelFuture connect(Upstream upstream) {
        return new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast("codec", new HttpClientCodec(limits.maxUriLength(), limits.maxHeaderBytes(), 64 * 1024))
                                .addLast("upstream", new UpstreamHandler(UpstreamPool.this, upstream, limits));
                    }
                })
                .connect(upstream.socketAddress());
    }

    /** Takes back a connection whose exchange ended cleanly; closes it when the pool for its upstream is full. */
    void release(Upstream upstream, Channel channel) {
        ArrayDeque<Channel> channels = idle.computeIfAbsent(upstream, key -> new ArrayDeque<>());
        if (channels.size() >= limits.maxIdlePerUpstream() || !channel.isActive()) {
            channel.close();
            return;
        }
        channels.addLast(channel);
    }

    /** Forgets a connection that closed while idle. */
    void closed(Upstream upstream, Channel channel) {
        ArrayDeque<Channel> channels = idle.get(upstream);
        if (channels != null) {
            channels.remove(channel);
        }
    }

    void closeAll() {
        idle.values().forEach(channels -> channels.forEach(Channel::close));
        idle.clear();
    }
}
