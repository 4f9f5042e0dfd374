package dev.ramp.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * The headers that belong to one connection and never pass a proxy (RFC 9110, 7.6.1): those {@code Connection}
 * names, and {@code Connection}, {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Trailer} and
 * {@code Upgrade} (the gateway speaks HTTP/1.1 only, so it forwards no upgrade). {@code Transfer-Encoding}
 * is a property of the message's framing: the gateway re-frames every message it forwards, so it is set again by
 * the caller from how the body will be sent.
 */
final class HopByHop {
    private static final AsciiString[] ALWAYS = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
        AsciiString.cached("proxy-connection"), HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE};

    private HopByHop() {}

    /** Removes hop-by-hop headers, those named in {@code Connection} included. */
    static void strip(HttpHeaders headers) {
        if (headers.isEmpty()) {
            return;
        }
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            namedByConnection(headers);
        }
        for (AsciiString name : ALWAYS) {
            headers.remove(name);
        }
    }

    private static void namedByConnection(HttpHeaders headers) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    headers.remove(name);
                }
            }
        }
    }
}
