package dev.ramp.gateway;

import dev.ramp.core.route.GatewayReport;
import dev.ramp.core.route.RouteCheck;
import dev.ramp.core.route.RouteDefinition;
import dev.ramp.core.tls.TlsKeys;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ramp's gateway: an HTTP/1.1 reverse proxy that splits each route's traffic between two arms, sticky by a unit's
 * key and bucketed as flag rollouts are, with per-arm metrics, passive ejection, active health checks and atomic
 * route changes. Where the routes come from (a file, the server) is the caller's business: it calls
 * {@link #apply}.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(new InetSocketAddress("127.0.0.1", 8080), GatewayLimits.defaults())) {
 *     gateway.apply(routes, 1);
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final EventLoopGroup loops;
    private final Channel listener;
    private final Proxy proxy;
    private final Upstreams upstreams;
    private final HealthChecks healthChecks;
    private final String transport;
    private final ScheduledFuture<?> ticks;
    /** The event loop that reports every second, alone, as {@link ArmMetrics} wants. */
    private final io.netty.channel.EventLoop reporting;
    private volatile Consumer<GatewayReport> reportListener = report -> { };
    private Instant reportedUntil = Instant.now();

    private Gateway(EventLoopGroup loops, Channel listener, Proxy proxy, Upstreams upstreams, String transport) {
        this.loops = loops;
        this.listener = listener;
        this.proxy = proxy;
        this.upstreams = upstreams;
        this.transport = transport;
        this.healthChecks = new HealthChecks(proxy);
        this.reporting = loops.next();
        this.ticks = reporting.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Starts a gateway listening on {@code address} with no routes yet; every request gets 404 until {@link #apply}. */
    public static Gateway start(InetSocketAddress address, GatewayLimits limits) throws InterruptedException {
        return start(address, limits, 0);
    }

    /**
     * Starts a gateway with {@code threads} event loops (0: one per core). The native epoll transport is used where
     * it is available, NIO elsewhere.
     */
    public static Gateway start(InetSocketAddress address, GatewayLimits limits, int threads) throws InterruptedException {
        return start(address, limits, threads, Optional.empty());
    }

    /**
     * The same, listening for HTTPS only when {@code tls} is given: each connection's TLS handshake must end within
     * the header read timeout, and upstreams see {@code X-Forwarded-Proto: https}.
     */
    public static Gateway start(InetSocketAddress address, GatewayLimits limits, int threads, Optional<TlsKeys> tls)
            throws InterruptedException {
        SslContext ssl = tls.map(Gateway::serverContext).orElse(null);
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Sampling buffers for leaks costs ~2% of a proxied request; tests turn it on to paranoid instead.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerSocketChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends SocketChannel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads, io);
        var upstreams = new Upstreams();
        var proxy = new Proxy(limits, new GatewayMetrics(upstreams), System::nanoTime, clientType);
        try {
            Channel listener = new ServerBootstrap()
                    .group(loops)
                    .channel(serverType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            if (ssl != null) {
                                SslHandler handler = ssl.newHandler(channel.alloc());
                                handler.setHandshakeTimeoutMillis(limits.headerReadTimeout().toMillis());
                                channel.pipeline().addLast("tls", handler);
                            }
                            channel.pipeline()
                                    .addLast("decoder", new RequestDecoder(limits))
                                    .addLast("encoder", new HttpResponseEncoder())
                                    .addLast("proxy", new ProxyHandler(proxy, ssl != null));
                        }
                    })
                    .bind(address).sync().channel();
            return new Gateway(loops, listener, proxy, upstreams, epoll ? "epoll" : "nio");
        } catch (InterruptedException | RuntimeException e) {
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    private static SslContext serverContext(TlsKeys keys) {
        try {
            return SslContextBuilder.forServer(keys.keyManagers()).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalArgumentException("the TLS key store " + keys.keyStore() + " cannot serve TLS: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Serves {@code routes} from now on, all at once: a request already started finishes on the route and arm it
     * started on, every later one sees the new routes. Returns the problems when the routes are refused, in which
     * case the routes served before stay.
     */
    public List<RouteCheck.Problem> apply(List<RouteDefinition> routes, long version) {
        var problems = RouteCheck.table(routes);
        if (!problems.isEmpty()) {
            proxy.metrics.configLoaded("refused");
            return problems;
        }
        RouteTable table = RouteTable.compile(routes, version, upstreams, proxy.metrics);
        proxy.serve(table);
        healthChecks.watch(table);
        proxy.metrics.configLoaded("applied");
        return List.of();
    }

    /** Counts a config that could not even be read, as {@link #apply} counts one it refuses. */
    void unreadableConfig() {
        proxy.metrics.configLoaded("refused");
    }

    /** The routes being served. */
    public List<RouteDefinition> routes() {
        return proxy.table().definitions();
    }

    /** The version of the routes being served; 0 before any. */
    public long version() {
        return proxy.table().version();
    }

    /** The port the proxy listens on. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    /** Writes every metric in the Prometheus text format. */
    public void writeMetrics(OutputStream out) throws IOException {
        proxy.metrics.write(out);
    }

    /**
     * Hands every second's report, what each served arm saw in that second, to {@code listener}, on a gateway
     * thread: the listener should hand it on rather than block. The report's {@code gateway} is empty, for the
     * listener to fill in. Replaces the listener before it.
     */
    public void onReport(Consumer<GatewayReport> listener) {
        this.reportListener = listener;
    }

    /**
     * Reports the interval since the last report now, without waiting for the next second, and returns once the
     * listener has it: what a stopping gateway does last, so that none of its requests goes uncounted. Nothing happens
     * once the gateway is closed.
     */
    public void reportNow() {
        try {
            reporting.submit(this::tick).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            LOG.debug("no last report: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes one second: every arm's figures become a report, and their latencies join {@code /metrics}. */
    private void tick() {
        Instant now = Instant.now();
        var report = new GatewayReport("", reportedUntil, now, proxy.metrics.servedArms().stream().map(ArmMetrics::report).toList());
        reportedUntil = now;
        try {
            reportListener.accept(report);
        } catch (RuntimeException e) {
            LOG.warn("the report listener failed: {}", e.toString());
        }
    }

    /**
     * Stops listening, reports the interval since the last report (what it served until it stopped listening),
     * closes every connection and stops the health checks.
     */
    @Override
    public void close() {
        ticks.cancel(false);
        healthChecks.close();
        listener.close().syncUninterruptibly();
        reportNow();
        proxy.closePools();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
