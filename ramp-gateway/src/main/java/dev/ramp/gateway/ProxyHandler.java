package dev.ramp.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a client connection: checks each request, routes it, chooses its arm and hands it to an
 * {@link Exchange}. Requests on one connection are served one at a time, in order; pipelined ones wait, and the
 * connection stops reading until their turn.
 */
final class ProxyHandler extends ChannelInboundHandlerAdapter {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString VIA_10 = AsciiString.cached("1.0 ramp");
    private static final AsciiString VIA_11 = AsciiString.cached("1.1 ramp");

    private final Proxy proxy;
    private final AsciiString scheme;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private UpstreamPool pool;
    private Exchange exchange;
    private String clientIp = "";
    private ScheduledFuture<?> idleChecks;
    private long reads;
    private long readsAtCheck;
    private int quietChecks;

    /** @param secure whether the client came over TLS, for {@code X-Forwarded-Proto} */
    ProxyHandler(Proxy proxy, boolean secure) {
        this.proxy = proxy;
        this.scheme = secure ? HTTPS : HTTP;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        this.ctx = context;
        this.pool = proxy.pool(context.channel().eventLoop());
        if (context.channel().remoteAddress() instanceof InetSocketAddress address) {
            clientIp = address.getAddress().getHostAddress();
        }
        if (proxy.metrics.connections.incrementAndGet() > proxy.limits.maxConnections()) {
            proxy.metrics.refused("too-many-connections");
            context.close();
            return;
        }
        long every = proxy.limits.idleTimeout().toNanos() / 2;
        idleChecks = context.executor().scheduleAtFixedRate(this::checkIdle, every, every, TimeUnit.NANOSECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        proxy.metrics.connections.decrementAndGet();
        if (idleChecks != null) {
            idleChecks.cancel(false);
        }
        if (exchange != null) {
            exchange.clientGone();
            exchange = null;
        }
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        reads++;
        if (exchange != null && !exchange.receivedAll() && msg instanceof HttpContent content) {
            exchange.fromClient(content);
        } else if (exchange != null || !pipelined.isEmpty()) {
            pipelined.add(msg);
            context.channel().config().setAutoRead(false);
        } else {
            handle(msg);
        }
    }

    private void handle(Object msg) {
        if (msg instanceof RequestDecoder.Refusal refusal) {
            if (refusal == RequestDecoder.Refusal.HEADER_READ_TIMEOUT) {
                proxy.metrics.refused("header-read-timeout");
                refuse(HttpResponseStatus.REQUEST_TIMEOUT, "the request's headers did not arrive within "
                        + proxy.limits.headerReadTimeout().toMillis() + " ms");
            } else {
                proxy.metrics.refused("obsolete-line-folding");
                refuse(HttpResponseStatus.BAD_REQUEST, "a header line starts with a space or tab (obsolete line folding, RFC 9112 5.2)");
            }
        } else if (msg instanceof HttpRequest request) {
            begin(request);
        } else {
            // The body of a request that was refused, or content after a bad message: dropped.
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (exchange != null) {
            exchange.clientReadComplete();
        }
        context.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (exchange != null) {
            exchange.clientWritabilityChanged(context.channel().isWritable());
        }
    }

    /**
     * Closes a connection that read nothing for the idle timeout while it had no request in flight, or while the
     * request's body had not all arrived (a client stalling mid-body would hold its upstream connection for ever).
     * Checked by one timer per connection, every half idle timeout, against a count of reads rather than the clock:
     * a quiet connection closes after 1 to 1.5 idle timeouts.
     */
    private void checkIdle() {
        boolean waitingForBody = exchange != null && !exchange.receivedAll();
        if ((exchange != null && !waitingForBody) || reads != readsAtCheck) {
            readsAtCheck = reads;
            quietChecks = 0;
        } else if (++quietChecks >= 2) {
            if (waitingForBody) {
                proxy.metrics.refused("body-read-timeout");
            }
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }

    private void begin(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
                proxy.metrics.refused("uri-too-long");
                refuse(HttpResponseStatus.REQUEST_URI_TOO_LONG, "the request line is over " + proxy.limits.maxUriLength() + " bytes");
            } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                proxy.metrics.refused("headers-too-large");
                refuse(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the headers are over " + proxy.limits.maxHeaderBytes() + " bytes");
            } else {
                proxy.metrics.refused("malformed");
                refuse(HttpResponseStatus.BAD_REQUEST, "malformed request: " + cause.getMessage());
            }
            return;
        }
        HttpHeaders headers = request.headers();
        if (headers.size() > proxy.limits.maxHeaderCount()) {
            refuseAndDiscard(request, "headers-too-many", HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "the request has " + headers.size() + " headers, over the limit of " + proxy.limits.maxHeaderCount());
            return;
        }
        boolean http11 = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
        if (!http11 && !request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            refuseAndDiscard(request, "version", HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "the gateway speaks HTTP/1.0 and HTTP/1.1");
            return;
        }
        Iterator<String> hosts = headers.valueStringIterator(HttpHeaderNames.HOST);
        String hostHeader = hosts.hasNext() ? hosts.next() : null;
        if (hosts.hasNext() || (http11 && hostHeader == null)) {
            refuseAndClose("host", HttpResponseStatus.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host header, got "
                    + headers.getAll(HttpHeaderNames.HOST).size());
            return;
        }
        String target = request.uri();
        if (!target.startsWith("/")) {
            String authority = absoluteFormAuthority(target);
            if (authority == null) {
                refuseAndClose("target", HttpResponseStatus.BAD_REQUEST, "the request target must be a path starting with '/'");
                return;
            }
            if (hostHeader == null || !authority.equalsIgnoreCase(hostHeader)) {
                refuseAndClose("host", HttpResponseStatus.BAD_REQUEST, "the request target's host '" + authority + "' differs from the Host header");
                return;
            }
            target = target.substring(target.indexOf('/', target.indexOf("//") + 2) < 0 ? target.length()
                    : target.indexOf('/', target.indexOf("//") + 2));
            request.setUri(target.isEmpty() ? "/" : target);
            target = request.uri();
        }
        long contentLength = HttpUtil.getContentLength(request, -1L);
        if (contentLength > proxy.limits.maxBodyBytes()) {
            refuseAndDiscard(request, "body-too-large", HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "the request body of " + contentLength + " bytes is over the gateway's limit of " + proxy.limits.maxBodyBytes());
            return;
        }
        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect != null && !"100-continue".equalsIgnoreCase(expect)) {
            refuseAndDiscard(request, "expectation", HttpResponseStatus.EXPECTATION_FAILED, "the only expectation the gateway meets is 100-continue");
            return;
        }
        String host = hostHeader == null ? "" : hostWithoutPort(hostHeader);
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        CompiledRoute route = proxy.table().match(host, path, headers);
        if (route == null) {
            refuseAndDiscard(request, "no-route", HttpResponseStatus.NOT_FOUND, "no route takes host '" + host + "' and path '" + path + "'");
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        CompiledRoute.Choice choice = route.choose(host, headers, clientIp);
        ArmPool arm = withFallback(route, choice.arm());
        forwarded(request, hostHeader == null ? "" : hostHeader);
        Mirror mirror = arm == choice.arm() && route.mirrors(choice)
                ? Mirror.start(request, route.candidate, pool, proxy.nanoTime, proxy.limits.responseHeaderTimeout().toNanos())
                : null;
        exchange = new Exchange(this, ctx, proxy, pool, request, route, choice, arm, keepAlive);
        if (mirror != null) {
            proxy.metrics.mirrored(route.name);
            exchange.mirrorTo(mirror);
        }
        exchange.start();
    }

    /** The arm to use: the chosen one, or, when it has no available upstream and the route allows it, the other. */
    private ArmPool withFallback(CompiledRoute route, ArmPool chosen) {
        long now = proxy.nanoTime.getAsLong();
        if (chosen.healthy(now)) {
            if (chosen.metrics.fallingBack) {
                chosen.metrics.fallingBack = false;
                proxy.event("arm '" + chosen.name + "' of route '" + route.name + "' has an available upstream again");
            }
            return chosen;
        }
        ArmPool other = route.other(chosen);
        if (!"other-arm".equals(route.definition.fallback()) || !other.healthy(now)) {
            return chosen;
        }
        chosen.metrics.fallbacks.increment();
        if (!chosen.metrics.fallingBack) {
            chosen.metrics.fallingBack = true;
            proxy.event("arm '" + chosen.name + "' of route '" + route.name + "' has no available upstream; its requests go to arm '"
                    + other.name + "'");
        }
        return other;
    }

    /** Strips hop-by-hop headers and says who the request came through. */
    private void forwarded(HttpRequest request, String host) {
        HttpHeaders headers = request.headers();
        HopByHop.strip(headers);
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null ? clientIp : forwardedFor + ", " + clientIp);
        headers.set(X_FORWARDED_PROTO, scheme);
        if (!host.isEmpty()) {
            headers.set(X_FORWARDED_HOST, host);
        }
        headers.add(HttpHeaderNames.VIA, request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? VIA_10 : VIA_11);
    }

    /** The exchange is over: the next request may start, or the connection closes. */
    void exchangeDone(Exchange finished, boolean keepAlive) {
        if (exchange != finished) {
            return;
        }
        exchange = null;
        if (!keepAlive) {
            pipelined.forEach(ReferenceCountUtil::release);
            pipelined.clear();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.flush();
        while (exchange == null && !pipelined.isEmpty()) {
            Object next = pipelined.poll();
            if (exchange == null) {
                handle(next);
            }
        }
        if (exchange != null) {
            // The rest of the pipelined request's body, if any, goes to its exchange.
            while (!pipelined.isEmpty() && !exchange.receivedAll() && pipelined.peek() instanceof HttpContent) {
                exchange.fromClient((HttpContent) pipelined.poll());
            }
        }
        if (pipelined.isEmpty() && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Refuses a request before routing; the connection closes, since what follows on it can't be trusted. */
    private void refuse(HttpResponseStatus status, String why) {
        ctx.writeAndFlush(Exchange.gatewayAnswer(status, why, false, false)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Refuses a request whose target is in doubt; the connection closes. */
    private void refuseAndClose(String reason, HttpResponseStatus status, String why) {
        proxy.metrics.refused(reason);
        refuse(status, why);
    }

    /** Refuses a well-formed request; the connection stays open when the request has no body still to come. */
    private void refuseAndDiscard(HttpRequest request, String reason, HttpResponseStatus status, String why) {
        proxy.metrics.refused(reason);
        boolean keepAlive = Exchange.bodyless(request) && HttpUtil.isKeepAlive(request);
        var answer = ctx.writeAndFlush(Exchange.gatewayAnswer(status, why, keepAlive, request.protocolVersion().equals(HttpVersion.HTTP_1_0)));
        if (!keepAlive) {
            answer.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String absoluteFormAuthority(String target) {
        String lower = target.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return null;
        }
        int start = target.indexOf("//") + 2;
        int end = target.indexOf('/', start);
        String authority = end < 0 ? target.substring(start) : target.substring(start, end);
        return authority.isEmpty() || authority.contains("@") ? null : authority;
    }

    private static String hostWithoutPort(String hostHeader) {
        String host = hostHeader.trim();
        for (int i = 0; i < host.length(); i++) {
            if (Character.isUpperCase(host.charAt(i))) {
                host = host.toLowerCase(Locale.ROOT);
                break;
            }
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
