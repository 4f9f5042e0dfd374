package dev.ramp.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty's request decoder, made strict for a proxy, where two parsers that disagree about where a request ends
 * let one request be smuggled inside another. On top of Netty's own checks (Content-Length with Transfer-Encoding
 * refused as RFC 9112 asks, differing Content-Lengths, invalid characters in names and values, bare LF line ends
 * with strict line parsing) it refuses obsolete line folding, which Netty would join into the previous header, and
 * bounds the time from a request's first byte to the end of its headers.
 *
 * <p>A refusal is passed on as a {@link Refusal} rather than a request; the proxy answers it and closes.
 */
final class RequestDecoder extends HttpRequestDecoder {
    /** Why a request was refused before it was decoded. */
    enum Refusal { OBSOLETE_LINE_FOLDING, HEADER_READ_TIMEOUT }

    private final long headerReadTimeoutNanos;
    private boolean inHead = true;
    /** Whether a byte of the head being read has arrived. */
    private boolean headStarted;
    private boolean lastWasLineFeed;
    private boolean refused;
    private ScheduledFuture<?> headTimer;

    RequestDecoder(GatewayLimits limits) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxUriLength())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false)
                .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(true))
                .setTrailersFactory(DefaultHttpHeadersFactory.trailersFactory().withValidation(true)));
        this.headerReadTimeoutNanos = limits.headerReadTimeout().toNanos();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (refused) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (inHead && buffer.isReadable()) {
            headStarted = true;
            if (foldsALine(buffer)) {
                buffer.skipBytes(buffer.readableBytes());
                refuse(ctx, Refusal.OBSOLETE_LINE_FOLDING);
                return;
            }
        }
        int before = out.size();
        int readerIndex = buffer.readerIndex();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            Object decoded = out.get(i);
            if (decoded instanceof HttpRequest) {
                inHead = false;
                headStarted = false;
                cancelTimer();
            }
            if (decoded instanceof LastHttpContent) {
                inHead = true;
                lastWasLineFeed = false;
            }
        }
        if (inHead && buffer.readerIndex() > readerIndex) {
            lastWasLineFeed = buffer.getByte(buffer.readerIndex() - 1) == '\n';
        }
        if (inHead && headStarted && headTimer == null) {
            // Part of a head is here and the rest is not: its time starts now. A head that arrives whole, the
            // common case, never needs a timer.
            headTimer = ctx.executor().schedule(() -> refuse(ctx, Refusal.HEADER_READ_TIMEOUT), headerReadTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Whether, in the head being read, a line starts with a space or tab: obsolete folding (RFC 9112, 5.2). */
    private boolean foldsALine(ByteBuf buffer) {
        boolean afterLineFeed = lastWasLineFeed;
        int end = buffer.writerIndex();
        for (int i = buffer.readerIndex(); i < end; i++) {
            byte b = buffer.getByte(i);
            if (afterLineFeed) {
                if (b == ' ' || b == '\t') {
                    return true;
                }
                if (b == '\r' || b == '\n') {
                    // An empty line ends the head (or precedes the request line); what follows is not ours to check.
                    int next = b == '\r' && i + 1 < end ? buffer.getByte(i + 1) : -1;
                    if (b == '\n' || next == '\n') {
                        return false;
                    }
                }
            }
            afterLineFeed = b == '\n';
        }
        return false;
    }

    private void refuse(ChannelHandlerContext ctx, Refusal refusal) {
        if (refused || !inHead) {
            return;
        }
        refused = true;
        cancelTimer();
        ctx.fireChannelRead(refusal);
    }

    private void cancelTimer() {
        if (headTimer != null) {
            headTimer.cancel(false);
            headTimer = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        cancelTimer();
        super.handlerRemoved0(ctx);
    }
}
