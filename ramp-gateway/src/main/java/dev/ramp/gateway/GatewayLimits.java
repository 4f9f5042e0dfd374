package dev.ramp.gateway;

import java.time.Duration;

/**
 * Every limit the gateway puts on untrusted input, and its timeouts, in one place. {@link #defaults()} are what
 * {@code ramp gateway} runs with; docs/gateway.md has the same table. A request over a limit is refused with the
 * status named here, before anything reaches an upstream.
 *
 * @param maxUriLength          bytes in the request line; 414 above
 * @param maxHeaderBytes        bytes in all header lines together; 431 above
 * @param maxHeaderCount        header lines; 431 above
 * @param maxBodyBytes          bytes of a request body, by its Content-Length (413 at once) or as chunks arrive
 *                              (413 if nothing was sent yet, else the connection is closed)
 * @param maxConnections        client connections open at once; more are accepted and closed at once
 * @param headerReadTimeout     from a request's first byte to the end of its headers (slowloris); 408 and close
 * @param idleTimeout           a client connection with no request in flight and no byte arriving is closed after
 *                              1 to 1.5 times this; also the limit on a pooled upstream connection lying idle
 * @param connectTimeout        to open a connection to an upstream; then the next upstream is tried, else 502
 * @param responseHeaderTimeout from the end of sending a request to the upstream's answer headers; 504
 * @param maxIdlePerUpstream    idle keep-alive connections kept per upstream and event loop
 */
public record GatewayLimits(
        int maxUriLength,
        int maxHeaderBytes,
        int maxHeaderCount,
        long maxBodyBytes,
        int maxConnections,
        Duration headerReadTimeout,
        Duration idleTimeout,
        Duration connectTimeout,
        Duration responseHeaderTimeout,
        int maxIdlePerUpstream) {

    public GatewayLimits {
        positive("maxUriLength", maxUriLength);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("maxHeaderCount", maxHeaderCount);
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxConnections", maxConnections);
        positive("headerReadTimeout", headerReadTimeout);
        positive("idleTimeout", idleTimeout);
        positive("connectTimeout", connectTimeout);
        positive("responseHeaderTimeout", responseHeaderTimeout);
        positive("maxIdlePerUpstream", maxIdlePerUpstream);
    }

    /** The defaults: 8 KiB URI, 32 KiB and 100 headers, 10 MiB bodies, 10,000 connections, 10 s / 60 s / 2 s / 30 s. */
    public static GatewayLimits defaults() {
        return new GatewayLimits(8 * 1024, 32 * 1024, 100, 10L * 1024 * 1024, 10_000, Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(30), 512);
    }

    public GatewayLimits withResponseHeaderTimeout(Duration timeout) {
        return new GatewayLimits(maxUriLength, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxConnections,
                headerReadTimeout, idleTimeout, connectTimeout, timeout, maxIdlePerUpstream);
    }

    public GatewayLimits withHeaderReadTimeout(Duration timeout) {
        return new GatewayLimits(maxUriLength, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxConnections,
                timeout, idleTimeout, connectTimeout, responseHeaderTimeout, maxIdlePerUpstream);
    }

    public GatewayLimits withIdleTimeout(Duration timeout) {
        return new GatewayLimits(maxUriLength, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxConnections,
                headerReadTimeout, timeout, connectTimeout, responseHeaderTimeout, maxIdlePerUpstream);
    }

    public GatewayLimits withMaxBodyBytes(long bytes) {
        return new GatewayLimits(maxUriLength, maxHeaderBytes, maxHeaderCount, bytes, maxConnections,
                headerReadTimeout, idleTimeout, connectTimeout, responseHeaderTimeout, maxIdlePerUpstream);
    }

    public GatewayLimits withMaxConnections(int connections) {
        return new GatewayLimits(maxUriLength, maxHeaderBytes, maxHeaderCount, maxBodyBytes, connections,
                headerReadTimeout, idleTimeout, connectTimeout, responseHeaderTimeout, maxIdlePerUpstream);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be above 0, was " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a duration above 0, was " + value);
        }
    }
}
