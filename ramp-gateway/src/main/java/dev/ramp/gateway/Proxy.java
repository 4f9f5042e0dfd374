package dev.ramp.gateway;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection's handler shares: the route table being served (swapped whole on a config change), the
 * limits, the metrics, the clock and each event loop's upstream pool.
 */
final class Proxy {
    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

    final GatewayLimits limits;
    final GatewayMetrics metrics;
    final LongSupplier nanoTime;
    private final Class<? extends SocketChannel> upstreamChannelType;
    private final ConcurrentHashMap<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private volatile RouteTable table = RouteTable.EMPTY;

    Proxy(GatewayLimits limits, GatewayMetrics metrics, LongSupplier nanoTime, Class<? extends SocketChannel> upstreamChannelType) {
        this.limits = limits;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.upstreamChannelType = upstreamChannelType;
    }

    RouteTable table() {
        return table;
    }

    void serve(RouteTable next) {
        table = next;
        metrics.serving(next);
    }

    UpstreamPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, key -> new UpstreamPool(key, limits, upstreamChannelType));
    }

    /** Something an operator should know about: an ejection, a fallback. Logged, and counted where it is raised. */
    void event(String message) {
        LOG.warn(message);
    }

    void closePools() {
        pools.forEach((loop, pool) -> loop.execute(pool::closeAll));
    }
}
