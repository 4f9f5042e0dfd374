package dev.ramp.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One request on its way through the gateway: from the client's request head to the upstream and back, with its
 * body streamed both ways and never held whole. Lives on its connection's event loop, as do both its channels.
 *
 * <p>Failures before the upstream has answered are retried where that is safe: a refused connection on another
 * upstream of the arm (the request has not left the gateway), and a pooled connection that the upstream closed
 * before reading a request without a body, on a fresh one. Anything else becomes a 502 or 504 with a body saying
 * what failed, or, once the answer has started, a closed connection.
 */
final class Exchange implements UpstreamUser {
    private static final int MAX_ATTEMPTS = 3;
    private static final HttpVersion OUTBOUND = HttpVersion.HTTP_1_1;

    private final ProxyHandler handler;
    private final ChannelHandlerContext client;
    private final Proxy proxy;
    private final UpstreamPool pool;
    private final HttpRequest request;
    private final CompiledRoute route;
    private final CompiledRoute.Choice choice;
    private final boolean clientKeepAlive;
    private final boolean clientHttp10;
    private final boolean head;
    private final boolean bodyless;
    private final long startNanos;
    private final ArrayDeque<HttpContent> waiting = new ArrayDeque<>(4);
    private ArmPool arm;
    private Mirror mirror;
    private Upstream upstream;
    private Channel upstreamChannel;
    private UpstreamHandler upstreamHandler;
    private boolean reused;
    /** Whether this exchange counts in {@code upstream}'s outstanding requests. */
    private boolean holding;
    private int attempts;
    private long bodyBytes;
    private boolean requestReceived;
    private boolean informational;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private boolean clientStays;
    private int status;
    private boolean done;
    /** When the whole request was with the upstream, by the proxy's clock; 0 until then. */
    private long sentAtNanos;

    Exchange(ProxyHandler handler, ChannelHandlerContext client, Proxy proxy, UpstreamPool pool, HttpRequest request,
             CompiledRoute route, CompiledRoute.Choice choice, ArmPool arm, boolean clientKeepAlive) {
        this.handler = handler;
        this.client = client;
        this.proxy = proxy;
        this.pool = pool;
        this.request = request;
        this.route = route;
        this.choice = choice;
        this.arm = arm;
        this.clientKeepAlive = clientKeepAlive;
        this.clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        this.head = HttpMethod.HEAD.equals(request.method());
        this.bodyless = bodyless(request);
        this.startNanos = proxy.nanoTime.getAsLong();
        request.setProtocolVersion(OUTBOUND);
    }

    /** Also sends the request's body to {@code copy}. */
    void mirrorTo(Mirror copy) {
        this.mirror = copy;
    }

    /** Sends the request on its way: an upstream of the arm, over a pooled connection or a new one. */
    void start() {
        arm.metrics.requests.increment();
        Upstream first = arm.pick(proxy.nanoTime.getAsLong(), null);
        if (first == null) {
            answer(HttpResponseStatus.SERVICE_UNAVAILABLE, "arm '" + arm.name + "' of route '" + route.name + "' has no available upstream");
            return;
        }
        connect(first);
    }

    boolean receivedAll() {
        return requestReceived;
    }

    /** A piece of the request's body from the client. */
    void fromClient(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            proxy.metrics.refused("malformed");
            answer(HttpResponseStatus.BAD_REQUEST, "malformed request body: " + describe(content.decoderResult().cause()));
            return;
        }
        bodyBytes += content.content().readableBytes();
        if (bodyBytes > proxy.limits.maxBodyBytes()) {
            content.release();
            proxy.metrics.refused("body-too-large");
            answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the request body is over the gateway's limit of "
                    + proxy.limits.maxBodyBytes() + " bytes");
            return;
        }
        if (content instanceof LastHttpContent) {
            requestReceived = true;
        }
        if (mirror != null) {
            mirror.content(content);
        }
        if (upstreamChannel == null) {
            waiting.add(content);
            return;
        }
        upstreamChannel.write(content, upstreamChannel.voidPromise());
        if (requestReceived) {
            sent();
        } else if (!upstreamChannel.isWritable()) {
            client.channel().config().setAutoRead(false);
        }
    }

    void clientReadComplete() {
        if (upstreamChannel != null && !done) {
            upstreamChannel.flush();
        }
    }

    void clientWritabilityChanged(boolean writable) {
        if (writable && upstreamChannel != null && !done) {
            upstreamChannel.config().setAutoRead(true);
        }
    }

    @Override
    public void upstreamWritabilityChanged(boolean writable) {
        if (writable && !requestReceived && !done) {
            client.channel().config().setAutoRead(true);
        }
    }

    /** The client went away: the answer has nowhere to go, and its connection to the upstream can't be reused. */
    void clientGone() {
        if (done) {
            return;
        }
        done = true;
        releaseWaiting();
        letGo();
        endMirror();
        if (upstreamChannel != null) {
            upstreamHandler.serve(null);
            upstreamChannel.close();
        }
    }

    private void connect(Upstream target) {
        upstream = target;
        sentAtNanos = 0;
        attempts++;
        target.started();
        holding = true;
        Channel idle = pool.idle(target);
        if (idle != null) {
            reused = true;
            bind(idle);
            return;
        }
        reused = false;
        client.channel().config().setAutoRead(false);
        ChannelFuture connecting = pool.connect(target);
        connecting.addListener(future -> {
            if (done) {
                if (future.isSuccess()) {
                    connecting.channel().close();
                }
                return;
            }
            if (future.isSuccess()) {
                bind(connecting.channel());
            } else {
                connectFailed(future.cause());
            }
        });
    }

    private void bind(Channel channel) {
        upstreamChannel = channel;
        upstreamHandler = (UpstreamHandler) channel.pipeline().get("upstream");
        upstreamHandler.serve(this);
        channel.write(request, channel.voidPromise());
        if (attempts > 1 && bodyless && requestReceived) {
            channel.write(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
        }
        HttpContent content;
        while ((content = waiting.poll()) != null) {
            channel.write(content, channel.voidPromise());
        }
        channel.flush();
        if (done || upstreamChannel != channel) {
            // Writing found the connection closed (a pooled one the upstream had dropped), and the failure has
            // already answered the exchange or moved it to another connection.
            return;
        }
        if (requestReceived) {
            sent();
        } else {
            client.channel().config().setAutoRead(channel.isWritable());
        }
    }

    /** The whole request is with the upstream: its answer's headers are now due within the timeout. */
    private void sent() {
        upstreamChannel.flush();
        if (sentAtNanos == 0 && !responseStarted) {
            sentAtNanos = proxy.nanoTime.getAsLong();
        }
    }

    /** A 504 when the answer's headers are overdue. */
    @Override
    public void checkDeadline() {
        if (done || responseStarted || sentAtNanos == 0
                || proxy.nanoTime.getAsLong() - sentAtNanos < proxy.limits.responseHeaderTimeout().toNanos()) {
            return;
        }
        detachUpstream(false);
        failed("upstream " + upstream + " did not answer within " + proxy.limits.responseHeaderTimeout().toMillis() + " ms",
                HttpResponseStatus.GATEWAY_TIMEOUT);
    }

    private void connectFailed(Throwable cause) {
        letGo();
        countFailure();
        Upstream next = attempts < MAX_ATTEMPTS ? arm.pick(proxy.nanoTime.getAsLong(), upstream) : null;
        if (next != null) {
            connect(next);
            return;
        }
        arm.metrics.upstreamErrors.increment();
        answer(HttpResponseStatus.BAD_GATEWAY, "could not connect to upstream " + upstream + " of arm '" + arm.name
                + "' of route '" + route.name + "': " + describe(cause));
    }

    /** The upstream connection failed or closed while serving this exchange. */
    @Override
    public void upstreamFailed(Throwable cause) {
        if (done) {
            return;
        }
        upstreamChannel = null;
        if (!responseStarted && !informational && reused && bodyless && attempts < MAX_ATTEMPTS) {
            // A pooled connection the upstream had closed: nothing was read, so the request can be sent again.
                letGo();
            Upstream next = arm.pick(proxy.nanoTime.getAsLong(), null);
            if (next != null) {
                connect(next);
                return;
            }
        }
        failed("upstream " + upstream + " closed the connection " + (responseStarted ? "while answering" : "before answering")
                + (cause == null ? "" : ": " + describe(cause)), HttpResponseStatus.BAD_GATEWAY);
    }

    private void failed(String why, HttpResponseStatus status) {
        letGo();
        countFailure();
        arm.metrics.upstreamErrors.increment();
        if (responseStarted) {
            done = true;
            endMirror();
            arm.metrics.answered(HttpResponseStatus.BAD_GATEWAY.code(), proxy.nanoTime.getAsLong() - startNanos);
            handler.exchangeDone(this, false);
            return;
        }
        answer(status, why);
    }

    private void countFailure() {
        long ejectedFor = upstream.failed(proxy.nanoTime.getAsLong(), route.definition.ejection());
        if (ejectedFor > 0) {
            proxy.metrics.ejected(upstream);
            proxy.event("upstream " + upstream + " ejected for " + TimeUnit.NANOSECONDS.toMillis(ejectedFor) + " ms after "
                    + route.definition.ejection().consecutiveFailures() + " failures in a row");
        }
    }

    /** What the upstream sends: the answer's head, then its body. */
    @Override
    public void fromUpstream(HttpObject object) {
        if (done) {
            ReferenceCountUtil.release(object);
            return;
        }
        if (object instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(object);
                detachUpstream(false);
                failed("upstream " + upstream + " sent an invalid answer: " + describe(response.decoderResult().cause()),
                        HttpResponseStatus.BAD_GATEWAY);
                return;
            }
            int code = response.status().code();
            if (code < 200) {
                // 100 Continue and other interim answers pass through; the final one follows.
                informational = true;
                response.setProtocolVersion(clientHttp10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
                client.write(response, client.voidPromise());
                return;
            }
                informational = false;
            responseStarted = true;
            status = code;
            prepare(response);
            client.write(response, client.voidPromise());
        }
        if (object instanceof HttpContent content) {
            if (informational) {
                client.write(content, client.voidPromise());
                return;
            }
            boolean last = content instanceof LastHttpContent;
            if (last) {
                client.write(content, client.voidPromise());
                complete();
            } else {
                client.write(content, client.voidPromise());
                if (!client.channel().isWritable()) {
                    upstreamChannel.config().setAutoRead(false);
                }
            }
        }
    }

    @Override
    public void upstreamReadComplete() {
        client.flush();
    }

    private void prepare(HttpResponse response) {
        HttpHeaders headers = response.headers();
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean delimitedByClose = !chunked && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                && !head && status != 204 && status != 304;
        if (delimitedByClose) {
            upstreamKeepAlive = false;
        }
        HopByHop.strip(headers);
        headers.add(HttpHeaderNames.VIA, "1.1 ramp");
        if (head || status == 204 || status == 304) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        } else if (clientHttp10) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        } else if (delimitedByClose) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        response.setProtocolVersion(clientHttp10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
        clientStays = keepsClient() && !(clientHttp10 && (chunked || delimitedByClose));
        if (!clientStays) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        var pin = route.definition.pin();
        if (pin.enabled() && !CompiledRoute.Choice.PINNED.equals(choice.how()) && arm == choice.arm()) {
            var cookie = new DefaultCookie(pin.cookie(), arm.name);
            cookie.setPath("/");
            cookie.setHttpOnly(true);
            cookie.setSameSite(io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite.Lax);
            cookie.setMaxAge(route.pinMaxAgeSeconds);
            headers.add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie));
        }
    }

    /** Whether the connection can carry another request: the client wants it, and no body of this one is left unread. */
    private boolean keepsClient() {
        return clientKeepAlive && (requestReceived || bodyless);
    }

    private void complete() {
        done = true;
        endMirror();
        arm.metrics.answered(status, proxy.nanoTime.getAsLong() - startNanos);
        letGo();
        if (status >= 502 && status <= 504) {
            countFailure();
        } else {
            upstream.succeeded();
        }
        detachUpstream(upstreamKeepAlive && requestReceived);
        handler.exchangeDone(this, clientStays);
    }

    private void detachUpstream(boolean reuse) {
        if (upstreamChannel == null) {
            return;
        }
        upstreamHandler.serve(null);
        Channel channel = upstreamChannel;
        upstreamChannel = null;
        if (reuse && channel.isActive()) {
            channel.config().setAutoRead(true);
            pool.release(upstream, channel);
        } else {
            channel.close();
        }
    }

    /** Whether {@code request} has no body to come: neither chunked nor with a Content-Length above 0. */
    static boolean bodyless(HttpRequest request) {
        return !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
    }

    /** Answers the client with a status and a one-line reason of the gateway's own. */
    private void answer(HttpResponseStatus answer, String why) {
        done = true;
        endMirror();
        releaseWaiting();
        detachUpstream(false);
        letGo();
        if (responseStarted) {
            // Too late for a status of our own: the upstream's answer is under way. Cut it off.
            arm.metrics.answered(answer.code(), proxy.nanoTime.getAsLong() - startNanos);
            handler.exchangeDone(this, false);
            return;
        }
        arm.metrics.answered(answer.code(), proxy.nanoTime.getAsLong() - startNanos);
        boolean keepAlive = keepsClient();
        client.write(gatewayAnswer(answer, why, keepAlive, clientHttp10), client.voidPromise());
        handler.exchangeDone(this, keepAlive);
    }

    /** An answer the gateway makes itself: plain text, the status and why, and whether the connection stays. */
    static FullHttpResponse gatewayAnswer(HttpResponseStatus status, String why, boolean keepAlive, boolean http10) {
        byte[] body = (status.code() + " " + status.reasonPhrase() + ": " + why + "\n").getBytes(StandardCharsets.UTF_8);
        var response = new DefaultFullHttpResponse(http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1, status,
                io.netty.buffer.Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.VIA, "1.1 ramp");
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return response;
    }

    /** The exchange is over: a mirror still waiting for the request's body will not get it. */
    private void endMirror() {
        if (mirror != null) {
            mirror.requestEnded();
        }
    }

    /** Counts this exchange out of its upstream's outstanding requests, once. */
    private void letGo() {
        if (holding) {
            holding = false;
            upstream.finished();
        }
    }

    private void releaseWaiting() {
        HttpContent content;
        while ((content = waiting.poll()) != null) {
            content.release();
        }
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no reason given";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
